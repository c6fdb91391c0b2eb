"""Pairings (/api/v1/pairings) and their activities."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from linli.authz.deps import DbSession
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.organizations import reads, service
from linli.organizations.api.common import (
    Actor,
    Manager,
    Reader,
    out_of,
)
from linli.organizations.models import (
    Pairing,
    PairingActivity,
)
from linli.organizations.schemas import (
    ActivityIn,
    ActivityOut,
    PairingEndIn,
    PairingIn,
    PairingOut,
)

router = APIRouter(prefix="/api/v1", tags=["organizations"])


def pairing_out(p: Pairing, activities: int = 0) -> PairingOut:
    return out_of(PairingOut, p, activities=activities)


def activity_out(a: PairingActivity) -> ActivityOut:
    return ActivityOut(**{k: getattr(a, k) for k in ActivityOut.model_fields})


@router.get("/pairings", response_model=Page[PairingOut], summary="Pairings of the communities in an area")
def list_pairings(
    principal: Reader, session: DbSession, area: str = Query(..., max_length=15), pp: PageParams = Depends(page_params)
):
    items, total, counts_ = reads.pairings(session, principal, area, offset=pp.offset, limit=pp.size)
    return Page(items=[pairing_out(p, counts_.get(p.id, 0)) for p in items], total=total, page=pp.page, size=pp.size)


@router.post("/pairings", response_model=PairingOut, status_code=201, summary="Pair a unit with a community")
def create_pairing(body: PairingIn, principal: Manager, session: DbSession):
    return pairing_out(service.pairings.create(session, principal, body))


@router.get("/pairings/{pairing_id}", response_model=PairingOut, summary="A pairing")
def get_pairing(pairing_id: Id, principal: Reader, session: DbSession):
    p = reads.pairing(session, principal, pairing_id)
    return pairing_out(p, len(reads.activities(session, principal, pairing_id)))


@router.post("/pairings/{pairing_id}/end", response_model=PairingOut, summary="End a pairing")
def end_pairing(pairing_id: Id, body: PairingEndIn, principal: Manager, session: DbSession):
    return pairing_out(service.pairings.end(session, principal, pairing_id, body))


@router.get("/pairings/{pairing_id}/activities", response_model=list[ActivityOut], summary="Its activities")
def list_activities(pairing_id: Id, principal: Reader, session: DbSession):
    return [activity_out(a) for a in reads.activities(session, principal, pairing_id)]


@router.post(
    "/pairings/{pairing_id}/activities", response_model=ActivityOut, status_code=201, summary="Log an activity"
)
def log_activity(pairing_id: Id, body: ActivityIn, principal: Actor, session: DbSession):
    return activity_out(service.pairings.log_activity(session, principal, pairing_id, body))
