"""What the workforce pages share: the permission aliases, the words of the codes, the form's fields as
typed, and a schema built from them whose refusal names each field in words (not its code)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from pydantic import ValidationError

from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, gettext
from linli.web.pages import problem
from linli.workforce import kinds

Reader = Annotated[Principal, Depends(Require(Permission.workforce_read))]
Manager = Annotated[Principal, Depends(Require(Permission.workforce_manage))]
Payer = Annotated[Principal, Depends(Require(Permission.workforce_pay))]
MANAGE = Permission.workforce_manage
VERDICTS = {"below": N_("below the rule"), "within": N_("within the rule"), "above": N_("above the rule")}

# The words of each form field, for a refusal ("written test score: give 100 or less").
FIELDS = {
    "name": N_("name"), "area_code": N_("community"), "education": N_("education"),
    "political_status": N_("political status"), "qualification": N_("social-work qualification"),
    "qualified_on": N_("date of the qualification"), "work_start": N_("work start"), "source": N_("source"),
    "contract_start": N_("contract start"), "contract_end": N_("contract end"), "post": N_("post"),
    "start": N_("from"), "level": N_("level"), "year": N_("year"), "result": N_("result"), "on": N_("date"),
    "reason": N_("reason"), "written": N_("written test score"), "interview": N_("interview score"),
    "title": N_("title"), "conditions": N_("conditions"), "written_weight": N_("weight of the written test"),
    "interview_weight": N_("weight of the interview"), "pass_mark": N_("pass mark"), "posts": N_("places"),
    "scores": N_("scores"), "source_document": N_("source document"), "avg_manager_pay": N_("average manager pay"),
    "local_coefficient": N_("local coefficient"), "base_share": N_("base share"),
    "probation_months": N_("probation months"), "excellent_min": N_("lowest score of excellent"),
    "competent_min": N_("lowest score of competent"), "basic_min": N_("lowest score of basically competent"),
    "dismiss_incompetent_years": N_("incompetent years in a row before review"),
    "promotion_years": N_("years at a level before a promotion"), "coefficients": N_("level coefficients"),
    "rater_weights": N_("raters' weights"),
}  # fmt: skip


def _word(key) -> str:
    for table in (FIELDS, kinds.RATERS, kinds.POSTS):
        if str(key) in table:
            return gettext(table[str(key)])
    return gettext(N_("level %(n)s")) % {"n": key} if isinstance(key, int) else str(key).replace("_", " ")


def build(model, values: dict):
    """The schema from the form's values (empty text as not given); a refusal lists each field in words."""
    try:
        return model(**{k: v for k, v in values.items() if v not in ("", None)})
    except ValidationError as exc:
        lines = []
        for e in exc.errors():
            loc = [p for p in e.get("loc", ()) if p not in ("body",)]
            words = " · ".join(_word(p) for p in loc) if loc else ""
            lines.append(problem({**e, "loc": (words.replace("_", " "),)}))
        raise InvalidInput(lines[0], details=lines) from None


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields, trimmed (a checkbox present as "on")."""
    return {k: v.strip() for k, v in (await request.form()).items() if isinstance(v, str)}


Form = Annotated[dict, Depends(form_fields)]


def labels() -> dict:
    def label(table):
        return lambda v: gettext(table[v]) if v in table else (v or "—")

    def choices(table):
        return [(k, gettext(v)) for k, v in table.items()]

    return {
        "post_label": label(kinds.POSTS), "result_label": label(kinds.RESULTS), "reason_label": label(kinds.REASONS),
        "verdict_label": label(VERDICTS), "rater_label": label(kinds.RATERS), "source_label": label(kinds.SOURCES),
        "education_label": label(kinds.EDUCATION), "status_label": label(kinds.ROUND_STATUSES),
        "posts": choices(kinds.POSTS), "results": choices(kinds.RESULTS), "educations": choices(kinds.EDUCATION),
        "politicals": choices(kinds.POLITICAL), "qualifications": choices(kinds.QUALIFICATIONS),
        "sources": choices(kinds.SOURCES), "raters": choices(kinds.RATERS),
    }  # fmt: skip
