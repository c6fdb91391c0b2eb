"""Scope cases of account links: staff link and unlink a person's account; a resident's own registration."""

from __future__ import annotations

from tests.factories import VILLAGE_A
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"


def setup(session, w):
    """A resident's account and a person to link it to; a second pair already linked; and the area
    admin's own account linked directly (the service refuses staff accounts), for the routes about
    oneself."""
    from linli.residents.models import AccountLink
    from tests.factories import make_user
    from tests.factories_residents import make_household, make_person

    h = make_household(session, GRID, address="账号路1号")
    free = make_person(session, h, name="孔一")
    linked = make_person(session, h, name="孔二", relation="spouse")
    own = make_person(session, h, name="孔三", relation="child")
    make_user(session, "acct_free", "resident", GRID)
    taken = make_user(session, "acct_taken", "resident", GRID)
    session.add(AccountLink(user_id=taken.id, person_id=linked.id, linked_by="setup"))
    session.add(AccountLink(user_id=w["users"]["in"].id, person_id=own.id, linked_by="setup"))
    session.flush()
    return {"al_free": free.id, "al_linked": linked.id}


def cases(w) -> dict[tuple[str, str], Case]:
    free, linked = {"person_id": w["al_free"]}, {"person_id": w["al_linked"]}
    return {
        ("GET", "/api/v1/persons/{person_id}/account"): Case(path=linked),
        ("PUT", "/api/v1/persons/{person_id}/account"): Case(path=free, body={"username": "acct_free"}),
        ("DELETE", "/api/v1/persons/{person_id}/account"): Case(path=linked),
        ("GET", "/api/v1/me/registration"): Case(kind="owner"),
        ("DELETE", "/api/v1/me/registration"): Case(kind="owner"),
        ("GET", "/persons/{person_id}/account"): Case(path=free),
        ("POST", "/persons/{person_id}/account"): Case(path=free, data={"username": "acct_free"}),
        ("POST", "/persons/{person_id}/account/unlink"): Case(path=linked, data={}),
        ("GET", "/account/registration"): Case(kind="self"),
        ("POST", "/account/registration/unlink"): Case(kind="self", data={"confirm": "yes"}),
    }
