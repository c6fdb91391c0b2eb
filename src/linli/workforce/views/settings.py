"""The county's rules as a form (/areas/{code}/workforce/rules?year=): every number of the pay system,
the initial level rule, staffing, probation, the raters' weights and grade thresholds, the dismissal
rule and the level coefficient table, with the document they come from. The form starts from the
area's own row of the year, else the row it inherits, else the seeded defaults, and says which."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.web.forms import attempt
from linli.web.templating import render
from linli.workforce import kinds, reads, service
from linli.workforce.schemas import SettingIn, SettingOut
from linli.workforce.views.common import MANAGE, Form, Manager, Reader, build, labels

router = APIRouter(include_in_schema=False)
NUMBERS = (
    "avg_manager_pay", "local_coefficient", "base_share", "head_min", "head_max", "member_min", "member_max",
    "staff_min", "staff_max", "promotion_years", "years_per_step", "max_service_steps", "staff_base_min",
    "staff_base_max", "base_households", "households_per_extra", "probation_months", "excellent_min",
    "competent_min", "basic_min", "dismiss_incompetent_years", "source",
)  # fmt: skip


def _as_form(rules: SettingOut) -> dict[str, str]:
    """The rules as the form's text fields."""
    form = {k: "" if getattr(rules, k) is None else str(getattr(rules, k)) for k in NUMBERS}
    form["pay_enabled"] = "on" if rules.pay_enabled else ""
    form |= {f"edu_{k}": str(v) for k, v in rules.education_steps.items()}
    form |= {f"qual_{k}": str(v) for k, v in rules.qualification_steps.items()}
    form |= {f"weight_{k}": str(v) for k, v in rules.rater_weights.items()}
    form |= {f"coef_{k}": str(v) for k, v in rules.coefficients.items()}
    return form


def _from_form(code: str, year: str, form: dict) -> SettingIn:
    values = {k: form.get(k, "") for k in NUMBERS} | {"area_code": code, "year": year}
    values["pay_enabled"] = "pay_enabled" in form
    values["education_steps"] = {k: form[f"edu_{k}"] for k in kinds.EDUCATION if form.get(f"edu_{k}")}
    values["qualification_steps"] = {k: form[f"qual_{k}"] for k in kinds.QUALIFICATIONS if form.get(f"qual_{k}")}
    values["rater_weights"] = {k: form[f"weight_{k}"] for k in kinds.RATERS if form.get(f"weight_{k}")}
    values["coefficients"] = {n: form[f"coef_{n}"] for n in range(1, 19) if form.get(f"coef_{n}")}
    return build(SettingIn, values)


def _year(value: str | int | None) -> int:
    text = str(value or "").strip()
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise InvalidInput(t("year: give a year from 2000 to 2100"))
    return int(text)


def _page(request, session, principal, area, year: int, *, form=None, origin="", errors=(), status=200):
    if form is None:
        rules, origin = reads.rules_for_form(session, principal, area.code, year)
        form = _as_form(rules)
    return render(
        request, "workforce/rules.html",
        {"area": area, "year": year, "form": form, "origin": origin, "errors": errors,
         "can_manage": principal.can(MANAGE, area.code), "levels": range(1, 19),
         "edu_keys": list(kinds.EDUCATION.items()), "qual_keys": list(kinds.QUALIFICATIONS.items()),
         "rater_keys": list(kinds.RATERS.items()), "breadcrumb": crumbs(session, principal, area, "workforce"),
         **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/workforce/rules", response_class=HTMLResponse)
def rules_page(code: str, request: Request, principal: Reader, session: DbSession, year: str = ""):
    area = area_in_reach(session, principal, code, reads.READ)
    try:
        chosen = _year(year or reads.today().year)
    except InvalidInput as exc:
        return _page(request, session, principal, area, reads.today().year, errors=[exc.message], status=422)
    return _page(request, session, principal, area, chosen)


@router.post("/areas/{code}/workforce/rules", response_class=HTMLResponse)
def save_rules(code: str, request: Request, principal: Manager, session: DbSession, form: Form):
    area = area_in_reach(session, principal, code, MANAGE)
    with attempt(session) as tried:
        year = _year(form.get("year"))
        service.save_setting(session, principal, _from_form(code, str(year), form))
    if tried.errors:
        shown = int(form["year"]) if form.get("year", "").isdigit() else reads.today().year
        return _page(request, session, principal, area, shown, form=form, origin="typed", errors=tried.errors,
                     status=422)  # fmt: skip
    return RedirectResponse(f"/areas/{code}/workforce/rules?year={year}&saved=1", status_code=303)
