"""What the self-government pages share: permission aliases, labels of kinds and steps, form dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends

from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.i18n import N_, gettext
from linli.selfgov.models import STEPS
from linli.selfgov.service import matters, meetings
from linli.web.forms import date_field

READ = Require(Permission.selfgov_read)
WRITE = Require(Permission.selfgov_write)
SUPERVISE = Require(Permission.selfgov_supervise)
Reader = Annotated[Principal, Depends(READ)]
Writer = Annotated[Principal, Depends(WRITE)]
Supervisor = Annotated[Principal, Depends(SUPERVISE)]

STATUS_LABELS = {
    "active": N_("Under way"),
    "suspended": N_("Suspended"),
    "done": N_("Done"),
    "planned": N_("Planned"),
    "held": N_("Held"),
    "failed": N_("Quorum failed, rescheduled"),
    "passed": N_("Passed"),
    "rejected": N_("Rejected"),
}
CHOICE_LABELS = {"yes": N_("Yes"), "no": N_("No"), "abstain": N_("Abstain")}
BODY_LABELS = {
    "party_committee": N_("Party committee"),
    "villagers_committee": N_("Villagers' (residents') committee"),
    "representative": N_("Representative"),
}
POST_LABELS = {
    "secretary": N_("Secretary"),
    "deputy_secretary": N_("Deputy secretary"),
    "director": N_("Director"),
    "deputy_director": N_("Deputy director"),
    "member": N_("Member"),
    "representative": N_("Representative"),
}


def day(value: str, what: str) -> date | None:
    """A date field of a form (YYYY-MM-DD); empty is None."""
    return date_field(value, what)


def required_day(value: str, what: str) -> date:
    return date_field(value, what, required=True)


def helpers() -> dict[str, Any]:
    return {
        "status_label": lambda s: gettext(STATUS_LABELS.get(s, s)) if s else "—",
        "kind_label": lambda k: gettext(meetings.KIND_LABELS.get(k, k)),
        "step_label": lambda i: matters.step_name(i) if 0 <= i < len(STEPS) else gettext(N_("Done")),
        "choice_label": lambda c: gettext(CHOICE_LABELS.get(c, c)),
        "body_label": lambda b: gettext(BODY_LABELS.get(b, b)),
        "post_label": lambda p: gettext(POST_LABELS.get(p, p)),
        "suspension_label": lambda k: gettext(matters.SUSPENSION_LABELS.get(k, k)),
        "steps_count": len(STEPS),
    }
