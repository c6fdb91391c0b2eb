"""A resident's account linked to their own entry in the residents register, by staff who checked it.

Staff with `residents.write` at the person's grid link an account (role `resident` only, active, home
area inside their reach) after checking the resident's identity card at the counter; nobody links
themself by typing an ID number, which would open another person's data to them. The resident then
reads their own entry (masked) and their household's names and relations, and may unlink themself.

The link is its own table (`person_accounts`, see `AccountLink`), not a `person_id` column on
`users`: it is a fact of the register, made and undone under the register's permissions, and on
SQLite a new foreign-key column would mean rebuilding `users`, which tokens, sessions and grants
refer to. Both columns are unique: one account ↔ at most one person. Every change is audited, with
the account's name and never an ID number.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.areas import repository as areas_repo
from linli.audit.service import record
from linli.authn.models import User
from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.codes import Level
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.residents import repository as repo
from linli.residents import service
from linli.residents.events import add_event
from linli.residents.models import AccountLink, Person
from linli.residents.schemas import AccountLinkOut, HouseholdMemberOut, MyHouseholdOut, RegistrationOut

W = Permission.residents_write


def link_out(session: Session, link: AccountLink) -> AccountLinkOut:
    user = repo.user_by_id(session, link.user_id)
    person = repo.person_by_id(session, link.person_id)
    return AccountLinkOut(
        person_id=link.person_id,
        person_name=person.name if person else "",
        user_id=link.user_id,
        username=user.username if user else "",
        display_name=user.display_name if user else "",
        linked_at=link.linked_at,
        linked_by=link.linked_by,
    )


def _audit_view(user: User, person: Person) -> dict:
    # Names the account and the person; never the ID or phone number.
    return {"user_id": user.id, "username": user.username, "person": person.name}


def _in_reach(principal: Principal, user: User, person: Person) -> bool:
    """An account one may link: its home area inside the places where one may change the register, or
    the community (or grid) the person lives in. Residents' accounts usually have their community as
    home, and a grid worker, whose reach is the grid, registers the people of the grid."""
    if principal.can(W, user.area_code):
        return True
    home = codes.unpad(user.area_code)
    return len(home) >= codes.LEVEL_LENGTHS[Level.village] and codes.in_subtree(person.area_code, home)


def _resident_account(session: Session, principal: Principal, username: str, person: Person) -> User:
    """The account to link: in the principal's reach, active, and a resident's only."""
    name = (username or "").strip()
    if not name:
        raise InvalidInput(t("give the user name of the resident's account"))
    user = repo.user_by_name(session, name)
    # An account outside the places one may change the register answers exactly like a missing one.
    if user is None or not _in_reach(principal, user, person):
        raise NotFound(t("account {username} does not exist", username=name))
    if not user.is_active:
        raise InvalidInput(
            t("account {username} is disabled; an administrator must enable it before it is linked", username=name),
            code="account_disabled",
        )
    roles = repo.roles_of(session, user.id)
    if roles != {Role.resident.value}:
        if roles - {Role.resident.value}:
            raise InvalidInput(
                # Its roles are not named: the worker may not read accounts.
                t(
                    "account {username} is a staff account; only residents' accounts "
                    "(role resident and no other) are linked to register entries",
                    username=user.username,
                ),
                code="staff_account",
            )
        raise InvalidInput(
            t(
                "account {username} has no resident role; an administrator grants it the role resident first",
                username=user.username,
            ),
            code="not_a_resident",
        )
    return user


def link(session: Session, principal: Principal, person_id: int, username: str) -> AccountLink:
    """Link a resident's account to a present person (staff, after checking the identity card)."""
    person = service.load_person(session, principal, person_id, W)
    user = _resident_account(session, principal, username, person)
    if person.status != "present":
        raise InvalidInput(
            t(
                "person {person_id} is {status}; only people who live here now are linked to an account",
                person_id=person.id,
                status=t("deceased") if person.status == "deceased" else t("moved out"),
            ),
            code="not_present",
        )
    current = repo.account_link_of_person(session, person.id)
    if current is not None:
        if current.user_id == user.id:
            return current  # already so: nothing changes
        other = repo.user_by_id(session, current.user_id)
        shown = other is not None and principal.can(W, other.area_code)
        raise Conflict(
            t(
                "person {person_id} is already linked to account {username}; unlink it first",
                person_id=person.id,
                username=other.username,
            )
            if shown
            else t("person {person_id} is already linked to another account; unlink it first", person_id=person.id),
            code="person_linked",
        )
    mine = repo.account_link_of_user(session, user.id)
    if mine is not None:
        elsewhere = repo.person_by_id(session, mine.person_id)
        shown = elsewhere is not None and principal.can(W, elsewhere.area_code)
        raise Conflict(
            t(
                "account {username} is already linked to person {person_id}; unlink it there first",
                username=user.username,
                person_id=mine.person_id,
            )
            if shown
            else t(
                "account {username} is already linked to another register entry; it must be unlinked there first "
                "(the resident can do it on their page “My registration”)",
                username=user.username,
            ),
            code="account_linked",
        )
    row = AccountLink(user_id=user.id, person_id=person.id, linked_by=principal.audit_name)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Someone linked one of the two at the same moment: the unique columns refused the second link.
        raise Conflict(
            t("the person or the account was linked meanwhile; reload the page and try again"), code="conflict"
        ) from None
    # In the person's (and household's) history too, where the register's readers look; the audit
    # entry keeps the account's name.
    add_event(
        session, principal, "account_linked", person.area_code, person_id=person.id, household_id=person.household_id
    )
    record(
        session,
        principal,
        "persons.account_link",
        "person",
        person.id,
        person.area_code,
        after=_audit_view(user, person),
    )
    return row


def _remove(session: Session, principal: Principal, row: AccountLink, person: Person, *, by_self: bool) -> None:
    user = repo.user_by_id(session, row.user_id)
    before = _audit_view(user, person) if user else {"user_id": row.user_id, "person": person.name}
    session.delete(row)
    session.flush()
    add_event(
        session, principal, "account_unlinked", person.area_code, person_id=person.id, household_id=person.household_id
    )
    record(
        session,
        principal,
        "persons.account_unlink",
        "person",
        person.id,
        person.area_code,
        before=before,
        after={"linked": False, "by": "the resident" if by_self else "staff"},
    )


def unlink(session: Session, principal: Principal, person_id: int) -> None:
    """Undo a link: staff with residents.write at the person's grid, or the linked resident themself."""
    row = repo.account_link_of_person(session, person_id)
    if row is not None and principal.user_id is not None and row.user_id == principal.user_id:
        _remove(session, principal, row, repo.person_by_id(session, person_id), by_self=True)
        return
    person = service.load_person(session, principal, person_id, W)
    if row is None:
        raise NotFound(t("person {person_id} is not linked to an account", person_id=person.id), code="not_linked")
    _remove(session, principal, row, person, by_self=False)


def unlink_own(session: Session, principal: Principal) -> None:
    """The signed-in resident unlinks their own account from their register entry."""
    row = repo.account_link_of_user(session, principal.user_id) if principal.user_id is not None else None
    if row is None:
        raise NotFound(t("your account is not linked to an entry in the residents register"), code="not_linked")
    _remove(session, principal, row, repo.person_by_id(session, row.person_id), by_self=True)


def linked_usernames(session: Session, principal: Principal, person_ids: list[int]) -> dict[int, str]:
    """person id → linked account's user name, for the persons the principal may change (household page)."""
    return repo.linked_usernames(session, person_ids) if principal.holds_anywhere(W) else {}


def link_of_person(session: Session, principal: Principal, person_id: int) -> AccountLinkOut | None:
    """The link of a person the principal may change, or None."""
    service.load_person(session, principal, person_id, W)
    row = repo.account_link_of_person(session, person_id)
    return link_out(session, row) if row is not None else None


def register_entry_of(session: Session, principal: Principal, user: User) -> dict | None:
    """For the account pages of administrators: the register entry an account is linked to, as far as
    the reader may see it ({"linked": True, "name": …, "household_id": …}, the name and household only
    for a reader of the register there); None when not linked."""
    row = repo.account_link_of_user(session, user.id)
    if row is None:
        return None
    person = repo.person_by_id(session, row.person_id)
    if person is None or not principal.can(Permission.residents_read, person.area_code):
        return {"linked": True, "name": None, "household_id": None}
    return {"linked": True, "name": person.name, "household_id": person.household_id, "person_id": person.id}


def my_registration(session: Session, principal: Principal) -> RegistrationOut | None:
    """The signed-in resident's own entry (masked) and household (names and relations only); None if not linked.

    Read through the link, not the principal's scope: residents hold no `residents.read`, and this is
    their own data.
    """
    row = repo.account_link_of_user(session, principal.user_id) if principal.user_id is not None else None
    if row is None:
        return None
    person = repo.person_by_id(session, row.person_id)
    today = date.today()
    tags = [
        tg
        for tg in repo.tags_of(session, [person.id]).get(person.id, [])
        if tg.start_on <= today and (tg.end_on is None or tg.end_on > today)
    ]
    household = None
    if person.household_id is not None:
        h = repo.household_by_id(session, person.household_id)
        members = repo.members(session, h.id)
        head = repo.names_of(session, [h.head_person_id]).get(h.head_person_id) if h.head_person_id else None
        household = MyHouseholdOut(
            id=h.id,
            address=h.address,
            unit=h.unit,
            room=h.room,
            register_type=h.register_type,
            head_name=head,
            members=[HouseholdMemberOut(name=m.name, relation=m.relation, is_you=m.id == person.id) for m in members],
        )
    grid_code = codes.unpad(person.area_code)
    village_code = grid_code[:12]
    areas = areas_repo.get_areas(session, [grid_code, village_code])
    return RegistrationOut(
        person=service.person_out(person, tags, today=today),
        grid_name=areas[grid_code].name if grid_code in areas else grid_code,
        community_name=areas[village_code].name if village_code in areas else village_code,
        household=household,
        linked_at=row.linked_at,
    )


def home_community(session: Session, principal: Principal) -> str | None:
    """The name of the community (or village) of the signed-in account's home area, to say where to go."""
    user = repo.user_by_id(session, principal.user_id) if principal.user_id is not None else None
    if user is None:
        return None
    code = codes.unpad(user.area_code)
    if len(code) < 12:
        return None
    area = areas_repo.get_areas(session, [code[:12]]).get(code[:12])
    return area.name if area else None


def home_grid(session: Session, principal: Principal) -> str | None:
    """The grid (unpadded code) of the signed-in resident's register entry, where their reports start
    on the map; None when the account is not linked."""
    row = repo.account_link_of_user(session, principal.user_id) if principal.user_id is not None else None
    if row is None:
        return None
    person = repo.person_by_id(session, row.person_id)
    return codes.unpad(person.area_code) if person is not None else None
