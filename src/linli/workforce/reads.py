"""What the workforce pages and API show: a worker with their current post and level, their history and
next promotion date, the staffing of communities against the rule, and a pay run (a preview or a
confirmed one) as lines, an XLSX sheet and a printable PDF."""

from __future__ import annotations

import io
import json
from datetime import date

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import N_, gettext, t
from linli.kit.time import utcnow
from linli.workforce import payroll, rules, seed, service
from linli.workforce import repository as repo
from linli.workforce.models import PayRun, Round, Worker
from linli.workforce.schemas import (
    ApplicantOut,
    AssessmentOut,
    FlagOut,
    LevelOut,
    PayLineOut,
    PayRunOut,
    PostOut,
    RatingOut,
    RoundOut,
    SettingOut,
    StaffingOut,
    WorkerDetail,
    WorkerOut,
)

READ = Permission.workforce_read


def today() -> date:
    return utcnow().date()


def worker_out(session: Session, w: Worker, name: str) -> WorkerOut:
    post = repo.post_on(session, w.id, today())
    level = repo.level_on(session, w.id, today())
    return WorkerOut(
        id=w.id, area_code=codes.unpad(w.area_code), name=name, person_id=w.person_id, education=w.education,
        political_status=w.political_status, qualification=w.qualification, qualified_on=w.qualified_on,
        work_start=w.work_start, source=w.source, contract_start=w.contract_start, contract_end=w.contract_end,
        status=w.status, exit_on=w.exit_on, probation_until=w.probation_until, post=post.post if post else None,
        level=level.level if level else None,
        generated=w.generated,
    )  # fmt: skip


def workers(session: Session, principal: Principal, area: str | None, offset: int, limit: int):
    rows, total = repo.list_workers(session, principal.scope(READ), area, offset, limit)
    found = repo.names(session, rows)
    return [worker_out(session, w, found[w.id]) for w in rows], total


def detail(session: Session, w: Worker) -> WorkerDetail:
    out = worker_out(session, w, repo.names(session, [w])[w.id])
    ratings = repo.ratings_by_year(session, w.id)
    return WorkerDetail(
        **out.model_dump(),
        posts=[
            PostOut(post=p.post, start=p.start, end=p.end, party_building=p.party_building, both_heads=p.both_heads)
            for p in repo.posts_of(session, w.id)
        ],  # fmt: skip
        levels=[
            LevelOut(level=x.level, effective_from=x.effective_from, reason=x.reason)
            for x in repo.levels_of(session, w.id)
        ],  # fmt: skip
        assessments=[
            AssessmentOut(
                year=a.year,
                result=a.result,
                score=a.score,
                ratings=[RatingOut(rater=r.rater, score=r.score, weight=r.weight) for r in ratings.get(a.year, [])],
            )
            for a in repo.assessments_of(session, w.id)
        ],  # fmt: skip
        next_promotion=service.next_promotion(session, w, today()),
    )


def readable_worker(session: Session, principal: Principal, worker_id: int) -> Worker:
    w = repo.get_worker(session, principal.scope(READ), worker_id)
    if w is None:
        raise service.missing_worker(worker_id)
    return w


def my_worker(session: Session, principal: Principal) -> Worker:
    """The worker record linked to the signed-in account (Worker.user_id), or 404."""
    w = repo.worker_of_user(session, principal.user_id)
    if w is None:
        raise NotFound(t("your account is not linked to a community worker"))
    return w


def staffing(session: Session, principal: Principal, area: str) -> list[StaffingOut]:
    """Each community or village under the area: its households (residents register), active workers
    and the band of the rule of this year that covers it."""
    if not codes.is_valid(area):
        raise NotFound(t("area {code} does not exist", code=area))
    principal.check(READ, area, what=t("area {code}", code=area))
    households = repo.households_by_community(session, area)
    active = repo.active_by_community(session, area)
    year, out = today().year, []
    for code in sorted(set(households) | set(active)):
        setting = repo.setting_for(session, code, year)
        if setting is None:
            continue
        n, staff = households.get(code, 0), active.get(code, 0)
        low, high = rules.staffing_band(setting, n)
        verdict = "below" if staff < low else "above" if staff > high else "within"
        out.append(StaffingOut(area_code=code, households=n, workers=staff, fewest=low, most=high, verdict=verdict,
                               setting_id=setting.id))  # fmt: skip
    return out


def run_out(session: Session, run: payroll.Run, run_id: int | None = None) -> PayRunOut:
    found = repo.names_by_id(session, [x.worker_id for x in run.lines])
    places = area_repo.names_of(session, sorted({str(x.explanation.get("area", "")) for x in run.lines} - {""}))
    return PayRunOut(
        id=run_id, county=run.county, month=run.month, setting_id=run.setting.id, total=run.total,
        lines=[
            PayLineOut(
                worker_id=x.worker_id, name=found.get(x.worker_id, ""), area_code=codes.unpad(x.area_code),
                post=x.post, level=x.level, coefficient=x.coefficient, amount=x.amount,
                explanation=payroll.explain(
                    x.post, x.level, x.coefficient, x.amount, x.explanation, places.get(x.explanation.get("area"))
                ),
            )
            for x in run.lines
        ],
    )  # fmt: skip


def saved_run(session: Session, principal: Principal, run_id: int) -> tuple[PayRun, payroll.Run]:
    """A confirmed run in the principal's reach (workforce.pay), as the lines it was confirmed with."""
    saved = repo.pay_run(session, principal.scope(payroll.PAY), run_id)
    if saved is None:
        raise NotFound(t("pay run {id} does not exist", id=run_id))
    lines = [
        payroll.Line(
            x.worker_id,
            x.area_code,
            x.post,
            x.level,
            x.coefficient_id,
            x.coefficient,
            x.amount,
            json.loads(x.explanation),
        )  # fmt: skip
        for x in repo.pay_lines(session, saved.id)
    ]
    setting = repo.setting_by_id(session, saved.setting_id)
    return saved, payroll.Run(codes.unpad(saved.area_code), saved.month, setting, lines)


HEADERS = (
    N_("Community"), N_("Worker"), N_("Name"), N_("Post"), N_("Level"), N_("Coefficient"), N_("Amount (yuan)"),
    N_("How it was computed"),
)  # fmt: skip


def _rows(session: Session, out: PayRunOut) -> list[list]:
    places = area_repo.names_of(session, sorted({x.area_code for x in out.lines}))
    return [
        [
            places.get(x.area_code, x.area_code),
            x.worker_id,
            x.name,
            _post(x.post),
            x.level,
            str(x.coefficient),
            str(x.amount),
            x.explanation,
        ]  # fmt: skip
        for x in out.lines
    ]


def _post(post: str) -> str:
    return {"head": t("community head"), "member": t("two-committee member"), "staff": t("staff")}.get(post, post)


def pay_table_xlsx(session: Session, out: PayRunOut) -> bytes:
    from openpyxl import Workbook

    from linli.kit.sheets import text_cell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(out.month)
    ws.append([text_cell(ws, gettext(h)) for h in HEADERS])
    for row in _rows(session, out):
        ws.append([text_cell(ws, v) for v in row])
    ws.append([text_cell(ws, t("Total")), None, None, None, None, None, text_cell(ws, str(out.total)), None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pay_table_pdf(session: Session, out: PayRunOut) -> bytes:
    from linli.kit.pdf import Document

    county = area_repo.names_of(session, [out.county]).get(out.county, out.county)
    doc = Document(t("Pay table of community workers"), subtitle=f"{county} {out.month}")
    doc.facts([(t("Workers"), len(out.lines)), (t("Total"), f"{out.total} " + t("yuan")),
               (t("Rules row"), out.setting_id)])  # fmt: skip
    rows = [r[:7] for r in _rows(session, out)]
    doc.table([gettext(h) for h in HEADERS[:7]], rows, widths=(3, 1, 2, 2, 1, 1.5, 1.5))
    return doc.output()


def run_of_month(session: Session, principal: Principal, county: str, month: str) -> int | None:
    """The id of the county's confirmed run of the month, if any (the caller may pay there)."""
    saved = repo.pay_run_of(session, county, month)
    return saved.id if saved is not None and principal.can(payroll.PAY, county) else None


def round_out(session: Session, found: Round, *, with_applicants: bool = True) -> RoundOut:
    applicants = repo.applicants_of(session, found.id) if with_applicants else []
    return RoundOut(
        id=found.id, county=codes.unpad(found.area_code), year=found.year, title=found.title,
        conditions=found.conditions, posts=repo.round_posts(session, found.id), written_weight=found.written_weight,
        interview_weight=found.interview_weight, pass_mark=found.pass_mark, status=found.status,
        published_on=found.published_on, generated=found.generated,
        applicants=[ApplicantOut.model_validate(a, from_attributes=True) for a in applicants],
    )  # fmt: skip


def rounds(session: Session, principal: Principal, area: str) -> list[RoundOut]:
    if not codes.is_valid(area):
        raise NotFound(t("area {code} does not exist", code=area))
    principal.check(READ, area, what=t("area {code}", code=area))
    return [round_out(session, r, with_applicants=False) for r in repo.rounds_in(session, principal.scope(READ), area)]


def readable_round(session: Session, principal: Principal, round_id: int) -> Round:
    found = repo.get_round(session, principal.scope(READ), round_id)
    if found is None:
        raise NotFound(t("recruitment round {id} does not exist", id=round_id))
    return found


def flags(session: Session, principal: Principal, area: str) -> list[FlagOut]:
    """Active workers under the area whose latest assessments were incompetent for as many years in a row
    as the rule of their county (of the latest of those years) says: to review for dismissal."""
    if not codes.is_valid(area):
        raise NotFound(t("area {code} does not exist", code=area))
    principal.check(READ, area, what=t("area {code}", code=area))
    by_worker: dict[int, tuple[str, dict[int, str]]] = {}
    for worker_id, place, year, result in repo.assessments_of_incompetent(session, principal.scope(READ), area):
        by_worker.setdefault(worker_id, (place, {}))[1][year] = result
    out, settings = [], {}
    for worker_id, (place, years) in by_worker.items():
        key = (place[:6], max(years))
        if key not in settings:
            settings[key] = repo.setting_for(session, key[0], key[1])
        setting = settings[key]
        run = rules.flagged_years(years, setting.dismiss_incompetent_years) if setting else []
        if run:
            out.append(FlagOut(worker_id=worker_id, name="", area_code=codes.unpad(place), years=run,
                               rule_years=setting.dismiss_incompetent_years, setting_id=setting.id))  # fmt: skip
    found = repo.names_by_id(session, [f.worker_id for f in out])
    return [f.model_copy(update={"name": found.get(f.worker_id, "")}) for f in out]


def communities(session: Session, area: str) -> list[tuple[str, str]]:
    """The communities and villages a worker of the area may serve: (code, "township · community")."""
    if len(area) == 12:
        return [(area, area_repo.names_of(session, [area]).get(area, area))]
    rows = area_repo.townships_and_villages(session, area)
    towns = {code: name for code, name, level, _, _ in rows if level == "township"}
    return [(code, f"{towns.get(parent, '')} · {name}") for code, name, level, _, parent in rows if level == "village"]


def rater_weights(session: Session, worker: Worker, year: int) -> dict:
    """The raters the worker's county scores with in `year`, with their weights (empty without rules)."""
    setting = repo.setting_for(session, codes.unpad(worker.area_code), year)
    return rules.weights(setting) if setting else {}


def setting_out(session: Session, s) -> SettingOut:
    return SettingOut(
        id=s.id, area_code=codes.unpad(s.area_code), year=s.year, pay_enabled=s.pay_enabled,
        avg_manager_pay=s.avg_manager_pay, local_coefficient=s.local_coefficient, base_share=s.base_share,
        head_min=s.head_min, head_max=s.head_max, member_min=s.member_min, member_max=s.member_max,
        staff_min=s.staff_min, staff_max=s.staff_max, promotion_years=s.promotion_years,
        years_per_step=s.years_per_step, max_service_steps=s.max_service_steps,
        education_steps=json.loads(s.education_steps), qualification_steps=json.loads(s.qualification_steps),
        staff_base_min=s.staff_base_min, staff_base_max=s.staff_base_max, base_households=s.base_households,
        households_per_extra=s.households_per_extra, source=s.source, seeded_default=s.seeded_default,
        probation_months=s.probation_months, rater_weights=rules.weights(s), excellent_min=s.excellent_min,
        competent_min=s.competent_min, basic_min=s.basic_min, dismiss_incompetent_years=s.dismiss_incompetent_years,
        coefficients={level: c.coefficient for level, c in sorted(repo.coefficients(session, s.id).items())},
    )  # fmt: skip


def rules_for_form(session: Session, principal: Principal, area: str, year: int) -> tuple[SettingOut, str]:
    """The rules a form for the area and year starts from, and where they come from: the area's own row
    ("own"), the row it inherits ("inherited"), or the seeded defaults ("default")."""
    principal.check(READ, area, what=t("area {code}", code=area))
    own = repo.setting_at(session, area, year)
    if own is not None:
        return setting_out(session, own), "own"
    found = repo.setting_for(session, area, year)
    if found is not None:
        return setting_out(session, found).model_copy(update={"area_code": area}), "inherited"
    return SettingOut(id=0, **seed.default(area, year).model_dump()), "default"
