"""Changes over time: moves, moving away, deaths, household splits and merges, and transfer requests.

Each is an event in the history of the persons and households concerned; nothing is deleted. A move
to a grid the actor cannot write in becomes a transfer request that the receiving side decides.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.residents import repository as repo
from linli.residents.events import add_event
from linli.residents.kinds import Relation
from linli.residents.models import Household, Person, ResidentEvent
from linli.residents.schemas import (
    EventOut,
    MergeIn,
    MoveIn,
    MoveOutIn,
    SplitIn,
)
from linli.residents.service.persons import R, W, live_grid, load_household, load_person


def _target_grid(session: Session, principal: Principal, code: str) -> str:
    """The padded target grid of a direct move; an unreachable one reads like a missing one."""
    if codes.is_valid(code) and not principal.can(W, code):
        raise NotFound(
            t(
                "grid {code} does not exist or is outside your area; to move someone there, file a transfer request"
                " (POST /api/v1/transfers) that the receiving side accepts",
                code=code,
            )
        )
    return live_grid(session, principal, code)


def grid_choices(
    session: Session, principal: Principal, text: str, *, limit: int = 200, code: str | None = None, exclude: str = ""
):
    """The live grids a person may be moved to directly (where the principal may write the register) but
    `exclude` (their own), whose name or community's name contains `text` (or the grid `code` only): at
    most `limit` (code, name, community name), and how many match."""
    scope = principal.scope(W)
    return repo.live_grids_named(session, scope, text.strip()[:100], limit=limit, code=code, exclude=exclude)


def _leave_household(session: Session, actor: Principal, p: Person, on: date, *, details: dict | None = None) -> None:
    """The person leaves their household; its head is cleared, and a household left empty is dissolved."""
    if p.household_id is None:
        return
    h = repo.household_by_id(session, p.household_id)
    add_event(session, actor, "left_household", p.area_code, on=on, person_id=p.id, household_id=h.id, details=details)
    if h.head_person_id == p.id:
        h.head_person_id = None
    session.flush()
    remaining = [m for m in repo.members(session, h.id) if m.id != p.id]
    if not remaining and h.status == "active":
        h.status = "dissolved"
        add_event(session, actor, "household_dissolved", h.area_code, on=on, household_id=h.id)


def _set_area(session: Session, p: Person, area: str) -> None:
    p.area_code = area
    for tag in repo.open_tags(session, [p.id]):
        tag.area_code = area


def relocate_person(
    session: Session,
    actor: Principal,
    p: Person,
    area: str,
    household: Household | None,
    relation: Relation | None,
    on: date,
    *,
    via: str,
) -> None:
    old_area = p.area_code
    if p.household_id is not None and (household is None or household.id != p.household_id):
        _leave_household(session, actor, p, on)
    add_event(
        session, actor, "moved", old_area, on=on, person_id=p.id, from_area=old_area, to_area=area, details={"via": via}
    )
    _set_area(session, p, area)
    p.status, p.moved_out_on, p.moved_in_on = "present", None, on
    p.household_id = household.id if household else None
    p.relation = relation.value if household and relation else None
    if household is not None:
        if relation == Relation.head:
            if household.head_person_id is not None:
                raise Conflict(t("household {household_id} already has a head", household_id=household.id))
            household.head_person_id = p.id
        add_event(session, actor, "joined_household", area, on=on, person_id=p.id, household_id=household.id)
    session.flush()


def target_household(session: Session, principal: Principal, household_id: int | None, area: str, relation):
    if household_id is None:
        return None
    h = load_household(session, principal, household_id, W)
    if h.area_code != area or h.status != "active":
        raise InvalidInput(
            t(
                "household {household_id} is not an active household in grid {grid}",
                household_id=household_id,
                grid=codes.unpad(area),
            )
        )
    if relation is None:
        raise InvalidInput(t("give the person's relation to the head of the household they join"))
    return h


def move_person(session: Session, principal: Principal, person_id: int, body: MoveIn) -> Person:
    """Move a person (also one who had moved away and comes back) to a grid, optionally into a household."""
    p = load_person(session, principal, person_id, W)
    if p.status == "deceased":
        raise InvalidInput(t("person {person_id} is deceased", person_id=p.id))
    area = _target_grid(session, principal, body.to_area_code)
    h = target_household(session, principal, body.household_id, area, body.relation)
    if area == p.area_code and (h is None or h.id == p.household_id) and p.status == "present":
        raise InvalidInput(t("the person already lives there"))
    before = {"area_code": codes.unpad(p.area_code), "household_id": p.household_id}
    relocate_person(session, principal, p, area, h, body.relation, body.on or date.today(), via="direct")
    record(
        session, principal, "persons.move", "person", p.id, area,
        before=before, after={"area_code": codes.unpad(area), "household_id": p.household_id},
    )  # fmt: skip
    return p


def relocate_household(session: Session, actor: Principal, h: Household, area: str, on: date, *, via: str) -> None:
    old = h.area_code
    add_event(
        session, actor, "household_moved", old, on=on, household_id=h.id, from_area=old, to_area=area,
        details={"via": via},
    )  # fmt: skip
    h.area_code, h.building_id, h.unit, h.room = area, None, "", ""
    for m in repo.members(session, h.id):
        add_event(
            session, actor, "moved", old, on=on, person_id=m.id, household_id=h.id, from_area=old, to_area=area,
            details={"via": via, "with_household": True},
        )  # fmt: skip
        _set_area(session, m, area)
        m.moved_in_on = on
    session.flush()


def move_household(session: Session, principal: Principal, household_id: int, body: MoveIn) -> Household:
    h = load_household(session, principal, household_id, W)
    if h.status != "active":
        raise InvalidInput(t("household {household_id} is {status}", household_id=h.id, status=h.status))
    if body.household_id is not None:
        raise InvalidInput(t("a household moves as a whole; to merge it into another, use merge"))
    area = _target_grid(session, principal, body.to_area_code)
    if area == h.area_code:
        raise InvalidInput(t("the household already lives in that grid"))
    before = {"area_code": codes.unpad(h.area_code)}
    relocate_household(session, principal, h, area, body.on or date.today(), via="direct")
    record(
        session,
        principal,
        "households.move",
        "household",
        h.id,
        area,
        before=before,
        after={"area_code": codes.unpad(area)},
    )
    return h


def move_away(session: Session, principal: Principal, person_id: int, body: MoveOutIn) -> Person:
    """The person moved somewhere outside the register (another province, abroad): kept, marked moved out."""
    p = load_person(session, principal, person_id, W)
    if p.status != "present":
        raise InvalidInput(t("person {person_id} is {status}", person_id=p.id, status=p.status.replace("_", " ")))
    on = body.on or date.today()
    _leave_household(session, principal, p, on)
    p.status, p.moved_out_on, p.household_id, p.relation = "moved_out", on, None, None
    for tag in repo.open_tags(session, [p.id]):
        tag.end_on = max(on, tag.start_on)
    add_event(session, principal, "moved_away", p.area_code, on=on, person_id=p.id, details={"to": body.destination})
    session.flush()
    record(
        session, principal, "persons.move_away", "person", p.id, p.area_code, after={"on": on, "to": body.destination}
    )
    return p


def record_death(session: Session, principal: Principal, person_id: int, died_on: date) -> Person:
    p = load_person(session, principal, person_id, W)
    if p.status == "deceased":
        raise Conflict(t("the death of person {person_id} is already recorded", person_id=p.id))
    if died_on < p.birth_date or died_on > date.today():
        raise InvalidInput(t("the date of death {died_on} is before the birth date or in the future", died_on=died_on))
    if p.household_id is not None:
        h = repo.household_by_id(session, p.household_id)
        if h.head_person_id == p.id:
            h.head_person_id = None
            add_event(session, principal, "head_died", h.area_code, on=died_on, household_id=h.id)
    p.status, p.died_on = "deceased", died_on
    for tag in repo.open_tags(session, [p.id]):
        tag.end_on = max(died_on, tag.start_on)
    add_event(session, principal, "died", p.area_code, on=died_on, person_id=p.id, household_id=p.household_id)
    session.flush()
    record(session, principal, "persons.death", "person", p.id, p.area_code, after={"died_on": died_on})
    return p


def split_household(session: Session, principal: Principal, household_id: int, body: SplitIn) -> Household:
    """Some members leave to form a new household (分户) in the same grid."""
    h = load_household(session, principal, household_id, W)
    if h.status != "active":
        raise InvalidInput(t("household {household_id} is {status}", household_id=h.id, status=h.status))
    members = {m.id: m for m in repo.members(session, h.id)}
    leaving = set(body.person_ids)
    strangers = sorted(leaving - set(members))
    if strangers:
        raise InvalidInput(
            t(
                "not present members of household {household_id}: {person_ids}",
                household_id=h.id,
                person_ids=", ".join(map(str, strangers)),
            )
        )
    if leaving == set(members):
        raise InvalidInput(t("at least one member stays; to move the whole household, move it"))
    if body.head_person_id not in leaving:
        raise InvalidInput(t("the head of the new household must be one of the members who leave"))
    if body.building_id is not None:
        b = repo.get_building(session, body.building_id, principal.visible)
        if b is None or b.area_code != h.area_code:
            raise InvalidInput(
                t(
                    "building {building_id} is not in grid {grid}",
                    building_id=body.building_id,
                    grid=codes.unpad(h.area_code),
                )
            )
    on = body.on or date.today()
    new = Household(
        area_code=h.area_code,
        building_id=body.building_id if body.building_id is not None else h.building_id,
        unit=body.unit if body.unit is not None else h.unit,
        room=body.room if body.room is not None else h.room,
        address=body.address if body.address is not None else h.address,
        register_type=(body.register_type or h.register_type),
        status="active",
    )
    session.add(new)
    session.flush()
    for pid in sorted(leaving):
        m = members[pid]
        if h.head_person_id == pid:
            h.head_person_id = None
        add_event(session, principal, "left_household", h.area_code, on=on, person_id=pid, household_id=h.id,
                  other_household_id=new.id, details={"split": True})  # fmt: skip
        m.household_id = new.id
        m.relation = Relation.head.value if pid == body.head_person_id else Relation.other.value
        add_event(session, principal, "joined_household", h.area_code, on=on, person_id=pid, household_id=new.id,
                  other_household_id=h.id, details={"split": True})  # fmt: skip
    new.head_person_id = body.head_person_id
    add_event(session, principal, "household_split", h.area_code, on=on, household_id=h.id, other_household_id=new.id,
              details={"persons": sorted(leaving)})  # fmt: skip
    add_event(session, principal, "household_created", h.area_code, on=on, household_id=new.id,
              other_household_id=h.id, details={"split_from": h.id})  # fmt: skip
    session.flush()
    record(session, principal, "households.split", "household", h.id, h.area_code,
           after={"new_household_id": new.id, "persons": sorted(leaving)})  # fmt: skip
    return new


def merge_parties(
    session: Session, principal: Principal, household_id: int, into_household_id: int
) -> tuple[Household, Household]:
    """The household that would merge and the one it would merge into, if the merge may be made
    (both active, distinct, writable): what a confirmation page shows before the merge."""
    src = load_household(session, principal, household_id, W)
    dst = load_household(session, principal, into_household_id, W)
    if src.id == dst.id:
        raise InvalidInput(t("a household cannot merge into itself"))
    for h in (src, dst):
        if h.status != "active":
            raise InvalidInput(t("household {household_id} is {status}", household_id=h.id, status=h.status))
    return src, dst


def merge_households(session: Session, principal: Principal, household_id: int, body: MergeIn) -> Household:
    """All members of one household join another (合户); the first is kept, marked merged."""
    src, dst = merge_parties(session, principal, household_id, body.into_household_id)
    on = body.on or date.today()
    moved = []
    for m in repo.members(session, src.id):
        if m.area_code != dst.area_code:
            add_event(session, principal, "moved", m.area_code, on=on, person_id=m.id, from_area=m.area_code,
                      to_area=dst.area_code, details={"merge": True})  # fmt: skip
            _set_area(session, m, dst.area_code)
        add_event(session, principal, "joined_household", dst.area_code, on=on, person_id=m.id,
                  household_id=dst.id, other_household_id=src.id, details={"merge": True})  # fmt: skip
        m.household_id = dst.id
        if m.relation == Relation.head.value:
            m.relation = Relation.other.value
        moved.append(m.id)
    src.status, src.merged_into_id, src.head_person_id = "merged", dst.id, None
    add_event(session, principal, "household_merged", src.area_code, on=on, household_id=src.id,
              other_household_id=dst.id, details={"persons": moved})  # fmt: skip
    add_event(session, principal, "household_absorbed", dst.area_code, on=on, household_id=dst.id,
              other_household_id=src.id, details={"persons": moved})  # fmt: skip
    session.flush()
    record(session, principal, "households.merge", "household", src.id, src.area_code,
           after={"into": dst.id, "persons": moved})  # fmt: skip
    return dst


# --- history ------------------------------------------------------------------------------------


def event_out(e: ResidentEvent) -> EventOut:
    return EventOut(
        id=e.id,
        kind=e.kind,
        on=e.on,
        at=e.at,
        person_id=e.person_id,
        household_id=e.household_id,
        other_household_id=e.other_household_id,
        from_area=e.from_area,
        to_area=e.to_area,
        details=json.loads(e.details) if e.details else None,
        actor=e.actor,
    )


def person_history(session: Session, principal: Principal, person_id: int) -> list[EventOut]:
    p = load_person(session, principal, person_id, R)
    return [event_out(e) for e in repo.events_of_person(session, p.id)]


def household_history(session: Session, principal: Principal, household_id: int) -> list[EventOut]:
    h = load_household(session, principal, household_id, R)
    return [event_out(e) for e in repo.events_of_household(session, h.id)]
