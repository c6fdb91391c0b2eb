"""JSON API of notifications beyond the inbox: opt-in subscriptions, delivery counts, failed deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from linli.authz.deps import DbSession, Require, SignedIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.pagination import PageParams, page_params
from linli.kit.types import Id
from linli.notify import repository, service
from linli.notify.outbox import delivery_counts
from linli.notify.schemas import CountsOut, FailedOut, FailedPage, SubscriptionIn, SubscriptionOut
from linli.notify.service import subscription_out

router = APIRouter(prefix="/api/v1", tags=["notifications"])
RECORD = Require(Permission.subscriptions_record)
MANAGE = Require(Permission.deliveries_manage)
Recorder = Annotated[Principal, Depends(RECORD)]
Manager = Annotated[Principal, Depends(MANAGE)]


@router.get("/subscriptions", response_model=list[SubscriptionOut], summary="My notification subscriptions")
def my_subscriptions(principal: SignedIn, session: DbSession):
    return [subscription_out(s) for s in repository.subscriptions_of(session, user_id=principal.user_id)]


@router.post("/subscriptions", response_model=SubscriptionOut, status_code=201, summary="Opt in to notifications")
def opt_in(body: SubscriptionIn, principal: SignedIn, session: DbSession):
    return subscription_out(service.opt_in(session, principal, body))


@router.delete("/subscriptions/{subscription_id}", response_model=SubscriptionOut, summary="Opt out (withdraw)")
def opt_out(subscription_id: Id, principal: SignedIn, session: DbSession):
    return subscription_out(service.withdraw_own(session, principal, subscription_id))


@router.get(
    "/persons/{person_id}/subscriptions", response_model=list[SubscriptionOut], summary="A resident's subscriptions"
)
def person_subscriptions(person_id: Id, principal: Recorder, session: DbSession):
    return [subscription_out(s) for s in repository.subscriptions_of_person(session, principal, person_id)]


@router.post(
    "/persons/{person_id}/subscriptions",
    response_model=SubscriptionOut,
    status_code=201,
    summary="Record a resident's consent to be notified",
)
def record_consent(person_id: Id, body: SubscriptionIn, principal: Recorder, session: DbSession):
    return subscription_out(service.record_for_person(session, principal, person_id, body))


@router.delete(
    "/persons/{person_id}/subscriptions/{subscription_id}",
    response_model=SubscriptionOut,
    summary="Record a resident's withdrawal",
)
def record_withdrawal(person_id: Id, subscription_id: Id, principal: Recorder, session: DbSession):
    return subscription_out(service.withdraw_for_person(session, principal, person_id, subscription_id))


@router.get("/deliveries/counts", response_model=list[CountsOut], summary="Deliveries of a message by child area")
def counts(
    principal: Manager,
    session: DbSession,
    ref: str = Query(..., description="the message's ref (with its suffix, e.g. warning:42:lift)"),
    area: str = Query(..., description="area code; counts are rolled up by its child areas"),
    channel: str | None = Query(None),
):
    if not codes.is_valid(area) or not principal.visible.contains(area):
        raise NotFound(t("{what} does not exist", what=f"area {area}"))
    principal.check(Permission.deliveries_manage, area, what=f"area {area}")
    return [CountsOut(**c.__dict__) for c in delivery_counts(session, ref, area, channel=channel).values()]


@router.get("/deliveries/failed", response_model=FailedPage, summary="Deliveries given up after their retries")
def failed(
    principal: Manager,
    session: DbSession,
    area: str | None = Query(None),
    ref: str | None = Query(None),
    pp: PageParams = Depends(page_params),
):
    rows, total = repository.failed_in_reach(
        session, principal, area_code=area, ref=ref, offset=pp.offset, limit=pp.size
    )
    return FailedPage(items=[FailedOut.model_validate(r) for r in rows], total=total, page=pp.page, size=pp.size)


@router.post("/deliveries/{delivery_id}/retry", response_model=FailedOut, summary="Retry a failed delivery")
def retry(delivery_id: Id, principal: Manager, session: DbSession):
    return FailedOut.model_validate(service.retry(session, principal, delivery_id))
