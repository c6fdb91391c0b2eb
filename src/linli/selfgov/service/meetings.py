"""Meetings: call one (its notice period and the rule set of its day checked, its voter base computed from
the register and frozen), sign voters in, close it when its quorum is reached, or reschedule it when not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import insert
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import N_, gettext, t
from linli.kit.rules import Rule, RuleSet
from linli.kit.time import utcnow
from linli.selfgov import repository as repo
from linli.selfgov import rules
from linli.selfgov.models import Meeting, Voter
from linli.selfgov.schemas import MeetingIn

VILLAGE_KINDS = ("villagers_meeting", "representatives_meeting", "group_meeting", "joint_meeting", "party_meeting")
COMMUNITY_KINDS = ("residents_meeting", "joint_meeting", "party_meeting")
OPEN_BASES = ("adults", "households")  # the meetings of all villagers / residents / a group's
SHARE_WORDS = {
    Fraction(1, 2): N_("half"),
    Fraction(2, 3): N_("two thirds"),
    Fraction(1, 3): N_("one third"),
    Fraction(4, 5): N_("four fifths"),
    Fraction(1, 5): N_("one fifth"),
    Fraction(1, 10): N_("one tenth"),
}
BASE_WORDS = {
    "adults": N_("adults"),
    "households": N_("households' representatives"),
    "members": N_("members"),
}


def share_words(rule: Rule) -> str:
    """ "more than half", "at least two thirds": the rule's share as the law counts it."""
    share = Fraction(rule.value)
    name = gettext(SHARE_WORDS[share]) if share in SHARE_WORDS else f"{share.numerator}/{share.denominator}"
    return t("more than {share}", share=name) if rule.strict else t("at least {share}", share=name)


def _place_of(session: Session, principal: Principal, code: str) -> tuple[Area, str | None]:
    """(the village, the group's grid) of a meeting's area: a group meeting is called at its grid."""
    if codes.is_valid(code) and len(code) == 15:
        village = repo.place(session, principal, code[:12])
        group = repo.area_of(session, code)
        if group.level != "grid" or group.retired_at is not None:
            raise InvalidInput(t("the group must be a grid of {name}", name=village.name))
        return village, code
    return repo.place(session, principal, code), None


def rule_for(area_kind: str, meeting_kind: str, day: date, what: str) -> tuple[RuleSet, Rule]:
    return rules.find(area_kind, day, f"{meeting_kind}.{what}")


def _check_kind(village: Area, data: MeetingIn, group: str | None) -> str:
    allowed = COMMUNITY_KINDS if village.kind == "community" else VILLAGE_KINDS
    if data.kind not in allowed:
        raise InvalidInput(t("a {kind} is not held in {name}", kind=gettext(KIND_LABELS[data.kind]), name=village.name))
    if (data.kind == "group_meeting") != (group is not None):
        raise InvalidInput(t("a villagers' group meeting is called for a group (a grid of the village), and only it"))
    base = data.base or (
        "adults" if data.kind in ("villagers_meeting", "residents_meeting", "group_meeting") else "members"
    )
    if data.kind in ("villagers_meeting", "residents_meeting", "group_meeting"):
        if base not in OPEN_BASES:
            raise InvalidInput(t("this meeting counts its adults or its households' representatives"))
    elif base != "members":
        raise InvalidInput(t("this meeting counts its members"))
    return base


def check_notice(area_kind: str, kind: str, notice_on: date, held_on: date) -> None:
    """A meeting dated before its notice period is over is refused, with the rule and the first good day."""
    if held_on < notice_on:
        raise InvalidInput(t("the meeting cannot be held before its notice ({day})", day=notice_on.isoformat()))
    rule_set, rule = rule_for(area_kind, kind, held_on, "notice_days")
    earliest = notice_on + timedelta(days=int(rule.value))
    if held_on < earliest:
        raise InvalidInput(
            t(
                "the meeting on {held} was noticed on {notice}, {given} days before; {cite} requires {need} days' "
                "notice ({words}): hold it on {earliest} or later",
                held=held_on.isoformat(),
                notice=notice_on.isoformat(),
                given=(held_on - notice_on).days,
                cite=rules.cite(rule_set, rule),
                need=rule.value,
                words=rule.words,
                earliest=earliest.isoformat(),
            )
        )


def _check_materials(area_kind: str, data: MeetingIn) -> None:
    if data.kind != "party_meeting":
        return
    rule_set, rule = rules.find(area_kind, data.held_on, "party_meeting.materials_days")
    if data.materials_on is None:
        raise InvalidInput(t("give the day the materials were circulated to the Party members"))
    if data.held_on - data.materials_on < timedelta(days=int(rule.value)):
        raise InvalidInput(
            t(
                "the materials must reach the Party members {need} days before the meeting ({cite}); they were "
                "circulated on {day}",
                need=rule.value,
                cite=rules.cite(rule_set, rule),
                day=data.materials_on.isoformat(),
            )
        )


def compute_base(session: Session, village: Area, kind: str, base: str, group: str | None, day: date):
    """The voter base on the meeting's day: (person, household, woman) rows from the register."""
    where = group or village.code
    if base == "adults":
        return repo.adults(session, where, day)
    if base == "households":
        return repo.household_representatives(session, where, day)
    if kind == "party_meeting":
        return repo.party_members(session, village.code, day)
    if kind == "joint_meeting":
        return repo.seated(session, village.code, ("party_committee", "villagers_committee"), day)
    return repo.seated(session, village.code, ("villagers_committee", "representative"), day)


def _freeze(session: Session, meeting: Meeting, rows) -> None:
    if rows:
        session.execute(
            insert(Voter),
            [
                {"meeting_id": meeting.id, "person_id": p, "household_id": h, "woman": bool(w), "present": False}
                for p, h, w in rows
            ],
        )


def call(session: Session, principal: Principal, data: MeetingIn, *, generated: bool = False, **links) -> Meeting:
    """Call a meeting: the kind fits the place, the notice period and materials are kept, the base frozen."""
    village, group = _place_of(session, principal, data.area_code)
    base = _check_kind(village, data, group)
    rule_set = rules.law_for(village.kind).on(data.held_on)
    check_notice(village.kind, data.kind, data.notice_on, data.held_on)
    _check_materials(village.kind, data)
    if not data.title.strip():
        raise InvalidInput(t("give the meeting a title"))
    rows = compute_base(session, village, data.kind, base, group, data.held_on)
    if not rows:
        raise InvalidInput(
            t("nobody in the register makes up this meeting's voter base on {day}", day=data.held_on.isoformat())
        )
    m = Meeting(
        area_code=codes.pad(group or village.code),
        kind=data.kind,
        base=base,
        title=data.title.strip(),
        place=data.place.strip(),
        notice_on=data.notice_on,
        held_on=data.held_on,
        materials_on=data.materials_on,
        rules_name=rule_set.name,
        base_count=len(rows),
        status="planned",
        official=data.official.strip(),
        content=data.content.strip(),
        matter_id=data.matter_id,
        rescheduled_from_id=links.get("rescheduled_from_id"),
        created_by=principal.audit_name,
        generated=generated,
    )
    session.add(m)
    session.flush()
    _freeze(session, m, rows)
    record(session, principal, "selfgov.meeting_call", "meeting", m.id, m.area_code, after=_snapshot(m))
    return m


def _snapshot(m: Meeting) -> dict:
    return {
        "kind": m.kind,
        "base": m.base,
        "notice_on": m.notice_on.isoformat(),
        "held_on": m.held_on.isoformat(),
        "rules": m.rules_name,
        "base_count": m.base_count,
        "status": m.status,
        "matter_id": m.matter_id,
    }


def for_writer(session: Session, principal: Principal, meeting_id: int) -> Meeting:
    m = repo.meeting_for_update(session, meeting_id)
    if m is None or not principal.visible.contains(m.area_code):
        raise NotFound(t("meeting {id} does not exist", id=meeting_id))
    principal.check(repo.WRITE, m.area_code, what=t("meeting {id}", id=meeting_id))
    return m


# --- quorum ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    base: int
    present: int
    required: int
    met: bool
    rule_set: RuleSet
    rule: Rule
    base_kind: str

    @property
    def citation(self) -> str:
        return rules.cite(self.rule_set, self.rule)

    @property
    def words(self) -> str:
        """ "212 of 300 adults present, more than half required (151): quorum reached — 《…》第二十二条"."""
        outcome = gettext(N_("quorum reached")) if self.met else gettext(N_("quorum not reached"))
        return t(
            "{present} of {base} {who} present, {share} required ({required}): {outcome} — {cite}",
            present=self.present,
            base=self.base,
            who=gettext(BASE_WORDS[self.base_kind]),
            share=share_words(self.rule),
            required=self.required,
            outcome=outcome,
            cite=self.citation,
        )


def law_area_kind(session: Session, m: Meeting) -> str:
    return repo.area_of(session, m.area_code[:12]).kind


def quorum(session: Session, m: Meeting) -> Quorum:
    """The quorum of a meeting from its frozen base and the rule set of its day."""
    area_kind = law_area_kind(session, m)
    rule_set, rule = rule_for(area_kind, m.kind, m.held_on, f"quorum.{m.base}")
    seen = repo.attendance(session, m.id)
    return Quorum(
        seen.base, seen.present, rule.required(seen.base), rule.met(seen.present, seen.base), rule_set, rule, m.base
    )


def majority(session: Session, m: Meeting) -> tuple[RuleSet, Rule]:
    return rule_for(law_area_kind(session, m), m.kind, m.held_on, "majority")


# --- attendance, closing, rescheduling -------------------------------------------------------------


def sign_in(
    session: Session, principal: Principal, meeting_id: int, person_ids: list[int], present: bool = True
) -> int:
    """Mark voters of the frozen base present (or not); anyone outside the base is refused."""
    m = for_writer(session, principal, meeting_id)
    if m.status == "failed":
        raise Conflict(t("meeting {id} failed its quorum and was rescheduled: sign in at the new meeting", id=m.id))
    if m.status == "held":
        raise Conflict(t("meeting {id} was held: its attendance is closed", id=m.id))
    wanted = list(dict.fromkeys(person_ids))
    found = repo.voter_ids(session, m.id, wanted)
    outside = [p for p in wanted if p not in found]
    if outside:
        raise InvalidInput(
            t(
                "{n} of those signed in are not in this meeting's voter base (frozen on {day}): persons {ids}",
                n=len(outside),
                day=m.held_on.isoformat(),
                ids=", ".join(map(str, outside[:20])),
            )
        )
    now = utcnow()
    for v in found.values():
        v.present, v.signed_at = present, (now if present else None)
    session.flush()
    record(
        session,
        principal,
        "selfgov.sign_in",
        "meeting",
        m.id,
        m.area_code,
        after={"count": len(found), "present": present},
    )
    return len(found)


def close(session: Session, principal: Principal, meeting_id: int) -> Meeting:
    """The meeting was held: only with its quorum (else it must be rescheduled)."""
    m = for_writer(session, principal, meeting_id)
    if m.status != "planned":
        raise Conflict(t("meeting {id} is closed already", id=m.id))
    q = quorum(session, m)
    if not q.met:
        raise Conflict(t("the meeting cannot be held: {words}; reschedule it", words=q.words))
    m.status = "held"
    session.flush()
    record(
        session,
        principal,
        "selfgov.meeting_close",
        "meeting",
        m.id,
        m.area_code,
        after={"present": q.present, "base": q.base},
    )
    return m


def reschedule(session: Session, principal: Principal, meeting_id: int, notice_on: date, held_on: date) -> Meeting:
    """A meeting whose quorum failed: marked failed and called again on a new date (a new frozen base)."""
    m = for_writer(session, principal, meeting_id)
    if m.status != "planned":
        raise Conflict(t("only a meeting not yet held can be rescheduled"))
    q = quorum(session, m)
    if q.met:
        raise Conflict(t("the quorum is reached ({words}): hold the meeting instead of rescheduling it", words=q.words))
    if held_on <= m.held_on:
        raise InvalidInput(t("the new date must come after {day}", day=m.held_on.isoformat()))
    data = MeetingIn(
        area_code=codes.unpad(m.area_code),
        kind=m.kind,
        base=m.base,
        title=m.title,
        place=m.place,
        notice_on=notice_on,
        held_on=held_on,
        materials_on=m.materials_on,
        official=m.official,
        content=m.content,
        matter_id=m.matter_id,
    )
    new = call(session, principal, data, generated=m.generated, rescheduled_from_id=m.id)
    m.status, m.rescheduled_to_id = "failed", new.id
    step = repo.step_of_meeting(session, m.id)
    if step is not None:
        step.meeting_id = new.id
    session.flush()
    record(
        session,
        principal,
        "selfgov.meeting_reschedule",
        "meeting",
        m.id,
        m.area_code,
        before={"held_on": m.held_on.isoformat(), "present": q.present, "base": q.base},
        after={"meeting_id": new.id, "held_on": held_on.isoformat()},
    )
    return new


KIND_LABELS = {
    "villagers_meeting": N_("villagers' meeting"),
    "residents_meeting": N_("residents' meeting"),
    "representatives_meeting": N_("representatives' meeting"),
    "group_meeting": N_("villagers' group meeting"),
    "joint_meeting": N_("joint meeting of the two committees"),
    "party_meeting": N_("Party members' meeting"),
}
