"""What the steps share: the steps' names, a version's audit entry, the text's checks, a version locked for a step."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.conventions import repository as repo
from linli.conventions.models import ConventionVersion
from linli.conventions.repository import READ
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.i18n import N_, gettext, t

MAX_TEXT = 50_000
STEP_NAMES = {
    "opinions": N_("opinion collection"),
    "draft": N_("drafting"),
    "under_review": N_("review by the township/street"),
    "returned": N_("returned by the township/street"),
    "approved": N_("approved by the township/street"),
    "adopted": N_("adopted by the meeting"),
    "filed": N_("filed"),
    "in_force": N_("in force"),
    "superseded": N_("superseded"),
}


def entry(v: ConventionVersion, before: str | None, **after) -> dict:
    """The before/after of a version's audit entry: its step, its number and what the step recorded."""
    return {
        "before": {"status": before} if before else None,
        "after": {"status": v.status, "number": v.number, **after},
    }


def check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(t("write the text of the convention"))
    if len(text) > MAX_TEXT:
        raise InvalidInput(t("the text is longer than {n} characters", n=MAX_TEXT))
    return text


def version(session: Session, principal: Principal, version_id: int, permission, *statuses: str) -> ConventionVersion:
    """The version, locked, for one holding `permission` at its village, in one of `statuses`."""
    v = repo.version_for_update(session, version_id)
    if v is None or not principal.can(READ, v.area_code) and not principal.can(permission, v.area_code):
        raise repo.version_missing(version_id)
    principal.check(permission, v.area_code, what=t("version {id}", id=version_id))
    if statuses and v.status not in statuses:
        raise Conflict(
            t(
                "version {n} is at the step “{step}”; this needs it at: {wanted}",
                n=v.number,
                step=gettext(STEP_NAMES[v.status]),
                wanted=", ".join(gettext(STEP_NAMES[s]) for s in statuses),
            )
        )
    return v
