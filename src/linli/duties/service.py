"""The responsibility lists' writes: the county approves a township's first list; the township files
change requests (add, adjust, cancel one duty); the county reviews them (approve: the next version, with
who approved it and from when; reject: with the reason); the township links its duties to the event
categories and service items that discharge them. Every write is checked whole and audited.

Who: officials of the township (duties.write at it) file and link; officials of the county above it
(duties.review held at the county, not only at the township) approve lists and review requests — a
township never reviews its own. Out of reach answers 404, like a missing list.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.duties import kinds
from linli.duties import repository as repo
from linli.duties.models import Duty, DutyChange, DutyLink, DutyList, DutyVersion
from linli.duties.repository import READ, REVIEW, WRITE
from linli.duties.schemas import ChangeIn, DutyIn, LinkIn, ListIn, ReviewIn
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import BEIJING, utcnow


def today() -> date:
    return datetime.now(BEIJING).date()


def duty_problems(d: DutyIn) -> list[str]:
    """Everything wrong with one duty as written, in the reader's language."""
    problems = []
    if not kinds.CODE.match(d.code or ""):
        problems.append(t("duty code {code!r} must read LETTERS-NUMBER, e.g. J-001", code=d.code))
    if not d.content.strip():
        problems.append(t("say what the duty is (its content)"))
    if d.kind == "assisting" and not (d.upper_department.strip() and d.assisting_duty.strip()):
        problems.append(
            t("an assisting duty names the upper department and what the township does to assist ({code})", code=d.code)
        )
    if d.kind == "taken_back" and not (d.receiving_department.strip() and d.working_mode.strip()):
        problems.append(
            t("a duty taken back names the department that receives it and the working mode ({code})", code=d.code)
        )
    return problems


def _duty_values(d: DutyIn) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in d.model_dump().items()}


def _town_in_reach(session: Session, principal: Principal, code: str):
    if not codes.is_valid(code) or not principal.can(READ, code):
        raise NotFound(t("street or township {code} does not exist", code=code))
    return repo.township(session, code)


def _check_county(principal: Principal, town: str, message: str) -> None:
    """The county above the township approves: a grant at the township alone does not."""
    county = codes.parent_of(town) or town
    if not principal.can(REVIEW, county):
        raise Forbidden(message)


def establish_list(session: Session, principal: Principal, data: ListIn, *, generated: bool = False) -> DutyList:
    """A township's first list (version 1), approved by its county."""
    town = _town_in_reach(session, principal, data.area_code)
    _check_county(principal, town.code, t("a township's list is approved by its county"))
    if repo.list_at(session, town.code) is not None:
        raise Conflict(t("{name} has a responsibility list already; change it by a change request", name=town.name))
    problems = [p for d in data.duties for p in duty_problems(d)]
    seen: set[str] = set()
    for d in data.duties:
        if d.code in seen:
            problems.append(t("duty code {code} is used twice", code=d.code))
        seen.add(d.code)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    area = codes.pad(town.code)
    row = DutyList(
        area_code=area, title=data.title.strip() or f"{town.name}履职事项清单", version=1, generated=generated
    )
    session.add(row)
    session.flush()
    for d in data.duties:
        session.add(Duty(area_code=area, list_id=row.id, added_in=1, generated=generated, **_duty_values(d)))
    session.add(
        DutyVersion(
            area_code=area, list_id=row.id, number=1, approved_by=principal.audit_name,
            effective_from=data.effective_from, note=data.note.strip(), generated=generated,
        )
    )  # fmt: skip
    session.flush()
    record(
        session, principal, "duties.list_establish", "duty_list", row.id, area,
        after={"version": 1, "duties": len(data.duties), "effective_from": data.effective_from.isoformat()},
    )  # fmt: skip
    return row


def _change_problems(session: Session, row: DutyList, data: ChangeIn) -> list[str]:
    current = repo.current_duty(session, row.id, data.duty_code)
    problems = []
    if data.action == "add" and current is not None:
        raise Conflict(t("duty code {code} is in the list already", code=data.duty_code), code="duplicate_code")
    if data.action in ("adjust", "cancel") and current is None:
        raise NotFound(t("duty {code} is not in the current list", code=data.duty_code))
    if data.action in ("add", "adjust"):
        if data.duty is None:
            problems.append(t("give the duty as it should read"))
        else:
            if data.duty.code != data.duty_code:
                problems.append(t("the duty's code must be {code}, the code the request names", code=data.duty_code))
            problems += duty_problems(data.duty)
    return problems


def file_change(
    session: Session, principal: Principal, code: str, data: ChangeIn, *, generated: bool = False
) -> DutyChange:
    """A township's request to add, adjust or cancel one duty; the county reviews it."""
    town = _town_in_reach(session, principal, code)
    principal.check(WRITE, town.code, what=t("area {code}", code=code))
    row = repo.list_at(session, town.code)
    if row is None:
        raise NotFound(t("{name} has no responsibility list yet", name=town.name))
    problems = _change_problems(session, row, data)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    if repo.pending_for_code(session, row.id, data.duty_code) is not None:
        raise Conflict(t("a request about duty {code} is waiting for review already", code=data.duty_code))
    change = DutyChange(
        area_code=row.area_code, list_id=row.id, action=data.action, duty_code=data.duty_code,
        proposed=json.dumps(_duty_values(data.duty) if data.duty else {}, ensure_ascii=False),
        reason=data.reason.strip(), state="pending", filed_by=principal.audit_name, filed_by_id=principal.user_id,
        generated=generated,
    )  # fmt: skip
    session.add(change)
    session.flush()
    record(
        session, principal, "duties.change_file", "duty_change", change.id, change.area_code,
        after={"action": data.action, "duty_code": data.duty_code},
    )  # fmt: skip
    return change


def _apply(session: Session, row: DutyList, change: DutyChange, version: int) -> None:
    current = repo.current_duty(session, row.id, change.duty_code)
    if change.action == "add" and current is not None:
        raise Conflict(t("duty code {code} is in the list already", code=change.duty_code), code="duplicate_code")
    if change.action != "add" and current is None:
        raise Conflict(t("duty {code} is no longer in the list; reject the request", code=change.duty_code))
    if current is not None:
        current.removed_in = version
    if change.action in ("add", "adjust"):
        values = repo.proposed(change)
        session.add(
            Duty(area_code=row.area_code, list_id=row.id, added_in=version, generated=change.generated, **values)
        )


def review(session: Session, principal: Principal, change_id: int, data: ReviewIn) -> DutyChange:
    """The county approves (the next version of the list) or rejects (with the reason) a request."""
    change = repo.change(session, change_id, for_update=True)
    if change is None or not principal.can(READ, change.area_code):
        raise NotFound(t("change request {id} does not exist", id=change_id))
    town = codes.unpad(change.area_code)
    _check_county(
        principal, town, t("a township's change requests are reviewed by its county, not by the township itself")
    )
    if change.filed_by_id is not None and change.filed_by_id == principal.user_id:
        raise Forbidden(t("a change request is reviewed by someone other than the one who filed it"))
    if change.state != "pending":
        raise Conflict(t("change request {id} is reviewed already", id=change_id))
    note = data.note.strip()
    if data.decision == "reject" and not note:
        raise InvalidInput(t("give the reason for rejecting the request"))
    before = {"state": change.state}
    if data.decision == "approve":
        row = repo.list_for_update(session, change.list_id)
        version = row.version + 1
        _apply(session, row, change, version)  # refuses before it changes anything
        row.version, change.version = version, version
        session.add(
            DutyVersion(
                area_code=row.area_code, list_id=row.id, number=version, approved_by=principal.audit_name,
                effective_from=data.effective_from or today(), note=note, change_id=change.id,
                generated=change.generated,
            )
        )  # fmt: skip
    change.state = "approved" if data.decision == "approve" else "rejected"
    change.reviewed_by, change.reviewed_at, change.review_note = principal.audit_name, utcnow(), note
    session.flush()
    record(
        session, principal, "duties.change_review", "duty_change", change.id, change.area_code,
        before=before, after={"state": change.state, "version": change.version},
    )  # fmt: skip
    return change


def link(session: Session, principal: Principal, code: str, data: LinkIn, *, generated: bool = False) -> DutyLink:
    """Tie a current duty of a township's list to the event category or service item that discharges it."""
    town = _town_in_reach(session, principal, code)
    principal.check(WRITE, town.code, what=t("area {code}", code=code))
    row = repo.list_at(session, town.code)
    if row is None or repo.current_duty(session, row.id, data.duty_code) is None:
        raise NotFound(t("duty {code} is not in the current list", code=data.duty_code))
    if (data.event_category_code is None) == (data.service_item_id is None):
        raise InvalidInput(t("link the duty to one event category or one service item"))
    if data.event_category_code is not None and repo.event_category(session, data.event_category_code) is None:
        raise InvalidInput(t("event category {code} does not exist", code=data.event_category_code))
    if data.service_item_id is not None and repo.service_item(session, data.service_item_id) is None:
        raise InvalidInput(t("service item {id} does not exist", id=data.service_item_id))
    if repo.link_exists(session, town.code, data.duty_code, data.event_category_code, data.service_item_id):
        raise Conflict(t("the duty is linked to it already"))
    item = DutyLink(
        area_code=codes.pad(town.code), duty_code=data.duty_code, event_category_code=data.event_category_code,
        service_item_id=data.service_item_id, linked_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(item)
    session.flush()
    record(
        session, principal, "duties.link", "duty_link", item.id, item.area_code,
        after={"duty_code": data.duty_code, "event_category": data.event_category_code,
               "service_item": data.service_item_id},
    )  # fmt: skip
    return item
