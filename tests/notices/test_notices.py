"""Notices: drafts reach nobody; publishing fans out to the audience of the subtree; withdrawing hides;
attachments are checked by their first bytes and size, nothing stored when refused; who sees what."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.areas import grids
from linli.audit.models import AuditEntry
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.time import utcnow
from linli.notices import repository, service
from linli.notices.files import AttachmentTooLarge, files_dir
from linli.notices.models import Notice, NoticeAttachment
from linli.notices.schemas import NoticeIn, NoticeUpdate
from linli.notify import service as subs
from linli.notify.models import OutboxMessage, Subscription
from linli.notify.schemas import SubscriptionIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, auth, make_user, principal, token_for
from tests.factories_residents import GRID, GRID_B, SIBLING_GRID, make_grids, make_person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes(kind: str = "word") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml" if kind == "word" else "xl/workbook.xml", "<x/>")
    return buf.getvalue()


def optin(session, user, topic="notices", channel="inbox", address=None):
    return subs.opt_in(session, principal(user), SubscriptionIn(channel=channel, topic=topic, address=address))


@pytest.fixture
def world(session):
    make_grids(session, SIBLING_GRID)
    u = {}
    for name, role, area in [
        ("street", "official", TOWN_A),
        ("cw1", "community_worker", VILLAGE_A),
        ("gw1", "grid_worker", GRID),
        ("gw_b", "grid_worker", GRID_B),
        ("sib1", "official", "220103"),
        ("county", "official", "2201"),
        ("res1", "resident", GRID),
        ("res_b", "resident", GRID_B),
        ("res_sib", "resident", SIBLING_GRID),
        ("res_warn", "resident", GRID),
        ("elder_acc", "resident", GRID),
    ]:
        u[name] = make_user(session, name, role, area)
    grids.assign_worker(session, SYSTEM, GRID, u["gw1"].id, "worker")
    grids.assign_worker(session, SYSTEM, GRID_B, u["gw_b"].id, "worker")
    for name in ("res1", "res_b", "res_sib"):
        optin(session, u[name])
    optin(session, u["res_warn"], topic="warnings")  # another topic: no notices
    elder = make_person(session, None, name="独居老人", relation=None, grid=GRID, tags=("elderly_alone",))
    subs.record_for_person(session, SYSTEM, elder.id, SubscriptionIn(channel="webhook", topic="notices"))
    # The elder's own account, linked to the person by a subscription naming both.
    session.add(
        Subscription(
            user_id=u["elder_acc"].id,
            person_id=elder.id,
            area_code=GRID.ljust(15, "0"),
            channel="inbox",
            topic="notices",
            recorded_by="test",
        )
    )
    session.flush()
    return {"u": u, "elder": elder, "p": {k: principal(v, (_role(k), v.area_code.rstrip("0"))) for k, v in u.items()}}


def _role(name: str) -> str:
    return {
        "street": "official",
        "cw1": "community_worker",
        "gw1": "grid_worker",
        "gw_b": "grid_worker",
        "sib1": "official",
        "county": "official",
    }.get(name, "resident")


def draft(session, who, area=TOWN_A, audience="all_residents", tag=None, title="停水通知"):
    return service.create(
        session, who, NoticeIn(area_code=area, title=title, body="明天停水。\n请储水。", audience=audience, tag=tag)
    )


def recipients(session, ref):
    return set(session.execute(select(OutboxMessage.recipient, OutboxMessage.channel).where(OutboxMessage.ref == ref)))


def mine(session, p):
    return [n.id for n in repository.list_for_me(session, p)[0]]


def test_draft_is_not_fanned_out_or_shown_to_residents(session, world):
    p, u = world["p"], world["u"]
    n = draft(session, p["street"])
    assert n.status == "draft" and recipients(session, n.ref) == set()
    assert n.id not in mine(session, p["res1"])
    with pytest.raises(NotFound):
        repository.get_readable(session, p["res1"], n.id)
    with pytest.raises(NotFound):  # a draft of the street is not addressed to the community yet
        repository.get_readable(session, p["cw1"], n.id)
    assert repository.get_readable(session, p["street"], n.id).id == n.id
    assert u["res1"].id not in {r.user_id for r in session.scalars(select(OutboxMessage))}


def test_publish_to_all_residents_reaches_subscribers_of_the_subtree_and_staff(session, world):
    p, u = world["p"], world["u"]
    n = draft(session, p["street"])
    n, result = service.publish(session, p["street"], n.id)
    assert n.status == "published" and n.published_by == "street"
    expected = {
        (f"user:{u['res1'].id}", "inbox"),
        (f"user:{u['res_b'].id}", "inbox"),
        (f"user:{u['elder_acc'].id}", "inbox"),
        (f"person:{world['elder'].id}", "webhook"),
        (f"user:{u['gw1'].id}", "inbox"),
        (f"user:{u['gw_b'].id}", "inbox"),
        (f"user:{u['cw1'].id}", "inbox"),
    }
    assert recipients(session, n.ref) == expected
    assert result.enqueued == len(expected)
    with pytest.raises(Conflict):
        service.publish(session, p["street"], n.id)
    assert len(recipients(session, n.ref)) == len(expected)
    counts = repository.deliveries(session, p["street"], n)
    assert counts.total.total == len(expected) and counts.total.pending == len(expected)


def test_publish_to_workers_only_reaches_no_resident_and_residents_do_not_see_it(session, world):
    p, u = world["p"], world["u"]
    n = draft(session, p["cw1"], area=VILLAGE_A, audience="workers_only")
    service.publish(session, p["cw1"], n.id)
    assert recipients(session, n.ref) == {(f"user:{u['gw1'].id}", "inbox"), (f"user:{u['cw1'].id}", "inbox")}
    assert n.id not in mine(session, p["res1"])
    assert n.id in mine(session, p["gw1"])
    with pytest.raises(NotFound):
        repository.get_readable(session, p["res1"], n.id)


def test_publish_to_a_tag_reaches_only_holders_and_is_shown_only_to_them(session, world):
    p, u = world["p"], world["u"]
    n = draft(session, p["street"], audience="tag", tag="elderly_alone", title="独居老人关怀")
    service.publish(session, p["street"], n.id)
    staff = {f"user:{u[k].id}" for k in ("gw1", "gw_b", "cw1")}
    residents = {r for r in recipients(session, n.ref) if r[0] not in staff}
    assert residents == {(f"person:{world['elder'].id}", "webhook"), (f"user:{u['elder_acc'].id}", "inbox")}
    assert n.id in mine(session, p["elder_acc"])
    assert n.id not in mine(session, p["res1"])
    assert repository.get_readable(session, p["gw1"], n.id).id == n.id  # staff see it


def test_tag_audience_needs_a_known_tag(session, world):
    with pytest.raises(InvalidInput) as exc:
        draft(session, world["p"]["street"], audience="tag", tag="nobody")
    assert "tag" in exc.value.message


def test_withdraw_hides_it_from_residents_and_sends_nothing_again(session, world):
    p = world["p"]
    n = draft(session, p["street"])
    service.publish(session, p["street"], n.id)
    before = len(recipients(session, n.ref))
    assert n.id in mine(session, p["res1"])
    service.withdraw(session, p["street"], n.id)
    assert n.status == "withdrawn"
    assert n.id not in mine(session, p["res1"])
    with pytest.raises(NotFound):
        repository.get_readable(session, p["res1"], n.id)
    assert len(recipients(session, n.ref)) == before
    with pytest.raises(Conflict):
        service.withdraw(session, p["street"], n.id)


def test_residents_see_their_own_areas_notices_only(session, world):
    p = world["p"]
    street = draft(session, p["street"], title="街道通知")
    village = draft(session, p["cw1"], area=VILLAGE_A, title="社区通知")
    other_grid = draft(session, p["street"], area=GRID_B, title="另一网格")
    for n in (street, village, other_grid):
        service.publish(session, p["street"], n.id)
    assert set(mine(session, p["res1"])) == {street.id, village.id}
    assert set(mine(session, p["res_b"])) == {street.id, other_grid.id}
    assert mine(session, p["res_sib"]) == []


def test_expired_notices_leave_residents_lists(session, world):
    p = world["p"]
    n = draft(session, p["street"])
    service.publish(session, p["street"], n.id)
    n.expires_at = utcnow() - timedelta(minutes=1)
    session.flush()
    assert n.id not in mine(session, p["res1"])


def test_scope_sibling_404_ancestor_sees_and_publishes(session, world):
    p = world["p"]
    n = draft(session, p["cw1"], area=VILLAGE_A)
    with pytest.raises(NotFound):
        repository.get_readable(session, p["sib1"], n.id)
    with pytest.raises(NotFound):
        service.publish(session, p["sib1"], n.id)
    with pytest.raises(NotFound):
        draft(session, p["sib1"], area=VILLAGE_A)
    assert repository.get_readable(session, p["county"], n.id).id == n.id
    service.update(session, p["county"], n.id, NoticeUpdate(title="改过的标题"))
    service.publish(session, p["county"], n.id)
    with pytest.raises(Conflict):
        service.update(session, p["county"], n.id, NoticeUpdate(title="不行"))
    # A grid worker may read but not publish: 403 in scope.
    from linli.kit.errors import Forbidden

    with pytest.raises(Forbidden):
        draft(session, p["gw1"], area=GRID)


def _stored():
    return [f for f in files_dir().rglob("*") if f.is_file()] if files_dir().exists() else []


def test_attachments_checked_by_first_bytes_and_nothing_stored_when_refused(session, world, monkeypatch):
    p = world["p"]
    n = draft(session, p["street"])
    with pytest.raises(InvalidInput) as exc:
        service.add_attachment(session, p["street"], n.id, io.BytesIO(b"MZ\x90\x00 not a pdf"), "通知.pdf")
    assert exc.value.code == "attachment_type"
    with pytest.raises(InvalidInput):
        service.add_attachment(session, p["street"], n.id, io.BytesIO(b"PK\x03\x04broken"), "x.docx")
    assert _stored() == []
    a = service.add_attachment(session, p["street"], n.id, io.BytesIO(PDF), "../../通知.pdf")
    assert (a.file_name, a.content_type, a.size) == ("通知.pdf", "application/pdf", len(PDF))
    d = service.add_attachment(session, p["street"], n.id, io.BytesIO(docx_bytes()), "名单.docx")
    x = service.add_attachment(session, p["street"], n.id, io.BytesIO(docx_bytes("xl")), "名单.xlsx")
    assert d.content_type.endswith("wordprocessingml.document") and x.content_type.endswith("spreadsheetml.sheet")
    assert len(_stored()) == 3
    monkeypatch.setenv("LINLI_NOTICE_ATTACHMENT_MAX_MB", "1")
    from linli.config import get_settings

    get_settings.cache_clear()
    with pytest.raises(AttachmentTooLarge):
        service.add_attachment(session, p["street"], n.id, io.BytesIO(PNG + b"\x00" * (1 << 20)), "big.png")
    assert len(_stored()) == 3
    service.publish(session, p["street"], n.id)
    with pytest.raises(Conflict):
        service.add_attachment(session, p["street"], n.id, io.BytesIO(PNG), "late.png")


# --- HTTP -------------------------------------------------------------------------------------------


@pytest.fixture
def http(session, world):
    tokens = {k: token_for(session, world["u"][k]) for k in ("street", "sib1", "county", "res1", "res_b", "gw1")}
    session.commit()
    return {k: auth(v) for k, v in tokens.items()}


def test_api_create_upload_publish_download(client, session, world, http):
    r = client.post(
        "/api/v1/notices",
        json={"area_code": TOWN_A, "title": "防汛通知", "body": "第一行\n第二行", "audience": "all_residents"},
        headers=http["street"],
    )
    assert r.status_code == 201, r.text
    nid = r.json()["id"]
    r = client.post(
        f"/api/v1/notices/{nid}/attachments",
        files={"file": ("fake.pdf", b"GIF89a not a pdf", "application/pdf")},
        headers=http["street"],
    )
    assert r.status_code == 422 and "PDF" in r.json()["error"]["message"]
    r = client.post(
        f"/api/v1/notices/{nid}/attachments", files={"file": ("通知.pdf", PDF, "text/html")}, headers=http["street"]
    )
    assert r.status_code == 201, r.text
    att = r.json()
    assert att["content_type"] == "application/pdf" and att["size"] == len(PDF)
    # Residents see nothing of a draft, its attachments neither.
    assert client.get(f"/api/v1/notices/{nid}", headers=http["res1"]).status_code == 404
    assert client.get(att["url"], headers=http["res1"]).status_code == 404
    r = client.post(f"/api/v1/notices/{nid}/publish", headers=http["street"])
    assert r.status_code == 200 and r.json()["status"] == "published"
    assert r.json()["deliveries"] and sum(d["total"] for d in r.json()["deliveries"]) > 0
    r = client.get(att["url"], headers=http["res1"])
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("attachment;")
    assert "%E9%80%9A%E7%9F%A5.pdf" in r.headers["content-disposition"]
    assert r.headers["x-content-type-options"] == "nosniff"
    mine = client.get("/api/v1/notices/mine", headers=http["res1"]).json()
    assert [i["id"] for i in mine["items"]] == [nid]
    assert client.get(f"/api/v1/notices/{nid}", headers=http["res1"]).json()["deliveries"] is None
    # Sibling: 404 like unknown; ancestor: sees it in the list.
    assert client.get(f"/api/v1/notices/{nid}", headers=http["sib1"]).status_code == 404
    assert client.get("/api/v1/notices/99999", headers=http["sib1"]).status_code == 404
    assert client.post(f"/api/v1/notices/{nid}/withdraw", headers=http["sib1"]).status_code == 404
    listed = client.get("/api/v1/notices", params={"area": "2201"}, headers=http["county"]).json()
    assert nid in [i["id"] for i in listed["items"]]
    assert client.get("/api/v1/notices", params={"area": TOWN_A}, headers=http["sib1"]).status_code == 404
    r = client.post(f"/api/v1/notices/{nid}/withdraw", headers=http["street"])
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    session.expire_all()
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "notice")))
    assert {"notice.create", "notice.attach", "notice.publish", "notice.withdraw"} <= actions
    assert client.get("/api/v1/notices/mine", headers=http["res1"]).json()["items"] == []


def test_upload_over_the_limit_is_refused_while_streaming(client, session, world, http, monkeypatch):
    from linli.config import get_settings

    monkeypatch.setenv("LINLI_NOTICE_ATTACHMENT_MAX_MB", "1")
    get_settings.cache_clear()
    n = draft(session, world["p"]["street"])
    session.commit()
    from linli.notices import files

    def never(*args, **kwargs):
        raise AssertionError("an upload over the limit was parsed instead of being refused while it streamed in")

    parser = files.MultiPartParser
    monkeypatch.setattr(files, "MultiPartParser", never)

    def body():
        # A chunked multipart body without a length: counted as it comes, refused past the limit.
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4\n'
        for _ in range(64):
            yield b"\x00" * (64 * 1024)

    r = client.post(
        f"/api/v1/notices/{n.id}/attachments",
        content=body(),
        headers={**http["street"], "content-type": "multipart/form-data; boundary=b"},
    )
    assert r.status_code == 413, r.text
    assert _stored() == []
    monkeypatch.setattr(files, "MultiPartParser", parser)
    big = {"file": ("big.pdf", PDF + b"\x00" * (1 << 20), "application/pdf")}
    r = client.post(f"/api/v1/notices/{n.id}/attachments", files=big, headers=http["street"])
    assert r.status_code == 413 and "1 MB" in r.json()["error"]["message"]
    assert _stored() == []
    assert session.scalar(select(func.count()).select_from(NoticeAttachment)) == 0


def test_web_pages_write_attach_publish_and_residents_page(client, session, world, http):
    client.cookies.set("linli_lang", "en")
    h = http["street"]
    r = client.get(f"/areas/{TOWN_A}/notices/new", headers=h)
    assert r.status_code == 200 and 'name="audience"' in r.text
    r = client.post(
        f"/areas/{TOWN_A}/notices/new",
        data={"title": "", "body": "x", "audience": "all_residents"},
        headers=h,
        follow_redirects=False,
    )
    assert r.status_code == 422 and "title" in r.text
    r = client.post(
        f"/areas/{TOWN_A}/notices/new",
        data={"title": "Water <b>off</b>", "body": "line one\nline two", "audience": "all_residents"},
        headers=h,
        follow_redirects=False,
    )
    assert r.status_code == 303
    nid = int(r.headers["location"].split("/")[2])
    r = client.post(
        f"/notices/{nid}/attachments", files={"file": ("fake.pdf", b"<html>", "application/pdf")}, headers=h
    )
    assert r.status_code == 422 and "not attached" in r.text
    r = client.post(f"/notices/{nid}/attachments", files={"file": ("map.png", PNG, "image/png")}, headers=h)
    assert r.status_code == 200 and "map.png" in r.text  # followed to the edit page
    r = client.post(f"/notices/{nid}/publish", data={}, headers=h)
    assert r.status_code == 422 and "confirm" in r.text
    r = client.post(f"/notices/{nid}/publish", data={"confirm": "yes"}, headers=h, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(f"/notices/{nid}", headers=h)
    assert "Water &lt;b&gt;off&lt;/b&gt;" in page.text and "Deliveries" in page.text and "Withdraw" in page.text
    assert client.get(f"/areas/{TOWN_A}/notices", headers=h).text.count(f"/notices/{nid}") == 1
    res = client.get("/notices", headers=http["res1"])
    assert res.status_code == 200 and f"/notices/{nid}" in res.text
    assert "Withdraw" not in client.get(f"/notices/{nid}", headers=http["res1"]).text
    assert client.get(f"/notices/{nid}", headers=http["sib1"]).status_code == 404
    r = client.post(f"/notices/{nid}/withdraw", data={"confirm": "yes"}, headers=h, follow_redirects=False)
    assert r.status_code == 303
    assert f"/notices/{nid}" not in client.get("/notices", headers=http["res1"]).text


def test_web_form_refusals_show_the_form_again_and_change_nothing(client, session, world, http):
    """A bad expiry time, an unknown audience and a refused change of a draft: the form again (422)
    with what was typed and the reason; the draft keeps its text."""
    client.cookies.set("linli_lang", "en")
    h = http["street"]
    form = {"title": "Lift repair", "body": "Monday", "audience": "all_residents"}
    r = client.post(f"/areas/{TOWN_A}/notices/new", data={**form, "expires_at": "soon"}, headers=h)
    assert r.status_code == 422 and "is not a date and time" in r.text and "Lift repair" in r.text
    r = client.post(f"/areas/{TOWN_A}/notices/new", data={**form, "audience": "tag", "tag": "nobody"}, headers=h)
    assert r.status_code == 422 and "choose a tag" in r.text
    assert session.scalar(select(func.count()).select_from(Notice).where(Notice.title == "Lift repair")) == 0
    r = client.post(f"/areas/{TOWN_A}/notices/new", data=form, headers=h, follow_redirects=False)
    nid = int(r.headers["location"].split("/")[2])
    r = client.post(
        f"/notices/{nid}/edit", data={**form, "body": "Tuesday", "expires_at": "2030-13-01T10:00"}, headers=h
    )
    assert r.status_code == 422 and "is not a date and time" in r.text and "Tuesday" in r.text
    r = client.post(f"/notices/{nid}/edit", data={**form, "title": " ", "body": "Tuesday"}, headers=h)
    assert r.status_code == 422 and "give the notice a title" in r.text
    session.expire_all()
    assert session.get(Notice, nid).body == "Monday"


def test_nav_shows_notices_to_staff_and_residents(session, world):
    from linli.web.templating import nav_items

    staff = [href for href, *_ in nav_items(world["p"]["street"])]
    res = [href for href, *_ in nav_items(world["p"]["res1"])]
    assert f"/areas/{TOWN_A}/notices" in staff and "/notices" in staff
    assert "/notices" in res and not any(h.endswith("/notices") and h.startswith("/areas") for h in res)


def test_demo_publishes_two_generated_notices_once(session, world):
    from linli.notices.demo import COMMUNITY, generate_notices
    from linli.notices.models import Notice

    assert generate_notices(session, SYSTEM) == 2
    assert generate_notices(session, SYSTEM) == 0
    rows = list(session.scalars(select(Notice).where(Notice.generated.is_(True)).order_by(Notice.id)))
    assert [(n.audience, n.tag, n.status) for n in rows] == [
        ("all_residents", None, "published"),
        ("tag", "elderly_alone", "published"),
    ]
    assert all(n.area_code.startswith(COMMUNITY) for n in rows)
    assert rows[1].id in mine(session, world["p"]["elder_acc"]) and rows[1].id not in mine(session, world["p"]["res1"])


def test_browser_form_upload_with_the_csrf_token_in_the_form(client, session, world):
    """A signed-in browser sends the CSRF token as a form field: the file comes from the parsed form."""
    from tests.factories import csrf_of, login

    n = draft(session, world["p"]["street"])
    session.commit()
    assert login(client, "street", "Passw0rd-test").status_code == 303
    csrf = csrf_of(session, world["u"]["street"])
    url = f"/notices/{n.id}/attachments"
    r = client.post(url, data={"csrf_token": csrf}, files={"file": ("a.pdf", b"<script>", "application/pdf")})
    assert r.status_code == 422 and _stored() == []
    r = client.post(url, data={"csrf_token": csrf}, files={"file": ("a.pdf", PDF, "application/pdf")})
    assert r.status_code == 200 and "a.pdf" in r.text and len(_stored()) == 1
    assert client.post(url, files={"file": ("b.pdf", PDF, "application/pdf")}).status_code == 403  # no token
