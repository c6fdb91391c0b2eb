"""What the application workflow's parts share: the permissions, the states each action leaves from, the
log of every change (audited, counted and told to the applicant through the outbox)."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.kit.time import utcnow
from linli.notify.outbox import enqueue
from linli.services import kinds
from linli.services import repository as repo
from linli.services.models import Application, ApplicationLog, ServiceItem, ServiceOffer

APPLY = Permission.services_apply
HANDLE = Permission.services_handle
# Which states each action leaves from.
FROM = {
    "accept": ("submitted",),
    "return": ("submitted",),
    "reject": ("submitted",),
    "resubmit": ("returned",),
    "withdraw": ("submitted", "returned"),
    "advance": ("in_process",),
    "decide": ("in_process",),
    "deliver": ("decided",),
}
SECONDS_PER_DAY = 8 * 3600  # a working day's hours (LINLI_WORKING_HOURS by default)

# --- submitting ------------------------------------------------------------------------------------


def _offer(session: Session, offer_id: int) -> tuple[ServiceOffer, ServiceItem]:
    return repo.public_offer(session, offer_id)


def _tally(app: Application) -> dict[str, float]:
    """What the application adds to its community's running totals (repository.bump) in its state now."""
    decided = app.decided_at is not None
    return {
        "open": int(app.state not in kinds.CLOSED_STATES),
        "decided": int(decided),
        "on_time": int(bool(decided and app.on_time)),
        "working_days": (app.working_days or 0.0) if decided else 0.0,
        "visits": app.visits if decided else 0,
    }


ACTION_WORDS = {
    "accept": N_("accepted"),
    "return": N_("returned for correction"),
    "reject": N_("refused"),
    "resubmit": N_("resubmitted"),
    "withdraw": N_("withdrawn"),
    "advance": N_("passed to the next step"),
    "decide": N_("decided"),
    "deliver": N_("delivered"),
}


def _log(session, principal, app, action, before, *, note="", step_index=None, unit="") -> None:
    entry = ApplicationLog(
        application_id=app.id,
        action=action,
        from_state=before,
        to_state=app.state,
        step_index=step_index,
        unit=unit,
        actor_id=principal.user_id,
        actor=principal.audit_name,
        note=note,
        at=utcnow(),
    )
    session.add(entry)
    session.flush()
    record(
        session, principal, f"services.{action}", "application", app.id, app.area_code,
        before={"state": before} if before else None,
        after={"state": app.state, "step": app.step_index, "item_id": app.item_id, "assist": app.assist},
    )  # fmt: skip
    _notify(session, principal, app, entry)


def _notify(session: Session, principal: Principal, app: Application, entry: ApplicationLog) -> None:
    """Tell the applicant's account of each change (not of what they did themself)."""
    uid = app.user_id or repo.account_of_person(session, app.person_id)
    if uid is None or uid == principal.user_id:
        return
    name = repo.names_of_items(session, [app.item_id]).get(app.item_id, "")
    state = f"{kinds.STATE_ZH.get(app.state, app.state)} {kinds.STATES.get(app.state, app.state).lower()}"
    enqueue(
        session,
        kind=f"services.{entry.action}",
        key=f"application:{app.id}:log:{entry.id}:user:{uid}",
        recipient=f"user:{uid}",
        payload={
            "title": f"办件 {app.number}「{name}」: {state}",
            "body": entry.note or (", ".join(json.loads(app.missing)) if app.state == "returned" else ""),
            "link": f"/services/applications/{app.id}",
            "application_id": app.id,
        },
    )
