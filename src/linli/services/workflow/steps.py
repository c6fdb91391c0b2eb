"""The steps of an application after it is submitted: accepted, returned, rejected, resubmitted,
withdrawn, advanced through its units, decided and delivered; and the actions a reader may take now."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.kit import codes, workdays
from linli.kit.errors import Conflict, Forbidden, InvalidInput
from linli.kit.i18n import gettext, t
from linli.kit.time import as_utc, utcnow
from linli.services import kinds
from linli.services import repository as repo
from linli.services.models import Application, ServiceItem
from linli.services.schemas import TransitionIn
from linli.services.workflow.common import ACTION_WORDS, FROM, HANDLE, SECONDS_PER_DAY, _log, _tally
from linli.services.workflow.intake import _for_change, is_own, missing_materials


def _unit_code(app: Application, level: str) -> str:
    return codes.unpad(app.area_code)[: kinds.LEVEL_LENGTH[level]]


def _check_unit(principal: Principal, app: Application, level: str, unit: str) -> None:
    """A step is taken by a handler of its unit's level (or above it): otherwise 403 naming the unit."""
    if not principal.can(HANDLE, _unit_code(app, level)):
        raise Forbidden(
            t("this step belongs to {unit}; you do not handle applications for it", unit=unit), code="wrong_unit"
        )


def _start_step(app: Application, steps: list[kinds.Step], index: int, now) -> None:
    step = steps[index]
    app.step_index, app.step_level, app.step_started_at = index, step.level, now
    app.step_due_at = workdays.add_working_days(now, step.days)


def _accept(session, principal, app, item, offer, data, now) -> None:
    _check_unit(principal, app, "community", gettext("the community counter"))
    lacking = missing_materials(session, app, item)
    if lacking:
        raise InvalidInput(
            t(
                "required materials are missing: {names}; return the application for correction",
                names="、".join(lacking),
            ),
            details=lacking,
            code="materials_missing",
        )
    app.state, app.accepted_at, app.missing = "in_process", now, "[]"
    app.due_at = workdays.add_working_days(now, offer.promised_days)
    _start_step(app, kinds.steps_of(item.steps), 0, now)


def _return(session, principal, app, item, offer, data, now) -> None:
    _check_unit(principal, app, "community", gettext("the community counter"))
    wanted = [m.strip() for m in data.missing if m.strip()]
    if not wanted:
        raise InvalidInput(t("say what is missing or must be corrected (the one-time notice lists it)"))
    app.state, app.missing = "returned", json.dumps(wanted, ensure_ascii=False)


def _reject(session, principal, app, item, offer, data, now) -> None:
    _check_unit(principal, app, "community", gettext("the community counter"))
    if not data.note.strip():
        raise InvalidInput(t("give the reason why the application is not accepted"))
    app.state, app.outcome, app.reason, app.closed_at = "rejected", "rejected", data.note.strip(), now


def _resubmit(session, principal, app, item, offer, data, now) -> None:
    if principal.can(HANDLE, app.area_code):
        app.visits += 1  # brought in at the counter
    elif not is_own(session, principal, app):
        raise Forbidden(t("only the applicant or a worker at the counter resubmits an application"))
    app.state = "submitted"


def _withdraw(session, principal, app, item, offer, data, now) -> None:
    if not is_own(session, principal, app) and not principal.can(HANDLE, app.area_code):
        raise Forbidden(t("only the applicant or a worker at the counter withdraws an application"))
    app.state, app.closed_at = "withdrawn", now


def _current_step(app: Application, item: ServiceItem) -> tuple[list[kinds.Step], kinds.Step]:
    steps = kinds.steps_of(item.steps)
    return steps, steps[app.step_index or 0]


def _advance(session, principal, app, item, offer, data, now) -> None:
    steps, step = _current_step(app, item)
    _check_unit(principal, app, step.level, step.unit)
    if (app.step_index or 0) + 1 >= len(steps):
        raise Conflict(t("this is the last step: record the decision"), code="wrong_state")
    _start_step(app, steps, (app.step_index or 0) + 1, now)


def _decide(session, principal, app, item, offer, data, now) -> None:
    steps, step = _current_step(app, item)
    _check_unit(principal, app, step.level, step.unit)
    if (app.step_index or 0) + 1 < len(steps):
        raise Conflict(
            t("the decision is taken at the last step ({unit}); finish this step first", unit=steps[-1].unit),
            code="wrong_state",
        )
    if data.outcome is None:
        raise InvalidInput(t("choose the decision: approved or denied"))
    if data.outcome == "denied" and not data.note.strip():
        raise InvalidInput(t("give the reason of a denial"))
    app.state, app.outcome, app.reason, app.decided_at = "decided", data.outcome, data.note.strip(), now
    app.on_time = app.due_at is None or now <= as_utc(app.due_at)
    seconds = workdays.working_seconds_between(as_utc(app.accepted_at), now)
    app.working_days = round(seconds / SECONDS_PER_DAY, 2)
    app.step_level = None


def _deliver(session, principal, app, item, offer, data, now) -> None:
    _check_unit(principal, app, "community", gettext("the community counter"))
    app.state, app.delivered_at, app.closed_at = "delivered", now, now
    if item.online_depth != "full" and app.assist != "agent":
        app.visits += 1  # collected in person


STEPS = {
    "accept": _accept,
    "return": _return,
    "reject": _reject,
    "resubmit": _resubmit,
    "withdraw": _withdraw,
    "advance": _advance,
    "decide": _decide,
    "deliver": _deliver,
}


def transition(session: Session, principal: Principal, application_id: int, data: TransitionIn) -> Application:
    """Take one step; refused (nothing changed) when the state, the unit or the input does not allow it."""
    app = _for_change(session, principal, application_id)
    if app.state not in FROM[data.action]:
        raise Conflict(
            t(
                "an application that is “{state}” cannot be {action}",
                state=kinds.label(kinds.STATES, app.state),
                action=gettext(ACTION_WORDS[data.action]),
            ),
            code="wrong_state",
        )
    offer, item = repo.offer_with_item(session, app.offer_id)
    before, step_index, counted = app.state, app.step_index, _tally(app)
    now = utcnow()
    STEPS[data.action](session, principal, app, item, offer, data, now)
    session.flush()
    changed = {k: v - counted[k] for k, v in _tally(app).items() if v != counted[k]}
    if changed:
        repo.bump(session, app.area_code, app.item_id, **changed)
    unit = kinds.steps_of(item.steps)[step_index].unit if step_index is not None else ""
    _log(session, principal, app, data.action, before, note=data.note.strip(), step_index=step_index, unit=unit)
    return app


def allowed(session: Session, principal: Principal, app: Application, item: ServiceItem) -> list[str]:
    """The actions the reader may take now (the page's buttons; each is checked again when taken)."""
    own = is_own(session, principal, app)
    counter = principal.can(HANDLE, app.area_code)
    out = []
    if app.state == "submitted" and counter:
        out += ["accept", "return", "reject"]
    if app.state == "returned" and (own or counter):
        out.append("resubmit")
    if app.state in ("submitted", "returned") and (own or counter):
        out.append("withdraw")
    if app.state == "in_process" and app.step_level and principal.can(HANDLE, _unit_code(app, app.step_level)):
        last = (app.step_index or 0) + 1 >= len(kinds.steps_of(item.steps))
        out.append("decide" if last else "advance")
    if app.state == "decided" and counter:
        out.append("deliver")
    return out
