"""JSON API of the residents register: buildings, households, persons, history, transfers, search, stats."""

from __future__ import annotations

from datetime import date

from fastapi import Depends, Query
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession
from linli.kit.errors import DomainError
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.residents import id_reviews, service, transfers
from linli.residents.api import Reader, Writer, router
from linli.residents.kinds import TransferStatus
from linli.residents.schemas import (
    BuildingIn,
    BuildingOut,
    BuildingPatch,
    DeathIn,
    DecisionIn,
    EventOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    MemberIn,
    MergeIn,
    MoveIn,
    MoveOutIn,
    PersonIn,
    PersonOut,
    PersonPatch,
    SearchIn,
    SplitIn,
    StatsOut,
    TagIn,
    TagOut,
    TransferIn,
    TransferOut,
)
from linli.residents.service import counts, history, households

# --- buildings ----------------------------------------------------------------------------------


@router.post("/buildings", response_model=BuildingOut, status_code=201)
def create_building(body: BuildingIn, principal: Writer, session: DbSession):
    return households.building_out(households.create_building(session, principal, body))


@router.get("/buildings/{building_id}", response_model=BuildingOut)
def get_building(building_id: Id, principal: Reader, session: DbSession):
    return households.building_out(service.load_building(session, principal, building_id))


@router.patch("/buildings/{building_id}", response_model=BuildingOut)
def update_building(
    building_id: Id,
    body: BuildingPatch,
    principal: Writer,
    session: DbSession,
):
    return households.building_out(households.update_building(session, principal, building_id, body))


@router.get("/areas/{code}/buildings", response_model=Page[BuildingOut], summary="Buildings under an area")
def list_buildings(
    code: str,
    principal: Reader,
    session: DbSession,
    pp: PageParams = Depends(page_params),
):
    rows, total = households.list_buildings(session, principal, code, pp.offset, pp.size)
    return Page(items=[households.building_out(b) for b in rows], total=total, page=pp.page, size=pp.size)


# --- households ---------------------------------------------------------------------------------


@router.post("/households", response_model=HouseholdOut, status_code=201)
def create_household(body: HouseholdIn, principal: Writer, session: DbSession):
    return households.household_out(session, households.create_household(session, principal, body))


@router.get("/households/{household_id}", response_model=HouseholdOut, summary="A household with its members")
def get_household(household_id: Id, principal: Reader, session: DbSession):
    h = service.load_household(session, principal, household_id)
    return households.household_out(session, h, with_members=True)


@router.patch("/households/{household_id}", response_model=HouseholdOut)
def update_household(
    household_id: Id,
    body: HouseholdPatch,
    principal: Writer,
    session: DbSession,
):
    return households.household_out(session, households.update_household(session, principal, household_id, body))


@router.get("/areas/{code}/households", response_model=Page[HouseholdOut], summary="Households under an area")
def list_households(
    code: str,
    principal: Reader,
    session: DbSession,
    pp: PageParams = Depends(page_params),
):
    items, total = households.list_households(session, principal, code, pp.offset, pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.post("/households/{household_id}/members", response_model=PersonOut, status_code=201)
def add_member(
    household_id: Id,
    body: MemberIn,
    principal: Writer,
    session: DbSession,
):
    p = households.add_member(session, principal, household_id, body.person_id, body.relation)
    return service.persons_out(session, [p])[0]


@router.post("/households/{household_id}/move", response_model=HouseholdOut, summary="Move a household to a grid")
def move_household(
    household_id: Id,
    body: MoveIn,
    principal: Writer,
    session: DbSession,
):
    return households.household_out(session, history.move_household(session, principal, household_id, body))


@router.post("/households/{household_id}/split", response_model=HouseholdOut, status_code=201)
def split_household(
    household_id: Id,
    body: SplitIn,
    principal: Writer,
    session: DbSession,
):
    new = history.split_household(session, principal, household_id, body)
    return households.household_out(session, new, with_members=True)


@router.post("/households/{household_id}/merge", response_model=HouseholdOut)
def merge_household(
    household_id: Id,
    body: MergeIn,
    principal: Writer,
    session: DbSession,
):
    into = history.merge_households(session, principal, household_id, body)
    return households.household_out(session, into, with_members=True)


@router.get("/households/{household_id}/history", response_model=list[EventOut])
def household_history(household_id: Id, principal: Reader, session: DbSession):
    return history.household_history(session, principal, household_id)


# --- persons ------------------------------------------------------------------------------------


def _keeping_id_lookups(session: Session, work):
    """Run `work`; if it fails after a lookup by ID number (e.g. "already registered"), its error is
    answered here rather than raised, so that the request commits the lookup's audit entry alone."""
    try:
        return work()
    except DomainError as exc:
        if not id_reviews.lookups_made(session):
            raise
        session.rollback()
        id_reviews.record_lost_lookups(session)
        return JSONResponse(exc.to_dict(), status_code=exc.status)


@router.post("/persons", response_model=PersonOut, status_code=201)
def register_person(body: PersonIn, principal: Writer, session: DbSession):
    return _keeping_id_lookups(
        session, lambda: service.persons_out(session, [service.register_person(session, principal, body)])[0]
    )


@router.post("/persons/search", response_model=Page[PersonOut], summary="Find persons (ID and phone: exact match)")
def search_persons(body: SearchIn, principal: Reader, session: DbSession):
    items, total = service.find_persons(session, principal, body)
    return Page(items=items, total=total, page=body.page, size=body.size)


@router.get("/persons/{person_id}", response_model=PersonOut, summary="A person, ID and phone masked")
def get_person(person_id: Id, principal: Reader, session: DbSession):
    return service.read_person(session, principal, person_id)


@router.post(
    "/persons/{person_id}/reveal",
    response_model=PersonOut,
    summary="A person with ID and phone in clear (needs residents.reveal; audited)",
)
def reveal_person(person_id: Id, principal: Reader, session: DbSession):
    return service.read_person(session, principal, person_id, reveal=True)


@router.patch("/persons/{person_id}", response_model=PersonOut)
def update_person(
    person_id: Id,
    body: PersonPatch,
    principal: Writer,
    session: DbSession,
):
    return _keeping_id_lookups(
        session, lambda: service.persons_out(session, [service.update_person(session, principal, person_id, body)])[0]
    )


@router.post("/persons/{person_id}/move", response_model=PersonOut, summary="Move a person to a grid")
def move_person(
    person_id: Id,
    body: MoveIn,
    principal: Writer,
    session: DbSession,
):
    return service.persons_out(session, [history.move_person(session, principal, person_id, body)])[0]


@router.post("/persons/{person_id}/move-away", response_model=PersonOut, summary="The person left the register's area")
def move_away(
    person_id: Id,
    body: MoveOutIn,
    principal: Writer,
    session: DbSession,
):
    return service.persons_out(session, [history.move_away(session, principal, person_id, body)])[0]


@router.post("/persons/{person_id}/death", response_model=PersonOut)
def record_death(
    person_id: Id,
    body: DeathIn,
    principal: Writer,
    session: DbSession,
):
    return service.persons_out(session, [history.record_death(session, principal, person_id, body.died_on)])[0]


@router.post("/persons/{person_id}/tags", response_model=TagOut, status_code=201)
def add_tag(
    person_id: Id,
    body: TagIn,
    principal: Writer,
    session: DbSession,
):
    return service.tag_out(service.add_tag(session, principal, person_id, body))


@router.post("/persons/{person_id}/tags/{tag_id}/end", response_model=TagOut, summary="End a tag (default today)")
def end_tag(
    person_id: Id,
    tag_id: Id,
    principal: Writer,
    session: DbSession,
    on: date | None = Query(None, description="the last day of the tag (default today)"),
):
    return service.tag_out(service.end_tag(session, principal, person_id, tag_id, on))


@router.get("/persons/{person_id}/history", response_model=list[EventOut])
def person_history(person_id: Id, principal: Reader, session: DbSession):
    return history.person_history(session, principal, person_id)


@router.get("/areas/{code}/residents/stats", response_model=StatsOut, summary="Persons by tag and age band")
def stats(code: str, principal: Reader, session: DbSession):
    return counts.stats(session, principal, code)


# --- transfers ----------------------------------------------------------------------------------


@router.post("/transfers", response_model=TransferOut, status_code=201, summary="Ask another area to take someone in")
def request_transfer(body: TransferIn, principal: Writer, session: DbSession):
    return transfers.transfer_out(session, transfers.request_transfer(session, principal, body))


@router.get("/transfers", response_model=Page[TransferOut], summary="Transfers from or to your areas")
def list_transfers(
    principal: Reader,
    session: DbSession,
    status: TransferStatus | None = None,
    pp: PageParams = Depends(page_params),
):
    items, total = transfers.list_transfers(session, principal, status.value if status else None, pp.offset, pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.get("/transfers/{transfer_id}", response_model=TransferOut)
def get_transfer(transfer_id: Id, principal: Reader, session: DbSession):
    return transfers.transfer_out(session, transfers.load_transfer(session, principal, transfer_id))


@router.post("/transfers/{transfer_id}/accept", response_model=TransferOut)
def accept_transfer(
    transfer_id: Id,
    body: DecisionIn,
    principal: Writer,
    session: DbSession,
):
    return transfers.transfer_out(session, transfers.accept_transfer(session, principal, transfer_id, body))


@router.post("/transfers/{transfer_id}/reject", response_model=TransferOut)
def reject_transfer(
    transfer_id: Id,
    body: DecisionIn,
    principal: Writer,
    session: DbSession,
):
    return transfers.transfer_out(session, transfers.reject_transfer(session, principal, transfer_id, body))


@router.post("/transfers/{transfer_id}/cancel", response_model=TransferOut)
def cancel_transfer(transfer_id: Id, principal: Writer, session: DbSession):
    return transfers.transfer_out(session, transfers.cancel_transfer(session, principal, transfer_id))
