"""The registers of the bodies: seats on the Party committee and the villagers' (residents') committee, and
the representatives with the households they represent; the representatives' meeting checked against
the law (representatives' share, women's share, households per representative) and flagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.selfgov import repository as repo
from linli.selfgov import rules
from linli.selfgov.models import BodyMember
from linli.selfgov.schemas import MemberIn

PICK_LIMIT = 20  # persons a name search lists for a seat (the page says how many more matched)
PICK_NAME_MAX = 50


@dataclass(frozen=True)
class Picked:
    """The persons of a village's register whose name contains what was typed: masked (name, masked ID
    number, grid), never the full ID number."""

    persons: list
    total: int


def candidates(session: Session, principal: Principal, code: str, who: str) -> Picked:
    """Persons living in the village or community `code` whose name contains `who`, for a seat: read through
    the residents register's own search (its permission, masked output, the present only)."""
    from linli.residents import service as residents
    from linli.residents.schemas import SearchIn

    village = repo.place(session, principal, code)
    who = (who or "").strip()
    if not who:
        raise InvalidInput(t("type part of the person's name"))
    if len(who) > PICK_NAME_MAX:
        raise InvalidInput(t("a name is at most {n} characters", n=PICK_NAME_MAX))
    rows, total = residents.find_persons(
        session, principal, SearchIn(area_code=village.code, name=who, size=PICK_LIMIT)
    )
    return Picked(rows, total)


COMMITTEE_POSTS = {
    "party_committee": ("secretary", "deputy_secretary", "member"),
    "villagers_committee": ("director", "deputy_director", "member"),
    "representative": ("representative",),
}


def seat(session: Session, principal: Principal, data: MemberIn, *, generated: bool = False) -> BodyMember:
    """A seat for a person of the village's register; one person may sit on both committees (一肩挑)."""
    village = repo.place(session, principal, data.area_code)
    if data.post not in COMMITTEE_POSTS[data.body]:
        raise InvalidInput(t("{post} is not a post of this body", post=data.post))
    found = repo.person_place(session, data.person_id)
    if found is None or not codes.in_subtree(found[0], village.code):
        raise InvalidInput(t("person {id} is not in the register of {name}", id=data.person_id, name=village.name))
    if data.term_to is not None and data.term_to < data.term_from:
        raise InvalidInput(t("the term cannot end before it begins"))
    if data.body == "representative" and data.households is None:
        raise InvalidInput(t("give the number of households the representative represents"))
    if data.group_code and not (
        codes.is_valid(data.group_code) and codes.in_subtree(codes.pad(data.group_code), village.code)
    ):
        raise InvalidInput(t("the group must be a grid of {name}", name=village.name))
    member = BodyMember(
        area_code=codes.pad(village.code),
        body=data.body,
        person_id=data.person_id,
        post=data.post,
        term_from=data.term_from,
        term_to=data.term_to,
        households=data.households,
        group_code=data.group_code,
        generated=generated,
    )
    session.add(member)
    session.flush()
    record(
        session,
        principal,
        "selfgov.member_seat",
        "body_member",
        member.id,
        member.area_code,
        after={"body": member.body, "post": member.post, "person_id": member.person_id},
    )
    return member


def end_term(session: Session, principal: Principal, member_id: int, on: date) -> BodyMember:
    member = repo.member_for_update(session, member_id)
    if member is None or not principal.visible.contains(member.area_code):
        raise NotFound(t("seat {id} does not exist", id=member_id))
    principal.check(repo.WRITE, member.area_code, what=t("seat {id}", id=member_id))
    if on < member.term_from:
        raise InvalidInput(t("the term cannot end before it begins"))
    before = member.term_to.isoformat() if member.term_to else None
    member.term_to = on
    session.flush()
    record(
        session,
        principal,
        "selfgov.member_end",
        "body_member",
        member.id,
        member.area_code,
        before={"term_to": before},
        after={"term_to": on.isoformat()},
    )
    return member


@dataclass(frozen=True)
class Flag:
    ok: bool
    words: str
    citation: str


def representatives_check(session: Session, code: str, area_kind: str, day: date) -> list[Flag]:
    """The representatives' meeting on `day` against the law: representatives' share, women's share and
    households per representative, each with its article. Empty for a community (its law has no such rule)."""
    try:
        rule_set = rules.law_for(area_kind).on(day)
    except InvalidInput:
        return []
    if "representatives.share" not in rule_set:
        return []
    seats = repo.members_of(session, code, day)
    composition = {s.person_id for s in seats if s.body in ("villagers_committee", "representative")}
    reps = {s.person_id: s for s in seats if s.body == "representative"}
    women = {pid for pid in composition if (repo.person_place(session, pid) or ("", "", False))[1] == "female"}
    total = len(composition)
    flags = []
    for key, count, label in (
        ("representatives.share", len(reps), t("representatives")),
        ("representatives.women_share", len(women), t("women")),
    ):
        rule = rule_set[key]
        share = Fraction(count, total) if total else Fraction(0)
        flags.append(
            Flag(
                rule.met(count, total),
                t(
                    "{label}: {count} of {total} members ({pct}%), at least {need} required ({words})",
                    label=label,
                    count=count,
                    total=total,
                    pct=round(float(share) * 100, 1),
                    need=rule.required(total),
                    words=rule.words,
                ),
                rule_set.cite(key),
            )
        )
    low, high = rule_set["representatives.households_min"].value, rule_set["representatives.households_max"].value
    off = [s for s in reps.values() if s.households is not None and not low <= s.households <= high]
    flags.append(
        Flag(
            not off,
            t("{n} representatives outside {low}–{high} households each", n=len(off), low=low, high=high),
            rule_set.cite("representatives.households_min"),
        )
    )
    return flags
