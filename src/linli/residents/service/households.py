"""Buildings and households: register, read with members, edit, and join a person to a household."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, DomainError, InvalidInput
from linli.kit.i18n import t
from linli.kit.phone import parse_phone
from linli.residents import id_reviews, pii
from linli.residents import repository as repo
from linli.residents.events import add_event
from linli.residents.idcard import parse_id
from linli.residents.kinds import Relation, Tag
from linli.residents.models import Building, Household, Person
from linli.residents.schemas import (
    BuildingIn,
    BuildingOut,
    BuildingPatch,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    HouseholdSearchIn,
    NewMemberIn,
    PersonIn,
    TagIn,
)
from linli.residents.service.persons import (
    R,
    W,
    live_grid,
    load_building,
    load_household,
    load_person,
    persons_out,
    register_person,
)


def building_out(b: Building) -> BuildingOut:
    return BuildingOut(
        id=b.id,
        area_code=codes.unpad(b.area_code),
        name=b.name,
        address=b.address,
        kind=b.kind,
        lon=b.lon,
        lat=b.lat,
        units=b.units,
        floors=b.floors,
        generated=b.generated,
    )


def create_building(session: Session, principal: Principal, body: BuildingIn) -> Building:
    area = live_grid(session, principal, body.area_code)
    b = Building(area_code=area, **body.model_dump(exclude={"area_code"}))
    session.add(b)
    session.flush()
    record(session, principal, "buildings.create", "building", b.id, area, after=body.model_dump(mode="json"))
    return b


def update_building(session: Session, principal: Principal, building_id: int, body: BuildingPatch) -> Building:
    b = load_building(session, principal, building_id, W)
    changes = body.model_dump(exclude_unset=True, mode="json")
    before = {k: getattr(b, k) for k in changes}
    for k, v in body.model_dump(exclude_unset=True).items():
        setattr(b, k, v)
    session.flush()
    record(session, principal, "buildings.update", "building", b.id, b.area_code, before=before, after=changes)
    return b


def list_buildings(session: Session, principal: Principal, code: str, offset: int, limit: int):
    principal.check(R, code, what=t("area {code}", code=code))
    return repo.buildings_in(session, code, principal.scope(R), offset=offset, limit=limit)


def household_out(session: Session, h: Household, *, with_members: bool = False) -> HouseholdOut:
    names = repo.names_of(session, [h.head_person_id]) if h.head_person_id else {}
    members = persons_out(session, repo.members(session, h.id)) if with_members else None
    return HouseholdOut(
        id=h.id,
        area_code=codes.unpad(h.area_code),
        building_id=h.building_id,
        unit=h.unit,
        room=h.room,
        address=h.address,
        register_type=h.register_type,
        head_person_id=h.head_person_id,
        head_name=names.get(h.head_person_id),
        status=h.status,
        merged_into_id=h.merged_into_id,
        member_count=len(members) if members is not None else repo.member_counts(session, [h.id]).get(h.id, 0),
        generated=h.generated,
        members=members,
    )


def households_out(session: Session, rows: list[Household]) -> list[HouseholdOut]:
    """A page of households with head names and member counts, in two queries."""
    counts = repo.member_counts(session, [h.id for h in rows])
    names = repo.names_of(session, [h.head_person_id for h in rows])
    return [
        HouseholdOut(
            id=h.id,
            area_code=codes.unpad(h.area_code),
            building_id=h.building_id,
            unit=h.unit,
            room=h.room,
            address=h.address,
            register_type=h.register_type,
            head_person_id=h.head_person_id,
            head_name=names.get(h.head_person_id),
            status=h.status,
            merged_into_id=h.merged_into_id,
            member_count=counts.get(h.id, 0),
            generated=h.generated,
        )
        for h in rows
    ]


def _check_building(session: Session, principal: Principal, building_id: int | None, area: str) -> None:
    if building_id is None:
        return
    b = load_building(session, principal, building_id)
    if b.area_code != area:
        raise InvalidInput(
            t(
                "building {building_id} is in another grid ({grid})",
                building_id=building_id,
                grid=codes.unpad(b.area_code),
            )
        )


def create_household(session: Session, principal: Principal, body: HouseholdIn) -> Household:
    area = live_grid(session, principal, body.area_code)
    _check_building(session, principal, body.building_id, area)
    h = Household(area_code=area, status="active", **body.model_dump(exclude={"area_code"}))
    session.add(h)
    session.flush()
    add_event(session, principal, "household_created", area, household_id=h.id)
    record(session, principal, "households.create", "household", h.id, area, after=body.model_dump(mode="json"))
    return h


def register_household(
    session: Session, principal: Principal, body: HouseholdIn, members: list[NewMemberIn]
) -> Household:
    """A new household with its members, all or nothing: every member is checked as `register_person` checks
    one, and every problem is reported at once with the member's place on the form ("Member 3: …")."""
    if not members:
        raise InvalidInput(t("Give at least one member of the household."))
    h = create_household(session, principal, body)
    heads = [n for n, m in enumerate(members, 1) if m.relation == Relation.head.value]
    problems = [] if heads else [t("The household needs a head: choose “Head of household” for one member.")]
    for n, member in enumerate(members, 1):
        try:
            if n in heads[1:]:
                raise InvalidInput(t("a household has one head; member {first} is the head", first=heads[0]))
            with session.begin_nested():
                register_person(session, principal, _new_member(h.id, member))
        except DomainError as exc:
            problems.append(t("Member {n}: {problem}", n=n, problem=exc.message))
    if problems:
        raise InvalidInput(t("Nothing was saved: {count} problem(s).", count=len(problems)), details=problems)
    return h


def _new_member(household_id: int, m: NewMemberIn) -> PersonIn:
    """A member as typed, as the PersonIn `register_person` checks."""
    if not m.name.strip():
        raise InvalidInput(t("give the name"))
    if not m.id_number.strip():
        raise InvalidInput(t("give the ID number"))
    try:
        relation = Relation(m.relation)
        tags = [TagIn(tag=Tag(v)) for v in m.tags]
    except ValueError:
        raise InvalidInput(t("choose the relation and tags from the lists")) from None
    return PersonIn(
        household_id=household_id,
        relation=relation,
        name=m.name.strip()[:100],
        id_number=m.id_number.strip()[:40],
        phone=m.phone.strip()[:40] or None,
        ethnicity=m.ethnicity.strip()[:20],
        tags=tags,
    )


def search_households(session: Session, principal: Principal, q: HouseholdSearchIn) -> tuple[list[HouseholdOut], int]:
    """The active households under an area matching the search, in address order: a page and how many match.
    ID and phone numbers match exactly (checked first; a lookup by ID number is audited)."""
    if not codes.is_valid(q.area_code):
        raise InvalidInput(t("{code!r} is not an area code", code=q.area_code))
    principal.check(R, q.area_code, what=t("area {code}", code=q.area_code))
    id_bidx = phone_bidx = None
    if q.id_number and q.id_number.strip():
        id_bidx = pii.id_index(parse_id(q.id_number).value)
        id_reviews.audit_lookup(session, principal, "search", q.area_code)
    if q.phone and q.phone.strip():
        phone_bidx = pii.phone_index(parse_phone(q.phone))
    found = repo.HouseholdFilter(
        text=q.text.strip(),
        room=q.room.strip(),
        building_id=q.building_id,
        id_bidx=id_bidx,
        phone_bidx=phone_bidx,
        tag=q.tag.value if q.tag else None,
        register_type=q.register_type.value if q.register_type else None,
    )
    rows, total = repo.search_households(
        session, q.area_code, principal.scope(R), found, today=date.today(), offset=(q.page - 1) * q.size, limit=q.size
    )
    return households_out(session, rows), total


def update_household(session: Session, principal: Principal, household_id: int, body: HouseholdPatch) -> Household:
    h = load_household(session, principal, household_id, W)
    if h.status != "active":
        raise InvalidInput(
            t("household {household_id} is {status}; it can no longer change", household_id=h.id, status=h.status)
        )
    data = body.model_dump(exclude_unset=True)
    before = {k: getattr(h, k) for k in data}
    if "building_id" in data:
        _check_building(session, principal, data["building_id"], h.area_code)
    if data.get("head_person_id") is not None:
        head = repo.get_person(session, data["head_person_id"], principal.visible)
        if head is None or head.household_id != h.id or head.status != "present":
            raise InvalidInput(
                t(
                    "person {person_id} is not a present member of household {household_id}",
                    person_id=data["head_person_id"],
                    household_id=h.id,
                )
            )
        old = repo.get_person(session, h.head_person_id, principal.visible) if h.head_person_id else None
        if old is not None and old.id != head.id:
            old.relation = Relation.other.value
        head.relation = Relation.head.value
        add_event(session, principal, "head_changed", h.area_code, household_id=h.id, details={"head": head.id})
    for k, v in data.items():
        if v is not None or k == "building_id":
            setattr(h, k, v)
    session.flush()
    record(
        session,
        principal,
        "households.update",
        "household",
        h.id,
        h.area_code,
        before=before,
        after=body.model_dump(exclude_unset=True, mode="json"),
    )
    return h


def list_households(session: Session, principal: Principal, code: str, offset: int, limit: int):
    principal.check(R, code, what=t("area {code}", code=code))
    rows, total = repo.households_in(session, code, principal.scope(R), offset=offset, limit=limit)
    return households_out(session, rows), total


def add_member(session: Session, principal: Principal, household_id: int, person_id: int, relation: Relation) -> Person:
    """A registered person without a household joins one in their own grid (moves use the move route)."""
    h = load_household(session, principal, household_id, W)
    p = load_person(session, principal, person_id, W)
    if h.status != "active":
        raise InvalidInput(t("household {household_id} is {status}", household_id=h.id, status=h.status))
    if p.status != "present":
        raise InvalidInput(t("person {person_id} is {status}", person_id=p.id, status=p.status.replace("_", " ")))
    if p.household_id is not None:
        raise Conflict(
            t(
                "person {person_id} is already a member of household {household_id}; a person belongs to one"
                " household at a time: move them (split or move) instead",
                person_id=p.id,
                household_id=p.household_id,
            )
        )
    if p.area_code != h.area_code:
        raise InvalidInput(
            t("household {household_id} is in another grid; move the person there instead", household_id=h.id)
        )
    if relation == Relation.head and h.head_person_id is not None:
        raise Conflict(t("household {household_id} already has a head", household_id=h.id))
    p.household_id, p.relation = h.id, relation.value
    if relation == Relation.head:
        h.head_person_id = p.id
    add_event(session, principal, "joined_household", h.area_code, person_id=p.id, household_id=h.id)
    session.flush()
    record(
        session, principal, "households.add_member", "household", h.id, h.area_code,
        after={"person_id": p.id, "relation": relation.value},
    )  # fmt: skip
    return p


def merge_choices(
    session: Session, principal: Principal, household_id: int, text: str = "", limit: int = 100
) -> tuple[list[HouseholdOut], int]:
    """The active households a household may merge into in its own grid (writable here), those whose
    address or head's name contains `text`; at most `limit`, with the count of all that match."""
    h = load_household(session, principal, household_id, W)
    rows, total = repo.active_households_of_grid(
        session, h.area_code, principal.scope(W), exclude_id=h.id, text=text.strip(), limit=limit
    )
    return households_out(session, rows), total
