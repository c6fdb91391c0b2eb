"""JSON API of the links between residents' accounts and register entries (on the residents router)."""

from __future__ import annotations

from fastapi import Response

from linli.authz.deps import DbSession, SignedIn
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.residents import accounts
from linli.residents.api import Writer, router
from linli.residents.schemas import AccountLinkIn, AccountLinkOut, RegistrationOut


@router.get("/persons/{person_id}/account", response_model=AccountLinkOut, summary="The account linked to a person")
def get_link(person_id: Id, principal: Writer, session: DbSession):
    out = accounts.link_of_person(session, principal, person_id)
    if out is None:
        raise NotFound(t("person {person_id} is not linked to an account", person_id=person_id), code="not_linked")
    return out


@router.put(
    "/persons/{person_id}/account",
    response_model=AccountLinkOut,
    summary="Link a resident's account to the person (after checking their identity card)",
)
def link_account(
    person_id: Id,
    body: AccountLinkIn,
    principal: Writer,
    session: DbSession,
):
    return accounts.link_out(session, accounts.link(session, principal, person_id, body.username))


@router.delete("/persons/{person_id}/account", status_code=204, summary="Unlink the person's account")
def unlink_account(person_id: Id, principal: Writer, session: DbSession):
    accounts.unlink(session, principal, person_id)
    return Response(status_code=204)


@router.get("/me/registration", response_model=RegistrationOut, summary="My own entry in the residents register")
def my_registration(principal: SignedIn, session: DbSession):
    out = accounts.my_registration(session, principal)
    if out is None:
        raise NotFound(
            t(
                "your account is not linked to an entry in the residents register; bring your identity card to "
                "your community's service station or grid worker to have it linked"
            ),
            code="not_linked",
        )
    return out


@router.delete("/me/registration", status_code=204, summary="Unlink my account from my register entry")
def unlink_mine(principal: SignedIn, session: DbSession):
    accounts.unlink_own(session, principal)
    return Response(status_code=204)
