"""Applications, one door: submitted (online by the resident, or at the counter by a worker acting for
them) → accepted, or returned for correction with what is missing, or not accepted with a reason →
in process at each step's unit → decided → delivered.

Rules: the item must be enabled in the applicant's community; a resident applies for themself or a
member of their household (anyone else only through a worker at the counter, who is recorded as
agent 代办 or helper 帮办); acceptance needs every required material (uploaded, or its original seen
at the counter); a step is taken by a handler of its unit's level (the community accepts and
delivers; a street or county unit does its own steps); each transition is allowed only from its
states. Every change is logged, audited and told to the applicant through the outbox.
"""

from __future__ import annotations

import json
from typing import BinaryIO

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission, refusal
from linli.authz.principal import Principal
from linli.kit import codes, workdays
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import N_, gettext, t
from linli.kit.time import as_utc, utcnow
from linli.notify.outbox import enqueue
from linli.residents.models import Person
from linli.services import files, kinds
from linli.services import repository as repo
from linli.services.models import Application, ApplicationLog, ApplicationMaterial, ServiceItem, ServiceOffer
from linli.services.schemas import ApplicationIn, TransitionIn

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


def _applicant_as_resident(session: Session, principal: Principal, person_id: int | None) -> Person:
    """The resident themself (their linked entry), or a member of their household."""
    me = repo.linked_person(session, principal.user_id)
    other = None
    if person_id is not None and (me is None or person_id != me.id):
        other = repo.person_by_id(session, person_id)
        household = me is not None and other is not None and other.household_id == me.household_id
        if other is None or not (household or principal.visible.contains(other.area_code)):
            raise NotFound(t("person {id} does not exist", id=person_id))
    if me is None:
        raise InvalidInput(
            t(
                "your account is not linked to your entry in the residents register; ask your community "
                "to link it (bring your identity card), or apply at the counter"
            ),
            code="not_linked",
        )
    if other is None:
        return me
    if other.household_id is None or other.household_id != me.household_id:
        raise InvalidInput(
            t(
                "you may apply for yourself and the members of your household only; for anyone else a worker "
                "at the community counter registers the application as their agent (代办)"
            ),
            code="not_household",
        )
    return other


def _applicant_at_counter(session: Session, principal: Principal, person_id: int | None) -> Person:
    if person_id is None:
        raise InvalidInput(t("choose the applicant from the residents register"), code="no_applicant")
    person = repo.person_by_id(session, person_id)
    if person is None or not principal.can(HANDLE, person.area_code):
        raise NotFound(t("person {id} does not exist", id=person_id))
    return person


def submit(session: Session, principal: Principal, data: ApplicationIn, *, generated: bool = False) -> Application:
    """A new application: online by a resident, or registered at the counter by a worker."""
    offer, item = _offer(session, data.offer_id)
    at_counter = principal.can(HANDLE, offer.area_code)
    if not at_counter:
        # The catalogue is public: an offer elsewhere is refused by the community check below, in words.
        if not principal.holds_anywhere(APPLY):
            raise Forbidden(refusal(APPLY, here=False), code="forbidden")
        person = _applicant_as_resident(session, principal, data.person_id)
    else:
        person = _applicant_at_counter(session, principal, data.person_id)
    if person.status != "present":
        raise InvalidInput(t("the applicant no longer lives here (register entry)"), code="not_present")
    community = codes.unpad(person.area_code)[: kinds.LEVEL_LENGTH["community"]]
    if codes.unpad(offer.area_code) != community:
        raise InvalidInput(
            t("“{item}” is not enabled in the applicant's community; see its catalogue of services", item=item.name),
            code="not_enabled",
        )
    assist = data.assist if at_counter else "none"
    app = Application(
        offer_id=offer.id,
        item_id=item.id,
        area_code=offer.area_code,
        person_id=person.id,
        applicant_name=person.name,
        user_id=principal.user_id if not at_counter else repo.account_of_person(session, person.id),
        channel="counter" if at_counter else "online",
        assist=assist,
        acted_by=principal.audit_name if at_counter else None,
        acted_by_id=principal.user_id if at_counter else None,
        state="submitted",
        submitted_at=utcnow(),
        note=data.note.strip(),
        visits=1 if at_counter and assist != "agent" else 0,
        generated=generated,
    )
    session.add(app)
    session.flush()
    repo.bump(session, app.area_code, app.item_id, total=1, **_tally(app))
    _log(session, principal, app, "submit", None, note=gettext(kinds.ASSISTS[assist]) if at_counter else "")
    return app


# --- materials -------------------------------------------------------------------------------------


def _for_change(session: Session, principal: Principal, application_id: int) -> Application:
    app = repo.application_for_update(session, application_id)
    if app is None or not (repo.may_read(principal, app) or is_own(session, principal, app)):
        raise repo.missing(application_id)
    return app


def is_own(session: Session, principal: Principal, app: Application) -> bool:
    """The account that applied, or the applicant's own linked account (an application made at the counter)."""
    if principal.user_id is None:
        return False
    return app.user_id == principal.user_id or app.person_id == repo.own_person_id(session, principal)


def _material(item: ServiceItem, position: int) -> kinds.Material:
    found = kinds.materials_of(item.materials)
    if not 0 <= position < len(found):
        raise InvalidInput(t("the item has no material number {n}", n=position + 1), code="no_material")
    return found[position]


def _may_hand_in(session: Session, principal: Principal, app: Application) -> None:
    if not is_own(session, principal, app) and not principal.can(HANDLE, app.area_code):
        raise Forbidden(t("only the applicant or a worker at the counter hands in materials"))
    if app.state not in ("submitted", "returned"):
        raise Conflict(t("materials are handed in before the application is accepted"), code="wrong_state")


def _put_material(session: Session, app: Application, position: int, name: str, by: str, **fields) -> None:
    row = repo.material_at(session, app.id, position)
    if row is None:
        row = ApplicationMaterial(application_id=app.id, position=position, name=name, by=by, **fields)
        session.add(row)
    else:
        row.name, row.by = name, by
        for key in ("how", "file_name", "content_type", "size", "sha256"):
            setattr(row, key, fields.get(key))
    session.flush()


def upload_material(
    session: Session, principal: Principal, application_id: int, position: int, fh: BinaryIO, name: str
):
    """Hand in a material as a file (a scan or photo), by the applicant or at the counter."""
    app = _for_change(session, principal, application_id)
    _may_hand_in(session, principal, app)
    material = _material(repo.item_by_id(session, app.item_id), position)
    file_name, content_type = files.clean_name(name), files.sniff(fh)
    sha, size = files.store(fh)
    _put_material(
        session, app, position, material.name, principal.audit_name,
        how="uploaded", file_name=file_name, content_type=content_type, size=size, sha256=sha,
    )  # fmt: skip
    record(
        session, principal, "services.material_upload", "application", app.id, app.area_code,
        after={"position": position, "material": material.name, "size": size, "sha256": sha},
    )  # fmt: skip
    return app


def mark_seen(session: Session, principal: Principal, application_id: int, position: int) -> Application:
    """At the counter: the original of a material was seen (and, for a copy, a copy kept on paper)."""
    app = _for_change(session, principal, application_id)
    principal.check(HANDLE, app.area_code, what=t("application {id}", id=app.id))
    _may_hand_in(session, principal, app)
    material = _material(repo.item_by_id(session, app.item_id), position)
    _put_material(session, app, position, material.name, principal.audit_name, how="seen")
    record(
        session, principal, "services.material_seen", "application", app.id, app.area_code,
        after={"position": position, "material": material.name},
    )  # fmt: skip
    return app


def missing_materials(session: Session, app: Application, item: ServiceItem) -> list[str]:
    have = repo.materials_of(session, app.id)
    return [m.name for i, m in enumerate(kinds.materials_of(item.materials)) if m.required and i not in have]


# --- transitions -----------------------------------------------------------------------------------


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
