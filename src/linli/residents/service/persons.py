"""Persons: the loaders every service uses (permission checked), register, read (masked or revealed), find,
edit, tags. Every write is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from linli.areas import repository as areas_repo
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.codes import Level
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.phone import parse_phone
from linli.residents import id_checks, id_reviews, pii
from linli.residents import repository as repo
from linli.residents.events import add_event
from linli.residents.idcard import InvalidIdNumber, parse_id
from linli.residents.kinds import Relation
from linli.residents.models import Building, Household, Person, PersonTag
from linli.residents.repository import years_before
from linli.residents.schemas import PersonIn, PersonOut, PersonPatch, SearchIn, TagIn, TagOut

R, W, REVEAL = Permission.residents_read, Permission.residents_write, Permission.residents_reveal


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def live_grid(session: Session, principal: Principal, code: str, permission: Permission = W) -> str:
    """The padded code of a live grid the principal may act in (404 outside its view, 403 without permission)."""
    if not isinstance(code, str) or len(code) != 15 or not codes.is_valid(code):
        raise InvalidInput(t("persons, households and buildings belong to a grid (15 digits), not {code!r}", code=code))
    principal.check(permission, code, what=t("grid {code}", code=code))
    area = areas_repo.get_areas(session, [code]).get(code)
    if area is None or area.level != Level.grid.value:
        raise NotFound(t("grid {code} does not exist", code=code))
    if area.retired_at is not None:
        raise InvalidInput(t("grid {code} ({name}) is retired; choose a live grid", code=code, name=area.name))
    return codes.pad(code)


# --- loaders ------------------------------------------------------------------------------------


def load_building(session: Session, principal: Principal, building_id: int, permission: Permission = R) -> Building:
    b = repo.get_building(session, building_id, principal.visible)
    if b is None:
        raise NotFound(t("building {building_id} does not exist", building_id=building_id))
    principal.check(permission, b.area_code, what=t("building {building_id}", building_id=building_id))
    return b


def load_household(session: Session, principal: Principal, household_id: int, permission: Permission = R) -> Household:
    h = repo.get_household(session, household_id, principal.visible)
    if h is None:
        raise NotFound(t("household {household_id} does not exist", household_id=household_id))
    principal.check(permission, h.area_code, what=t("household {household_id}", household_id=household_id))
    return h


# --- persons ------------------------------------------------------------------------------------


def person_out(
    p: Person, tags: list[PersonTag] | None = None, *, reveal: bool = False, today: date | None = None
) -> PersonOut:
    today = today or date.today()
    return PersonOut(
        id=p.id,
        area_code=codes.unpad(p.area_code),
        household_id=p.household_id,
        relation=p.relation,
        name=p.name,
        gender=p.gender,
        birth_date=p.birth_date,
        age=age_on(p.birth_date, p.died_on or today),
        ethnicity=p.ethnicity,
        id_number=pii.open_id(p.id_number_enc, reveal=reveal),
        phone=pii.open_phone(p.phone_enc, reveal=reveal),
        revealed=reveal,
        status=p.status,
        moved_in_on=p.moved_in_on,
        moved_out_on=p.moved_out_on,
        died_on=p.died_on,
        party_member=p.party_member,
        generated=p.generated,
        tags=[tag_out(t) for t in tags or []],
    )


def persons_out(session: Session, persons: list[Person]) -> list[PersonOut]:
    """Masked output of many persons with their tags, in two queries."""
    tags = repo.tags_of(session, [p.id for p in persons])
    today = date.today()
    return [person_out(p, tags.get(p.id, []), today=today) for p in persons]


def tag_out(t: PersonTag) -> TagOut:
    return TagOut(id=t.id, tag=t.tag, start_on=t.start_on, end_on=t.end_on, note=t.note)


def load_person(session: Session, principal: Principal, person_id: int, permission: Permission = R) -> Person:
    p = repo.get_person(session, person_id, principal.visible)
    if p is None:
        raise NotFound(t("person {person_id} does not exist", person_id=person_id))
    principal.check(permission, p.area_code, what=t("person {person_id}", person_id=person_id))
    return p


def read_person(session: Session, principal: Principal, person_id: int, *, reveal: bool = False) -> PersonOut:
    """A person, masked; with `reveal`, their ID and phone numbers in clear (permission checked, audited)."""
    p = load_person(session, principal, person_id)
    if reveal:
        principal.check(REVEAL, p.area_code, what=t("person {person_id}", person_id=person_id))
        record(
            session,
            principal,
            "persons.reveal",
            "person",
            p.id,
            p.area_code,
            after={"fields": ["id_number", "phone"] if p.phone_enc else ["id_number"]},
        )
    return person_out(p, repo.tags_of(session, [p.id]).get(p.id, []), reveal=reveal)


def find_persons(session: Session, principal: Principal, q: SearchIn) -> tuple[list[PersonOut], int]:
    """Persons under an area matching the search (name contains; ID and phone numbers exact, the ID
    lookup audited; tag, age, status), masked, a page of them and how many match."""
    if not codes.is_valid(q.area_code):
        raise InvalidInput(t("{code!r} is not an area code", code=q.area_code))
    principal.check(R, q.area_code, what=t("area {code}", code=q.area_code))
    if q.age_min is not None and q.age_max is not None and q.age_min > q.age_max:
        raise InvalidInput(t("the lowest age is above the highest"))
    today = date.today()
    if q.id_number:
        id_reviews.audit_lookup(session, principal, "search", q.area_code)
    rows, total = repo.search_persons(
        session,
        q.area_code,
        principal.scope(R),
        name=(q.name or "").strip() or None,
        id_bidx=pii.id_index(q.id_number) if q.id_number else None,
        phone_bidx=pii.phone_index(q.phone) if q.phone else None,
        tag=q.tag.value if q.tag else None,
        born_after=years_before(today, q.age_max + 1) if q.age_max is not None else None,
        born_before=years_before(today, q.age_min) if q.age_min is not None else None,
        status=q.status.value if q.status else None,
        register_type=q.register_type.value if q.register_type else None,
        offset=(q.page - 1) * q.size,
        limit=q.size,
        today=today,
    )
    return persons_out(session, rows), total


def check_id_number(raw: str, *, gender: str | None = None, birth_date: date | None = None):
    """The parsed ID number; a given gender or birth date must agree with it."""
    parsed = parse_id(raw)
    if birth_date is not None and birth_date != parsed.birth_date:
        raise InvalidIdNumber(
            t(
                "the birth date {birth_date} does not agree with the ID number (which says {id_birth_date})",
                birth_date=birth_date.isoformat(),
                id_birth_date=parsed.birth_date.isoformat(),
            ),
            code="birth_date_mismatch",
        )
    if gender is not None and gender != parsed.gender:
        raise InvalidIdNumber(
            t("the gender {gender} does not agree with the ID number", gender=gender), code="gender_mismatch"
        )
    return parsed


def _snapshot(p: Person) -> dict[str, Any]:
    # No ID or phone numbers: the audit log would redact them anyway, and a marker says they changed.
    return {
        "name": p.name,
        "gender": p.gender,
        "birth_date": p.birth_date,
        "household_id": p.household_id,
        "relation": p.relation,
        "ethnicity": p.ethnicity,
        "party_member": p.party_member,
        "status": p.status,
        "area_code": codes.unpad(p.area_code),
    }


def register_person(session: Session, principal: Principal, body: PersonIn) -> Person:
    """A new person, in a household or alone in a grid; refused if the ID number is already registered."""
    household = None
    if body.household_id is not None:
        household = load_household(session, principal, body.household_id, W)
        if household.status != "active":
            raise InvalidInput(
                t(
                    "household {household_id} is {status}; choose an active household",
                    household_id=household.id,
                    status=household.status,
                )
            )
        area = household.area_code
        if body.relation is None:
            raise InvalidInput(t("give the person's relation to the head of the household"))
    elif body.area_code:
        area = live_grid(session, principal, body.area_code)
    else:
        raise InvalidInput(t("give the household the person joins, or the grid they live in"))
    parsed = check_id_number(
        body.id_number, gender=body.gender.value if body.gender else None, birth_date=body.birth_date
    )
    phone = parse_phone(body.phone) if body.phone else None
    id_enc, id_bidx = pii.seal_id(parsed.value)
    # Registered where the principal may read: they are told (they could find the entry anyway).
    # Registered elsewhere: the answer and the work are those of a free number (the entry holds a
    # placeholder index); the worker's check of the queued number opens a supervisor's review.
    seen, elsewhere = id_reviews.lookup(session, principal, id_bidx, purpose="register", area=area)
    if seen is not None:
        raise _registered(seen)
    if household is not None and body.relation == Relation.head and household.head_person_id is not None:
        raise Conflict(
            t(
                "household {household_id} already has a head; change the head on the household",
                household_id=household.id,
            )
        )
    phone_enc, phone_bidx = pii.seal_phone(phone) if phone else (None, None)
    p = Person(
        area_code=area,
        household_id=household.id if household else None,
        relation=body.relation.value if body.relation else None,
        name=body.name.strip(),
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        ethnicity=body.ethnicity.strip(),
        id_number_enc=id_enc,
        id_number_bidx=id_reviews.index_to_hold(id_bidx, elsewhere),
        phone_enc=phone_enc,
        phone_bidx=phone_bidx,
        moved_in_on=body.moved_in_on,
        party_member=body.party_member,
        status="present",
    )
    session.add(p)
    session.flush()
    id_checks.queue_check(session, principal, p.id, id_bidx)
    if household is not None and body.relation == Relation.head:
        household.head_person_id = p.id
    for tag_in in body.tags:
        _add_tag(session, p, tag_in)
    kind = {"birth": "born", "move_in": "moved_in"}.get(body.registered_as, "registered")
    on = p.birth_date if kind == "born" else body.moved_in_on
    add_event(session, principal, kind, area, on=on, person_id=p.id, household_id=p.household_id)
    session.flush()
    record(
        session,
        principal,
        "persons.create",
        "person",
        p.id,
        area,
        after={**_snapshot(p), "id_number": parsed.value, "phone": phone, "tags": [t.tag.value for t in body.tags]},
    )
    return p


def _registered(p: Person) -> Conflict:
    """The answer for a number registered where the principal may read: the entry is named."""
    return Conflict(
        t(
            "{name} (person {person_id}) is already registered with this ID number; find them and move them instead",
            name=p.name,
            person_id=p.id,
        ),
        code="id_registered",
        details={"person_id": p.id, "household_id": p.household_id},
    )


def update_person(session: Session, principal: Principal, person_id: int, body: PersonPatch) -> Person:
    p = load_person(session, principal, person_id, W)
    before = _snapshot(p)
    changed: dict[str, Any] = {}
    data = body.model_dump(exclude_unset=True)
    if "id_number" in data:
        parsed = parse_id(data["id_number"])
        enc, bidx = pii.seal_id(parsed.value)
        if pii.open_id(p.id_number_enc, reveal=True) != parsed.value:
            seen, elsewhere = id_reviews.lookup(
                session, principal, bidx, purpose="update", area=p.area_code, exclude=p.id
            )
            if seen is not None:
                raise _registered(seen)
            id_reviews.close_as_corrected(session, principal, p)  # a number in a review was corrected
            p.id_number_enc = enc
            p.id_number_bidx = id_reviews.index_to_hold(bidx, elsewhere)
            p.gender, p.birth_date = parsed.gender, parsed.birth_date
            session.flush()
            id_checks.queue_check(session, principal, p.id, bidx)
            changed["id_number"] = parsed.value
    if "phone" in data:
        if data["phone"]:
            phone = parse_phone(data["phone"])
            p.phone_enc, p.phone_bidx = pii.seal_phone(phone)
            changed["phone"] = phone
        else:
            p.phone_enc = p.phone_bidx = None
            changed["phone"] = None
    for key in ("name", "ethnicity", "moved_in_on", "party_member"):
        if key in data:  # moved_in_on may be cleared (null): the day is not always known
            setattr(p, key, data[key].strip() if isinstance(data[key], str) else data[key])
    if data.get("relation") is not None:
        if p.household_id is None:
            raise InvalidInput(t("the person belongs to no household; a relation to its head means nothing"))
        if data["relation"] == Relation.head:
            raise InvalidInput(t("make a member the head on the household (PATCH its head_person_id)"))
        p.relation = data["relation"].value
    session.flush()
    after = {**_snapshot(p), **changed}
    record(
        session,
        principal,
        "persons.update",
        "person",
        p.id,
        p.area_code,
        before=before,
        after={k: v for k, v in after.items() if k in changed or before.get(k) != v},
    )
    return p


def _add_tag(session: Session, p: Person, tag_in: TagIn) -> PersonTag:
    start = tag_in.start_on or date.today()
    # A tag that is current (not ended, or ending after today) is not added twice: a double tap or a
    # retried request would otherwise count the person twice. An ended tag may be added again.
    current = repo.current_tag(session, p.id, tag_in.tag.value, date.today())
    if current is not None:
        raise Conflict(
            t(
                "{name} already has the tag {tag} since {date}; it can be added again after it has ended",
                name=p.name,
                tag=tag_in.tag.value,
                date=current.start_on,
            ),
            code="tag_current",
            details={"tag": current.tag, "tag_id": current.id, "start_on": current.start_on.isoformat()},
        )
    if tag_in.end_on is not None and tag_in.end_on < start:
        raise InvalidInput(
            t(
                "the tag {tag} ends ({end_on}) before it starts ({start_on})",
                tag=tag_in.tag.value,
                end_on=tag_in.end_on,
                start_on=start,
            )
        )
    tag = PersonTag(
        person_id=p.id,
        area_code=p.area_code,
        tag=tag_in.tag.value,
        start_on=start,
        end_on=tag_in.end_on,
        note=tag_in.note,
    )
    session.add(tag)
    return tag


def add_tag(session: Session, principal: Principal, person_id: int, body: TagIn) -> PersonTag:
    p = load_person(session, principal, person_id, W)
    if p.status != "present":
        raise InvalidInput(
            t(
                "person {person_id} is {status}; tags are for present residents",
                person_id=p.id,
                status=p.status.replace("_", " "),
            )
        )
    repo.lock_person(session, p.id)  # two requests adding the same tag at once: the second sees the first's
    tag = _add_tag(session, p, body)
    session.flush()
    record(session, principal, "persons.tag", "person", p.id, p.area_code, after=body.model_dump(mode="json"))
    return tag


def end_tag(session: Session, principal: Principal, person_id: int, tag_id: int, end_on: date | None) -> PersonTag:
    p = load_person(session, principal, person_id, W)
    tag = repo.get_tag(session, tag_id, p.id)
    if tag is None:
        raise NotFound(t("tag {tag_id} of person {person_id} does not exist", tag_id=tag_id, person_id=person_id))
    end = end_on or date.today()
    if end < tag.start_on:
        raise InvalidInput(
            t("a tag cannot end ({end_on}) before it starts ({start_on})", end_on=end, start_on=tag.start_on)
        )
    before = {"tag": tag.tag, "end_on": tag.end_on}
    tag.end_on = end
    session.flush()
    record(session, principal, "persons.untag", "person", p.id, p.area_code, before=before, after={"end_on": end})
    return tag
