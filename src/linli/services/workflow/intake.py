"""Submitting an application (online by the resident, or at the counter for them) and its materials."""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import refusal
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import gettext, t
from linli.kit.time import utcnow
from linli.residents.models import Person
from linli.services import files, kinds
from linli.services import repository as repo
from linli.services.models import Application, ApplicationMaterial, ServiceItem
from linli.services.schemas import ApplicationIn
from linli.services.workflow.common import APPLY, HANDLE, _log, _offer, _tally


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
