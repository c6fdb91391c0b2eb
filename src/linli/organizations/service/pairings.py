"""Co-construction pairings (结对共建): an organization paired with a community, one-to-one (the
community's only active pairing) or many-to-one (one of several units paired with it); the pairing's
activities are logged by the unit (its contact, or staff acting for it); the community ends a pairing."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.organizations import repository as repo
from linli.organizations.models import Pairing, PairingActivity
from linli.organizations.schemas import ActivityIn, PairingEndIn, PairingIn
from linli.organizations.service.common import MANAGE, READ, acting_for, area_in, visible_org

COMMUNITY = 12


def visible_pairing(session: Session, principal: Principal, pairing_id: int) -> Pairing:
    found = repo.get_pairing(session, pairing_id, principal.scope(READ))
    if found is None:
        raise NotFound(t("pairing {id} does not exist", id=pairing_id))
    return found


def _check_kind(session: Session, data: PairingIn, padded: str, org_id: int) -> None:
    active = repo.active_pairings_of_community(session, padded)
    if any(p.organization_id == org_id for p in active):
        raise Conflict(t("the organization is paired with this community already"))
    if data.kind == "one_to_one" and active:
        raise Conflict(t("the community has other pairings; a one-to-one pairing is its only one"))
    if any(p.kind == "one_to_one" for p in active):
        raise Conflict(t("the community is paired one-to-one already; end that pairing first"))


def create(session: Session, principal: Principal, data: PairingIn, *, generated: bool = False) -> Pairing:
    """Pair an organization with a community where the principal holds orgs.manage."""
    area = area_in(session, principal, data.area_code, MANAGE)
    if len(area) != COMMUNITY:
        raise InvalidInput(t("an organization pairs with a community or a village"))
    org = visible_org(session, principal, data.organization_id)
    if org.status != "active":
        raise InvalidInput(t("{name} is not active and cannot pair", name=org.name))
    padded = codes.pad(area)
    _check_kind(session, data, padded, org.id)
    p = Pairing(
        organization_id=org.id, area_code=padded, kind=data.kind, started_on=data.started_on or date.today(),
        generated=generated,
    )  # fmt: skip
    session.add(p)
    session.flush()
    after = {"organization_id": org.id, "kind": p.kind, "started_on": str(p.started_on)}
    record(session, principal, "org_pairing.create", "org_pairing", p.id, p.area_code, after=after)
    return p


def end(session: Session, principal: Principal, pairing_id: int, data: PairingEndIn) -> Pairing:
    visible_pairing(session, principal, pairing_id)
    p = repo.pairing_for_update(session, pairing_id)
    principal.check(MANAGE, p.area_code, what=t("pairing {id}", id=pairing_id))
    if p.status != "active":
        raise Conflict(t("pairing {id} has ended already", id=p.id))
    ended = data.ended_on or date.today()
    if ended < p.started_on:
        raise InvalidInput(t("a pairing ends on or after the day it started"))
    p.status, p.ended_on = "ended", ended
    session.flush()
    record(session, principal, "org_pairing.end", "org_pairing", p.id, p.area_code, after={"ended_on": str(ended)})
    return p


def log_activity(
    session: Session, principal: Principal, pairing_id: int, data: ActivityIn, *, generated: bool = False
) -> PairingActivity:
    """An activity of an active pairing, logged for its organization."""
    p = visible_pairing(session, principal, pairing_id)
    acting_for(session, principal, visible_org(session, principal, p.organization_id))
    if p.status != "active":
        raise Conflict(t("pairing {id} has ended; it has no new activities", id=p.id))
    if not data.title.strip():
        raise InvalidInput(t("say what the activity was (a title)"))
    if data.held_on < p.started_on or data.held_on > date.today():
        raise InvalidInput(t("an activity is logged between the pairing's start and today"))
    a = PairingActivity(
        pairing_id=p.id, area_code=p.area_code, held_on=data.held_on, title=data.title.strip(),
        participants=data.participants, content=data.content.strip(), created_by=principal.audit_name,
        generated=generated,
    )  # fmt: skip
    session.add(a)
    session.flush()
    after = {"activity_id": a.id, "held_on": str(a.held_on), "participants": a.participants}
    record(session, principal, "org_pairing.activity", "org_pairing", p.id, p.area_code, after=after)
    return a
