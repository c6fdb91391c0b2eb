"""Convening on request: adult villagers (1/10), villagers' representatives (1/3) or adult residents of a
community (1/5) ask the committee to convene a villagers' (residents') meeting (村委会组织法第二十一条,
居委会组织法第十条; the dated rules of `selfgov.rules`, the text in force on the day the request is opened).

The committee records the request when it is handed in and enters its supporters — persons of the register
who belong to the base on the opening day (adults living there, or the representatives then seated), each
once. The base is counted when the request is opened and the share of the day's text gives the number of
supporters required; once reached the request is a to-do: the committee must convene the meeting, and records
the meeting it called (same village, the requested kind). Every write audited (`selfgov.request_*`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.i18n import N_, gettext, t
from linli.kit.time import BEIJING
from linli.selfgov import repository as repo
from linli.selfgov import rules
from linli.selfgov.models import ConveneRequest, ConveneSupporter, Meeting

# basis → (the place's kind, the meeting asked for, the rule of the share)
BASES = {
    "villagers": ("village", "villagers_meeting", "villagers_meeting.convene_villagers"),
    "representatives": ("village", "villagers_meeting", "villagers_meeting.convene_representatives"),
    "residents": ("community", "residents_meeting", "residents_meeting.convene_adults"),
}
BASIS_LABELS = {
    "villagers": N_("adult villagers (a villagers' meeting)"),
    "representatives": N_("villagers' representatives (a villagers' meeting)"),
    "residents": N_("adult residents (a residents' meeting)"),
}
MAX_SUPPORTERS = 5000  # entered at once


def today_in_beijing() -> date:
    return datetime.now(BEIJING).date()


def _kind(area) -> str:
    return "community" if area.kind == "community" else "village"


def base_ids(session: Session, code: str, basis: str, day: date) -> list[int]:
    """The persons who may support a request of this basis on `day`."""
    rows = (
        repo.seated(session, code, ("representative",), day)
        if basis == "representatives"
        else repo.adults(session, code, day)
    )
    return [r[0] for r in rows]


def rule_of(area_kind: str, basis: str, day: date):
    rule_set = rules.law_for(area_kind).on(day)
    return rule_set, rule_set[BASES[basis][2]]


def open_request(
    session: Session, principal: Principal, code: str, basis: str, title: str, reason: str = "", *,
    on: date | None = None, generated: bool = False,
) -> ConveneRequest:  # fmt: skip
    """Record a request handed in to the committee; its base counted and its required support fixed now."""
    area = repo.place(session, principal, code)
    on = on or today_in_beijing()
    if basis not in BASES:
        raise InvalidInput(t("unknown basis of a request {value!r}", value=basis[:30]))
    if BASES[basis][0] != _kind(area):
        raise InvalidInput(t("{name} cannot be asked for this meeting: {basis}", name=area.name,
                             basis=gettext(BASIS_LABELS[basis])))  # fmt: skip
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InvalidInput(t("say what the meeting is asked for (at most 200 characters)"))
    base = len(base_ids(session, area.code, basis, on))
    if base == 0:
        raise InvalidInput(t("nobody in the register of {name} may support this request", name=area.name))
    rule_set, rule = rule_of(_kind(area), basis, on)
    r = ConveneRequest(
        area_code=codes.pad(area.code), title=title, reason=(reason or "").strip()[:5000], basis=basis,
        opened_on=on, rules_name=rule_set.name, base_count=base, required=rule.required(base), supporters=0,
        status="collecting", created_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(r)
    session.flush()
    record(session, principal, "selfgov.request_open", "convene_request", r.id, r.area_code,
           after={"basis": basis, "base": base, "required": r.required, "rules": rule_set.name})  # fmt: skip
    return r


def _writable(session: Session, principal: Principal, request_id: int) -> ConveneRequest:
    r = repo.request_for_update(session, request_id)
    if r is None or not principal.visible.contains(r.area_code):
        repo.request_readable(session, principal, request_id)  # 404 in words
    principal.check(repo.WRITE, r.area_code, what=t("request {id}", id=request_id))
    return r


def support(
    session: Session, principal: Principal, request_id: int, person_ids: Sequence[int], *, on: date | None = None
) -> ConveneRequest:
    """Enter supporters: each of the base of the opening day, each once; the request reaches its share."""
    r = _writable(session, principal, request_id)
    if r.status == "convened":
        raise Conflict(t("the meeting was convened already: the request takes no more supporters"))
    ids = list(person_ids)
    if not ids or len(ids) > MAX_SUPPORTERS:
        raise InvalidInput(t("give between 1 and {n} supporters at a time", n=MAX_SUPPORTERS))
    twice = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) != len(ids) else []
    if twice:
        raise InvalidInput(t("listed twice: {ids}", ids=", ".join(map(str, twice[:20]))))
    base = set(base_ids(session, codes.unpad(r.area_code), r.basis, r.opened_on))
    outside = [i for i in ids if i not in base]
    if outside:
        raise InvalidInput(t("not of those who may support this request (the base of {day}): {ids}",
                             day=r.opened_on.isoformat(), ids=", ".join(map(str, outside[:20]))))  # fmt: skip
    already = sorted(repo.supporting(session, r.id, ids))
    if already:
        raise InvalidInput(t("support this request already: {ids}", ids=", ".join(map(str, already[:20]))))
    on = on or today_in_beijing()
    session.add_all(ConveneSupporter(request_id=r.id, person_id=i, added_on=on, added_by=principal.audit_name)
                    for i in ids)  # fmt: skip
    before = {"supporters": r.supporters, "status": r.status}
    r.supporters += len(ids)
    if r.status == "collecting" and r.supporters >= r.required:
        r.status, r.reached_on = "reached", on
    session.flush()
    record(session, principal, "selfgov.request_support", "convene_request", r.id, r.area_code, before=before,
           after={"supporters": r.supporters, "status": r.status, "added": len(ids)})  # fmt: skip
    return r


def convened(session: Session, principal: Principal, request_id: int, meeting_id: int) -> ConveneRequest:
    """The meeting the committee called on the request: of the same place and of the kind asked for."""
    r = _writable(session, principal, request_id)
    if r.status == "collecting":
        raise Conflict(t("the request has {n} of the {required} supporters required: the committee is not bound "
                         "to convene yet", n=r.supporters, required=r.required))  # fmt: skip
    if r.status == "convened":
        raise Conflict(t("the meeting was convened already"))
    m = session.get(Meeting, meeting_id)
    if m is None or m.area_code != r.area_code:
        raise InvalidInput(t("meeting {id} is not a meeting of this village or community", id=meeting_id))
    if m.kind != BASES[r.basis][1] or m.status == "failed":
        raise InvalidInput(t("meeting {id} is not the meeting asked for", id=meeting_id))
    r.status, r.meeting_id = "convened", m.id
    session.flush()
    record(session, principal, "selfgov.request_convened", "convene_request", r.id, r.area_code,
           before={"status": "reached"}, after={"status": "convened", "meeting_id": m.id})  # fmt: skip
    return r


def words(r: ConveneRequest) -> str:
    """'12 of 30 required — 1/10 of 300 adult villagers (《…》第二十一条)'."""
    kind = "community" if BASES[r.basis][0] == "community" else "village"
    rule_set = rules.law_for(kind).by_name(r.rules_name)
    rule = rule_set[BASES[r.basis][2]]
    return t("{n} of the {required} supporters required: {words}, of {base} — {cite}", n=r.supporters,
             required=r.required, words=rule.words, base=r.base_count, cite=rules.cite(rule_set, rule))  # fmt: skip
