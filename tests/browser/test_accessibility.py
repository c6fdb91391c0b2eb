"""Every main page passes axe-core (WCAG 2.1 A/AA, no serious or critical violation) and fits a phone.

Two passes over PAGES, each in parts of about ten pages that the xdist workers share:

- Chinese on a 1280×900 desktop: axe-core on every page; then the same page at 390 px wide in normal
  and in large text: no sideways scrolling (and axe-core in large text on LARGE_TEXT_PAGES);
- English on a 390×844 phone: no sideways scrolling in normal and in large text, and axe-core again on
  the pages of the people who work on a phone (PHONE_USERS: grid workers, residents) and the sign-in
  page. The other pages' markup is the same in both passes (only the words and the CSS width differ),
  so axe-core runs on them once.

Every page of every role also runs under the Content-Security-Policy without a violation. With
LINLI_SCREENSHOTS=1 each page is also photographed (`<name>-zh-CN-desktop.png`, `<name>-en-phone.png`
in test-output/screenshots/) to look at as its user would. One feature's pages alone: `-k` with a
part's id does not select by page; run e.g. `pytest tests/browser/test_accessibility.py -k "en-"` for
the English pass."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    assert_accessible,
    axe_problems,
    csp_violations,
    event_marker_point,
    login,
    preload_axe,
    screenshot,
    settle,
    visit,
    watch_csp,
)

# A phone's screen, as the contexts of the phone pass have it.
PHONE_SCREEN = {"viewport": PHONE, "is_mobile": True, "has_touch": True}

# name → (signed in as, path, expected status)
PAGES = {
    "home": ("admin", "/?stay=1", 200),
    "area-province": ("admin", "/areas/22", 200),
    "area-county": ("admin", "/areas/220102", 200),
    "area-village": ("admin", "/areas/220102001001", 200),
    "search": ("admin", "/areas/220102/find?q=社区", 200),
    "grid-edit": ("admin", "/grids/220102001001001", 200),
    "grid-new": ("admin", "/areas/220102001001/grids/new", 200),
    "users": ("admin", "/admin/users", 200),
    "user": ("admin", "/admin/users/2", 200),
    "user-grant-search": ("admin", "/admin/users/2?area_q=%E7%A4%BE%E5%8C%BA", 200),
    "tokens": ("admin", "/account/tokens", 200),
    "password": ("admin", "/account/password", 200),
    "audit": ("admin", "/audit", 200),
    "not-found": ("admin", "/areas/229999", 404),
    "grid-view": ("gridworker", "/grids/220102001001001", 200),
    "workbench-community": ("community", "/", 200),
    "workbench-county": ("county", "/", 200),
    "inbox": ("gridworker", "/inbox", 200),
    "notification-settings": ("resident", "/account/notifications", 200),
    "resident-home": ("resident", "/", 200),
    "residents-area": ("admin", "/areas/220102/residents?q=张", 200),
    "households": ("gridworker", "/grids/220102001001001/households", 200),
    "households-search": ("community", "/areas/220102001001/households?q=测试&tag=elderly_alone", 200),
    "household-new": ("community", "/grids/220102001001001/households/new", 200),
    "person-move-picker": ("community", "/persons/{person}/move?grid_q=网格", 200),
    "household": ("gridworker", "/households/{household}", 200),
    "household-reveal": ("community", "/households/{household}", 200),
    "person-new": ("gridworker", "/households/{household}/persons/new", 200),
    "person-edit": ("gridworker", "/persons/{person}/edit", 200),
    "person-move": ("gridworker", "/persons/{person}/move", 200),
    "residents-import": ("gridworker", "/residents/import", 200),
    "transfers": ("gridworker", "/transfers", 200),
    "transfers-all": ("community", "/transfers?status=all", 200),
    "person-transfer": ("gridworker", "/persons/{person}/transfer", 200),
    "household-transfer": ("gridworker", "/households/{household}/transfer", 200),
    "person-tags": ("gridworker", "/persons/{person}/tags", 200),
    "household-split": ("gridworker", "/households/{household}/split", 200),
    "household-merge": ("gridworker", "/households/{household}/merge", 200),
    "household-edit": ("gridworker", "/households/{household}/edit", 200),
    "events": ("community", "/areas/220102001001/events", 200),
    "event": ("community", "/events/{event}", 200),
    "event-new": ("community", "/areas/220102001001/events/new", 200),
    "warnings": ("admin", "/areas/220122/warnings", 200),
    "warning": ("weather", "/warnings/{warning}", 200),
    "warning-new": ("weather", "/areas/220122/warnings/new", 200),
    "warning-progress-township": ("weather", "/warnings/{warning}?area=220122001", 200),
    "warning-confirm": ("nongan_gridworker", "/warnings/{warning}", 200),
    "event-forms": ("street", "/events/{open_event}", 200),
    "event-me-too": ("resident", "/events/{open_event}", 200),
    "events-counts": ("county", "/areas/220102/events/counts", 200),
    "events-counts-village": ("community", "/areas/220102001001/events/counts", 200),
    "events-map": ("community", "/areas/220102001001/events/map", 200),
    "events-map-county": ("county", "/areas/220102/events/map", 200),
    "event-new-grid": ("gridworker", "/areas/220102001001001/events/new", 200),
    "units": ("county", "/areas/220102/units", 200),
    "queue": ("county", "/units/{unit}/queue", 200),
    "events-filtered": ("community", "/areas/220102001001/events?q=%E8%B7%AF&from=2026-01-01&to=2026-12-31", 200),
    "events-verify": ("gridworker", "/areas/220102001001001/events/verify", 200),
    "my-reports": ("resident", "/my/reports", 200),
    "notices": ("community", "/areas/220102001001/notices", 200),
    "notice": ("community", "/notices/{notice}", 200),
    "notice-new": ("community", "/areas/220102001001/notices/new", 200),
    "notice-edit": ("community", "/notices/{notice_draft}/edit", 200),
    "notices-mine": ("resident", "/notices", 200),
    "person-account": ("gridworker", "/persons/{person}/account", 200),
    "household-linked": ("gridworker", "/households/{linked_household}", 200),
    "my-registration": ("resident", "/account/registration", 200),
    "my-registration-unlinked": ("unlinkedtest", "/account/registration", 200),
    "overview-township": ("county", "/areas/220102001/overview", 200),
    "inbox-filtered": ("gridworker", "/inbox?kind=warning&read=unread", 200),
    "bad-input": ("gridworker", "/inbox?page=abc", 422),
    "selfgov-community": ("community", "/areas/220102001001/selfgov", 200),
    "selfgov-township": ("street", "/areas/220102001/selfgov?failed=1", 200),
    "selfgov-resident": ("resident", "/areas/220102001001/selfgov", 200),
    "selfgov-rules": ("resident", "/selfgov/rules", 200),
    # The demo's residents' meeting in 华阳社区 is the first meeting of a fresh demo (selfgov/demo.py).
    "selfgov-meeting": ("community", "/selfgov/meetings/1", 200),
    "disclosure-board": ("resident", "/public/disclosure/220102001001", 200),
    "disclosure-board-village": ("admin", "/public/disclosure/220122001202", 200),
    "disclosure-print": ("admin", "/public/disclosure/220122001202/print", 200),
    "disclosure-items": ("community", "/areas/220102001001/disclosure", 200),
    "disclosure-report": ("county", "/areas/220102/disclosure", 200),
    "disclosure-new": ("community", "/areas/220102001001/disclosure/new", 200),
    "disclosure-settings": ("street", "/areas/220102001/disclosure/settings", 200),
    "conventions-public": ("admin", "/public/conventions/220122001202", 200),
    "conventions": ("admin", "/areas/220122001202/conventions", 200),
    "consultations-public": ("resident", "/public/consultations/220102001001", 200),
    "consultations": ("community", "/areas/220102001001/consultations", 200),
    "consultation-raise": ("resident", "/areas/220102001001/consultations/raise", 200),
    "services-catalogue": ("resident", "/services/catalogue/220102001001", 200),
    "services-offer": ("resident", "/services/offers/{svc_offer}", 200),
    "services-apply": ("resident", "/services/offers/{svc_offer}/apply", 200),
    "services-mine": ("resident", "/services/mine", 200),
    "services-application": ("community", "/services/applications/{svc_app}", 200),
    "services-list": ("community", "/areas/220102001001/services", 200),
    "services-figures": ("county", "/areas/220102/services/figures", 200),
    "services-admin": ("street", "/areas/220102001/services/catalogue", 200),
    # Organizations (the demo's 南岭街道 alliance is alliance 1; organization 7 its power-supply station,
    # need 1 a need met and rated).
    "org-alliances": ("street", "/areas/220102001/alliances", 200),
    "org-alliance": ("street", "/alliances/1", 200),
    "org-alliance-community": ("community", "/alliances/1", 200),
    "org-alliance-new": ("street", "/areas/220102001/alliances/new", 200),
    "org-organizations": ("street", "/areas/220102001/organizations", 200),
    "org-organization": ("street", "/organizations/7", 200),
    "org-organization-new": ("street", "/areas/220102001/organizations/new", 200),
    "org-needs": ("community", "/areas/220102001001/org-needs", 200),
    "org-need": ("community", "/org-needs/1", 200),
    "org-need-new": ("community", "/areas/220102001001/org-needs/new", 200),
    "org-counts": ("county", "/areas/220102/org-counts", 200),
    "org-pairings": ("street", "/areas/220102001/pairings", 200),
    "org-pairing": ("street", "/pairings/1", 200),
    "org-service-summary": ("street", "/areas/220102001/service-summary", 200),
    # The demo's only matter (农安县): its six steps, ⑤⑥ linked to the board's items (selfgov/demo.py).
    "selfgov-matter": ("admin", "/selfgov/matters/1", 200),
    # Workforce: the demo community worker's own record, a street's staffing, the county's pay preview.
    "workforce-me": ("community", "/workforce", 200),
    "workforce-street": ("street", "/areas/220102001/workforce", 200),
    "workforce-pay": ("county", "/areas/220102/workforce/pay?month=2026-03", 200),
    # The first of each made by a fresh demo (disclosure, conventions and consultation demos run before
    # selfgov's, which adds its matter's items after them).
    "disclosure-item": ("admin", "/disclosure/items/1", 200),
    "disclosure-item-public": ("resident", "/public/disclosure/items/1", 200),
    "convention": ("admin", "/conventions/1", 200),
    "convention-diff": ("admin", "/conventions/versions/2/diff", 200),
    "consultation": ("community", "/consultations/1", 200),
    # Workforce forms: the county's page (its flagged worker), worker 1 (the demo's first, 南关区), the
    # forms to register a worker and set the rules, the 2025 round (published) and the 2026 one (open).
    "workforce-county": ("county", "/areas/220102/workforce", 200),
    "workforce-worker": ("county", "/workforce/workers/1", 200),
    "workforce-worker-new": ("county", "/areas/220102/workforce/workers/new", 200),
    "workforce-rules": ("county", "/areas/220102/workforce/rules?year=2026", 200),
    "workforce-rounds": ("county", "/areas/220102/workforce/rounds", 200),
    "workforce-round": ("county", "/workforce/rounds/1", 200),
    "workforce-round-open": ("county", "/workforce/rounds/2", 200),
    # Social work (socialwork/demo.py): 农安县's centre is station 1, 农安镇's station 2; case 2 has a plan.
    "socialwork-county": ("admin", "/areas/220122/socialwork", 200),
    "socialwork-station": ("nongan_socialworker", "/socialwork/stations/2", 200),
    "socialwork-case": ("nongan_socialworker", "/socialwork/cases/2", 200),
    # Responsibility lists (the demo's 南岭街道 list, its county's queue and report) and the certificate counter.
    "duties-township": ("street", "/areas/220102001/duties", 200),
    "duties-review": ("county", "/areas/220102/duties/review", 200),
    "duties-report": ("county", "/areas/220102/duties", 200),
    "certificates-counter": ("community", "/areas/220102001001/certificates?q=%E5%BC%A0", 200),
    # selfgov (h-selfgov2): the seat form's person picker open with a name searched in the register.
    "selfgov-picker": ("community", "/areas/220102001001/selfgov?who=王", 200),
    # The demo's request of the representatives to convene a villagers' meeting (农安县), its support reached.
    "selfgov-request": ("admin", "/selfgov/requests/1", 200),
    # Safety units (safety/demo.py): a street's page with its forms, the first demo case, and whom the demo
    # grid worker (the judge of their grid, the community's police and adviser) and a resident call.
    "safety-street": ("street", "/areas/220102001/safety", 200),
    "safety-case": ("street", "/safety/cases/1", 200),
    "safety-contacts-grid": ("gridworker", "/safety", 200),
    "safety-contacts-resident": ("resident", "/safety", 200),
    # Facilities: 华阳社区's public page (its facility is facility 1 of a fresh demo), the figures of a street
    # and a county, the facility and the form of the community worker, a resident's elderly classes.
    "facilities-public": ("resident", "/public/facilities/220102001001", 200),
    "facilities-street": ("street", "/areas/220102001/facilities", 200),
    "facilities-county": ("county", "/areas/220102/facilities", 200),
    "facility": ("community", "/facilities/1", 200),
    "facility-new": ("community", "/areas/220102001001/facilities/new", 200),
    "facilities-classes": ("resident", "/facilities/classes", 200),
    "facilities-class": ("community", "/facilities/elder-classes/1", 200),
    # Funding (the demo's 2026 lines): the county's report, a community's lines with the county's forms,
    # and the same community's lines as its own worker reads them.
    "funding-report": ("county", "/areas/220102/funding?year=2026", 200),
    "funding-village": ("county", "/areas/220102001001/funding?year=2026", 200),
    "funding-own": ("community", "/areas/220102001001/funding?year=2026", 200),
    # Road chiefs (chiefs/demo.py): the street's and the community's lists with their forms; the grid worker's
    # own appointment (the third made: lane chief of 华阳胡同) with the patrol form and the reported finding.
    "chiefs-street": ("street", "/areas/220102001/chiefs", 200),
    "chiefs-community": ("community", "/areas/220102001001/chiefs", 200),
    "chief-lane": ("gridworker", "/chiefs/3", 200),
    # Facilities' forms (facilities2): a county official on a street's page designates sites, reviews 华阳社区
    # (the demo's site), opens branches and adds classes.
    "facilities-street-county": ("county", "/areas/220102001/facilities", 200),
}
# The accounts of those who do their work on a phone: their pages get axe-core in the phone pass too.
PHONE_USERS = frozenset({"gridworker", "nongan_gridworker", "resident", "unlinkedtest", None})
LARGE_TEXT_PAGES = ("area-province", "area-county", "area-village", "grid-edit", "grid-new", "grid-view", "users")


@pytest.fixture(scope="module")
def residents(live_server) -> dict[str, int]:
    """A household with two persons in the grid worker's grid, for the residents pages (made once)."""
    from datetime import date

    from sqlalchemy import func, select

    from linli.authz.principal import system_principal
    from linli.db.session import unit_of_work
    from linli.events.models import Event, HandlingUnit
    from linli.events.workflow import OPEN_STATES
    from linli.kit.codes import subtree_range
    from linli.residents import service
    from linli.residents.idcard import make_id
    from linli.residents.models import Household, Person
    from linli.residents.schemas import HouseholdIn, PersonIn, TagIn
    from linli.residents.service import households

    grid = "220102001001001"
    with unit_of_work(live_server.session_factory) as session:
        h = session.scalar(select(Household).where(Household.area_code == grid, Household.address == "测试路1号"))
        if h is None:
            actor = system_principal("browser-tests")
            h = households.create_household(
                session, actor, HouseholdIn(area_code=grid, register_type="local", address="测试路1号")
            )
            for i, (name, relation, born) in enumerate(
                (("周建国", "head", date(1950, 4, 2)), ("周小雨", "grandchild", date(2014, 6, 1)))
            ):
                service.register_person(
                    session,
                    actor,
                    PersonIn(
                        household_id=h.id,
                        relation=relation,
                        name=name,
                        id_number=make_id("220102", born, 900 + i),
                        phone="13912345678" if i == 0 else None,
                        tags=[TagIn(tag="elderly_alone")] if i == 0 else [],
                    ),
                )
        person = session.scalar(select(Person.id).where(Person.household_id == h.id).order_by(Person.id))
        # Pending transfers into the grid worker's grid (accept/reject forms) and out of it (cancel).
        from linli.areas.models import Area
        from linli.residents import transfers
        from linli.residents.models import TransferRequest
        from linli.residents.schemas import TransferIn

        transfer = session.scalar(select(TransferRequest.id).where(TransferRequest.to_area == grid).limit(1))
        if transfer is None:
            actor = system_principal("browser-tests")
            low, high = subtree_range("220102")
            elsewhere = select(Person.id).where(Person.area_code >= low, Person.area_code < high)
            newcomer = session.scalar(
                elsewhere.where(Person.area_code != grid, Person.status == "present").order_by(Person.id).limit(1)
            )
            body = TransferIn(person_id=newcomer, to_area_code=grid, reason="投靠子女（测试）")
            transfer = transfers.request_transfer(session, actor, body).id
            other_grid = session.scalar(
                select(Area.code)
                .where(Area.level == "grid", Area.code >= low, Area.code < high, Area.code != grid)
                .order_by(Area.code)
                .limit(1)
            )
            leaving = session.scalar(select(Person.id).where(Person.household_id == h.id).order_by(Person.id.desc()))
            transfers.request_transfer(
                session, actor, TransferIn(person_id=leaving, to_area_code=other_grid, reason="外出上学（测试）")
            )
        # One of the demo events in the community worker's village, for the event page.
        low, high = subtree_range("220102001001")
        event = session.scalar(
            select(Event.id).where(Event.area_code >= low, Event.area_code < high).order_by(Event.id).limit(1)
        )
        # The demo's lightning warning in force, for the warning page.
        from linli.alerts.models import WarningMessage

        warning = session.scalar(
            select(WarningMessage.identifier).where(
                WarningMessage.event_type == "lightning", WarningMessage.is_current.is_(True)
            )
        )
        # An open one, for the supervision note and "me too" forms.
        open_event = session.scalar(
            select(Event.id)
            .where(Event.area_code >= low, Event.area_code < high, Event.state.in_(OPEN_STATES))
            .order_by(Event.id)
            .limit(1)
        )
        # The busiest unit in the county official's county, for the work queue page.
        low, high = subtree_range("220102")
        unit = session.scalar(
            select(Event.unit_id)
            .join(HandlingUnit, HandlingUnit.id == Event.unit_id)
            .where(Event.state.in_(("dispatched", "accepted")), HandlingUnit.area_code >= low)
            .where(HandlingUnit.area_code < high)
            .group_by(Event.unit_id)
            .order_by(func.count().desc(), Event.unit_id)
            .limit(1)
        )
        # The demo's notice to all residents, and a draft with an attachment for the edit form.
        import io

        from linli.notices import service as notices
        from linli.notices.models import Notice
        from linli.notices.schemas import NoticeIn

        notice = session.scalar(select(Notice.id).where(Notice.generated.is_(True)).order_by(Notice.id).limit(1))
        notice_draft = session.scalar(select(Notice.id).where(Notice.title == "测试草稿"))
        if notice_draft is None:
            actor = system_principal("browser-tests")
            body = NoticeIn(area_code="220102001001", title="测试草稿", body="第一行\n第二行")
            d = notices.create(session, actor, body)
            notices.add_attachment(session, actor, d.id, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "通知.pdf")
            notice_draft = d.id
        # The household of the person the demo linked to the demo resident's account.
        from linli.residents.models import AccountLink

        linked_household = session.scalar(
            select(Person.household_id).join(AccountLink, AccountLink.person_id == Person.id).limit(1)
        )
        # A demo application waiting for acceptance (its materials and the counter's forms), and its offer.
        from linli.services.models import Application

        svc = session.execute(
            select(Application.id, Application.offer_id).where(Application.state == "submitted").limit(1)
        ).first()
        return {
            "svc_app": svc[0] if svc else 0,
            "svc_offer": svc[1] if svc else 0,
            "linked_household": linked_household,
            "notice": notice,
            "notice_draft": notice_draft,
            "household": h.id,
            "person": person,
            "transfer": transfer,
            "event": event,
            "unit": unit,
            "open_event": open_event,
            "warning": warning,
        }


def _path(path: str, residents: dict[str, int] | None) -> str:
    return path.format(**residents) if residents and "{" in path else path


def _watched_page(new_context, axe: bool = False, **kwargs):
    ctx = new_context(**kwargs)
    watch_csp(ctx)
    if axe:
        preload_axe(ctx)
    return ctx.new_page()


def _csp_problems(page, what: str) -> list[str]:
    return [f"{what} ({page.url}): CSP violation: {v}" for v in csp_violations(page)]


# The page's width at a phone's, in normal text and then in large text (left on: the next visit loads a
# new document). `frames`: first wait for the next two frames, in which the charts follow the window's
# resize event. (Not window.innerWidth: a mobile browser widens its layout viewport to a page too wide.)
WIDTHS = """async (frames) => {
  if (frames) await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const root = document.documentElement, normal = root.scrollWidth;
  root.classList.add('large-text');
  return [normal, root.scrollWidth];
}"""


def _too_wide(width: int, what: str, url: str) -> list[str]:
    if width > PHONE["width"]:
        return [f"{what} ({url}): the page scrolls sideways ({width} px > {PHONE['width']} px)"]
    return []


def _check(page, name: str, username: str | None, lang: str, phone: bool) -> list[str]:
    """The problems of the page as loaded (see _check_pages)."""
    device = "phone" if phone else "desktop"
    what = f"{name} [{lang}, {device}]"
    problems = _csp_problems(page, what)  # before axe, which is not the page's own
    if not phone or username in PHONE_USERS:
        problems += axe_problems(page, what)
    screenshot(page, f"{name}-{lang}-{device}")
    if not phone:
        page.set_viewport_size(PHONE)
    normal, large = page.evaluate(WIDTHS, not phone)
    problems += _too_wide(normal, f"{name} [{lang}, phone]", page.url)
    problems += _too_wide(large, f"{name} [{lang}, large text, phone]", page.url)
    if not phone and name in LARGE_TEXT_PAGES:
        problems += axe_problems(page, f"{name} [{lang}, large text, phone]")
    if not phone:
        page.set_viewport_size(DESKTOP)
    return problems


def _check_pages(module_context, pages, live_server, lang: str, names, residents=None, phone=False) -> list[str]:
    """Visit each page as its user: the CSP, axe-core (on a phone: for PHONE_USERS), a screenshot (with
    LINLI_SCREENSHOTS=1); then at a phone's width, in normal and in large text, no sideways scrolling (and
    axe-core in large text on LARGE_TEXT_PAGES, in the desktop pass). Large text is the page's own
    `large-text` class, which is all the mode changes but the words of its own switch: set on the page as
    loaded, instead of loading every page once more. Each user's page of a pass is kept for the module
    (`pages`), whichever part visits with it next."""
    problems = []
    screen = PHONE_SCREEN if phone else {}

    def page_of(username: str | None):
        key = (username, lang, phone)
        if key not in pages:
            axe = not phone or username in PHONE_USERS
            page = _watched_page(module_context, axe=axe, as_user=username, **screen)
            # Set after signing in: sign-in sets the language the account has.
            page.context.add_cookies(_prefs(live_server, lang))
            pages[key] = page
        return pages[key]

    if names == PARTS[0]:  # the sign-in page, before anyone signs in (once per pass)
        anon = page_of(None)
        visit(anon, "/login")
        problems += _check(anon, "login", None, lang, phone)
    for name in names:
        username, path, status = PAGES[name]
        page = page_of(username)
        resp = visit(page, _path(path, residents))
        assert resp.status == status, f"{path}: {resp.status}"
        assert page.locator("html").get_attribute("lang") == lang
        problems += _check(page, name, username, lang, phone)
    return problems


def _prefs(live_server, lang: str) -> list[dict]:
    return [
        {"name": "linli_lang", "value": lang, "url": live_server.url},
        {"name": "linli_text", "value": "normal", "url": live_server.url},
    ]


@pytest.fixture(scope="module")
def pass_pages() -> dict:
    """(username, language, on a phone) → the page that user's visits of that pass use."""
    return {}


# The pages in parts of about ten, so that the workers share them (each part signs in its own users).
PARTS = [list(PAGES)[i : i + 10] for i in range(0, len(PAGES), 10)]


# (language, on a phone): the two passes; each checks the width of a phone in normal and large text.
PASSES = [("zh-CN", False), ("en", True)]


@pytest.mark.parametrize(
    ("lang", "phone", "names"),
    [(lang, phone, part) for lang, phone in PASSES for part in PARTS],
    ids=[f"{lang}-{'phone' if phone else 'desktop'}-{n}" for lang, phone in PASSES for n in range(1, len(PARTS) + 1)],
)
def test_main_pages_pass_axe_and_fit_a_phone(module_context, pass_pages, live_server, residents, lang, phone, names):
    problems = _check_pages(module_context, pass_pages, live_server, lang, names, residents, phone=phone)
    if problems:
        pytest.fail(
            "axe-core found serious/critical violations, the CSP refused something, or a page is wider than "
            "the phone:\n" + "\n".join(problems),
            pytrace=False,
        )


# A page with each fault the pass looks for, made by script on the sign-in page: an image without a text
# alternative (axe-core: image-alt, critical), inline script (refused by the CSP), a box 20rem wide (fits
# a phone in normal text, 22px a rem in large text does not) and one of 30em (fits in neither).
FAULTS = """(width) => {
  document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/static/none.png">');
  const script = document.createElement('script');
  script.textContent = 'window.inline = 1';
  document.body.append(script);
  const box = document.createElement('div');
  box.style.width = width;
  box.textContent = 'box';
  document.body.append(box);
}"""


@pytest.mark.parametrize(("phone", "width", "too_wide"), [(False, "20rem", 1), (True, "30em", 2)])
def test_the_pass_finds_each_fault_it_looks_for(module_context, live_server, phone, width, too_wide):
    """The checks of the pass on a page that has the faults (with axe-core preloaded, as the pass does)."""
    screen = PHONE_SCREEN if phone else {}
    page = _watched_page(module_context, axe=True, **screen)
    visit(page, "/login")
    page.evaluate(FAULTS, width)
    problems = _check(page, "login", None, "zh-CN", phone)
    assert any("image-alt (critical)" in p for p in problems), problems
    assert any("CSP violation: script-src" in p for p in problems), problems
    assert sum("scrolls sideways" in p for p in problems) == too_wide, problems
    if too_wide == 1:
        assert any("[zh-CN, large text, phone]" in p and "sideways" in p for p in problems), problems


@pytest.mark.parametrize(
    ("username", "path", "name"),
    [
        ("county", "/areas/220102", "area-county"),
        ("community", "/areas/220102001001", "area-village"),
        ("gridworker", "/grids/220102001001001", "grid-view"),
        ("community", "/grids/220102001001001", "grid-edit"),
    ],
)
def test_phone_sized_screen(new_context, live_server, username, path, name):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, as_user=username).new_page()
    visit(page, path)
    width = page.evaluate("() => window.innerWidth")
    assert width == PHONE["width"]
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{path}: the page scrolls sideways on a phone ({scroll} px > {width} px)"
    # The navigation is on screen and every link in it can be reached and used ("More" opens with a tap).
    more = page.locator("nav.mainnav details summary")
    if more.count():
        more.tap()
        assert page.locator("nav.mainnav details[open]").count() == 1
    links = page.locator("nav.mainnav a")
    assert links.count() >= 3
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"nav link {i} off screen: {box}"
    # The map is visible, as wide as the screen allows, and has drawn something.
    map_id = "#draw-map" if page.locator("#draw-map").count() else "#map"
    page.locator(map_id).scroll_into_view_if_needed()
    box = page.locator(map_id).bounding_box()
    assert box["width"] >= width * 0.8 and box["x"] + box["width"] <= width and box["height"] >= 200, box
    assert page.locator(f"{map_id} .leaflet-overlay-pane path").count() >= 1
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, f"{name}-phone")
    # (axe-core on a phone: the English pass of test_main_pages_pass_axe_and_fit_a_phone.)
    # The account's links work by touch.
    page.tap("header nav.account a[href='/account/password']")
    page.wait_for_url("**/account/password")


def test_revealed_numbers_fit_a_phone(new_context, live_server, residents):
    """A revealed ID and phone number (monospace, unbreakable digits) still fit the phone's width."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, as_user="community").new_page()
    assert visit(page, _path(PAGES["household-reveal"][1], residents)).status == 200
    with page.expect_navigation():
        page.click("form[action$='/reveal'] button")
    assert page.locator("text=13912345678").count() == 1
    width = PHONE["width"]
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: the page scrolls sideways on a phone ({scroll} px > {width} px)"
    screenshot(page, "household-reveal-phone")
    assert_accessible(page, "household-reveal [phone]")


def test_events_map_markers_open_a_popup_linking_to_the_event(new_context, live_server):
    page = new_context().new_page()
    login(page, live_server, "community")
    visit(page, "/areas/220102001001/events/map")
    # Each event is a marker (white rim) or counted in a cluster's number.
    markers = page.locator("#events-map .leaflet-overlay-pane path.leaflet-interactive[stroke='#ffffff']")
    grouped = sum(int(t) for t in page.locator("#events-map .marker-cluster").all_inner_texts())
    assert markers.count() + grouped == int(page.locator("#events-map").get_attribute("data-count"))
    overdue = "#events-map path[fill='#a1000f'], #events-map .marker-cluster.late"
    assert page.locator(overdue).count() >= 1  # an overdue one
    first = page.evaluate("() => document.getElementById('events-map').linliCluster.getLayers()[0].options.eventId")
    page.mouse.click(*event_marker_point(page, first))
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    href = link.get_attribute("href")
    assert href.startswith("/events/") and page.locator(f"main .cards a[href='{href}']").count() == 1


def test_warning_progress_polls_and_a_grid_worker_confirms_on_a_phone(new_context, live_server, residents):
    issuer = new_context().new_page()
    login(issuer, live_server, "weather")
    visit(issuer, f"/warnings/{residents['warning']}")
    summary = issuer.locator("#progress-summary")
    assert summary.get_attribute("aria-live") == "polite"
    before = summary.inner_text()
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    # Signed in, the grid worker's workbench says the warning waits for them, one tap away.
    login(page, live_server, "nongan_gridworker")
    width = PHONE["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "the workbench scrolls sideways"
    todo = page.locator(f".todos li.urgent a[href='/warnings/{residents['warning']}']")
    assert todo.count() == 1 and "待您确认的预警" in todo.inner_text()
    assert todo.bounding_box()["height"] >= 44
    screenshot(page, "workbench-gridworker-phone")
    problems = axe_problems(page, "workbench [phone]")
    with page.expect_navigation():
        todo.click()
    settle(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    button = page.locator("#confirm button[value='received']")
    assert button.bounding_box()["height"] >= 44  # a finger's width
    screenshot(page, "warning-confirm-phone")
    problems += axe_problems(page, "warning-confirm [phone]")
    with page.expect_navigation():
        button.click()
    assert page.locator("#c-done").count() == 1
    # Answered: no longer waiting on the workbench.
    visit(page, "/")
    assert page.locator(f".todos a[href='/warnings/{residents['warning']}']").count() == 0
    # The issuer's page updates by itself within a poll (every 5 s): one more confirmed.
    issuer.wait_for_function(
        "before => document.querySelector('#progress-summary').innerText !== before", arg=before, timeout=12000
    )
    if problems:
        pytest.fail("axe-core found serious/critical violations:\n" + "\n".join(problems), pytrace=False)
