"""Steps ⑤ and ⑥ of 四议两公开 taken on the village's disclosure board: "disclose the resolution" writes (or
picks) a disclosure item of kind resolution (⑥: implementation result) on the matter's board, prefilled from
the matter and its deciding meeting; the step records the item as `disclosure-item:<id>` in
`disclosure_ref` and is done only once that item is published (`matters.complete`).

Old data: a step done before the boards were linked keeps its free-text reference; it is shown as typed
("recorded before the board was linked") and never followed. A new step ⑤/⑥ of a village or community
(every one has a board) cannot be done with free text alone.

The step is recorded done by itself when the board publishes its item: the board (`linli.disclosure`) calls
its publication listeners (`disclosure.service.on_published`) and this module subscribes when it is imported
(the package `linli.selfgov.service` imports it, so the application, the demo and the command line always
have it). The board never imports selfgov — the link goes one way, from the matter to the board. A step
that cannot be taken then (the matter suspended, or the publisher without selfgov.write there) stays
open; it is taken when the matter is resumed, or on the matter page ("mark this step done")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.disclosure import repository as disclosure_repo
from linli.disclosure import service as disclosure_service
from linli.disclosure.models import DisclosureItem
from linli.disclosure.schemas import ItemIn
from linli.kit import codes, refs
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.selfgov import repository as repo
from linli.selfgov.models import Matter, MatterStep, Meeting
from linli.selfgov.schemas import StepIn

ITEM_KINDS = {4: "resolution", 5: "implementation"}


def has_board(session: Session, m: Matter) -> bool:
    """Whether the matter's place has a disclosure board (every village and community has one)."""
    try:
        disclosure_repo.village(session, codes.unpad(m.area_code))
    except NotFound:
        return False
    return True


def linked_item(session: Session, row: MatterStep | None) -> DisclosureItem | None:
    """The disclosure item a step names (None for no reference or an old free-text one)."""
    item_id = refs.parse(row.disclosure_ref if row else None, refs.DISCLOSURE_ITEM)
    return disclosure_repo.item(session, item_id) if item_id else None


def deciding_meeting(session: Session, m: Matter) -> Meeting | None:
    row = repo.steps_of(session, m.id).get(3)
    return session.get(Meeting, row.meeting_id) if row is not None and row.meeting_id else None


def _prefill(session: Session, m: Matter, step: int, occurred_on: date | None) -> ItemIn:
    meeting = deciding_meeting(session, m)
    if step == 4:
        if meeting is None:
            raise Conflict(t("the matter has no deciding meeting to disclose"))
        title = t("Resolution: {title}", title=m.title)
        motion = repo.motions_of(session, meeting.id)[0]
        body = t(
            "{meeting} held on {day} decided: {title}. Present {present}; yes {yes}, no {no}, abstain {abstain}.",
            meeting=meeting.title, day=meeting.held_on.isoformat(), title=m.title,
            present=motion.present, yes=motion.yes, no=motion.no, abstain=motion.abstain,
        )  # fmt: skip
        if m.description:
            body += "\n\n" + m.description
        return ItemIn(
            area_code=codes.unpad(m.area_code), kind="resolution", title=title[:200], body=body,
            occurred_on=meeting.held_on, matter_ref=refs.ref(refs.MATTER, m.id),
        )  # fmt: skip
    if occurred_on is None:
        raise InvalidInput(t("give the day the work was completed"))
    decided = f" ({meeting.held_on.isoformat()})" if meeting else ""
    return ItemIn(
        area_code=codes.unpad(m.area_code), kind="implementation",
        title=t("Implementation result: {title}", title=m.title)[:200],
        body=t("The implementation of the decision{decided} on “{title}” was completed on {day}.",
               decided=decided, title=m.title, day=occurred_on.isoformat()),
        occurred_on=occurred_on, matter_ref=refs.ref(refs.MATTER, m.id),
    )  # fmt: skip


def _picked(session: Session, principal: Principal, m: Matter, step: int, item_id: int) -> DisclosureItem:
    """An item already written on the board: of this board, of the step's kind, of no other matter."""
    item = disclosure_repo.item_for_staff(session, principal, item_id)
    if item.area_code != m.area_code:
        raise InvalidInput(t("disclosure item {id} is on another village's or community's board", id=item_id))
    if item.kind != ITEM_KINDS[step]:
        raise InvalidInput(t("disclosure item {id} is not of the kind this step discloses", id=item_id))
    other = refs.parse(item.matter_ref, refs.MATTER)
    if other is not None and other != m.id:
        raise InvalidInput(t("disclosure item {id} discloses another matter", id=item_id))
    return disclosure_service.link_matter(session, principal, item.id, refs.ref(refs.MATTER, m.id))


def _create(session, principal, m: Matter, step: int, occurred_on: date | None, on: date | None) -> DisclosureItem:
    data = _prefill(session, m, step, occurred_on)
    return disclosure_service.create_item(session, principal, data, on=on, generated=m.generated)


@dataclass(frozen=True)
class Disclosed:
    item: DisclosureItem
    created: bool


def disclose(
    session: Session, principal: Principal, matter_id: int, step: int, *,
    item_id: int | None = None, occurred_on: date | None = None, on: date | None = None,
) -> Disclosed:  # fmt: skip
    """Write (or pick, or find the one already named) the board's item of step ⑤ or ⑥."""
    from linli.selfgov.service.matters import DISCLOSURE_STEPS, can_start, for_writer

    m = for_writer(session, principal, matter_id)
    if step not in DISCLOSURE_STEPS:
        raise InvalidInput(t("only the two disclosure steps are taken on the board"))
    can_start(m, step)
    if not has_board(session, m):
        raise Conflict(t("this place has no disclosure board"))
    row = repo.steps_of(session, m.id).get(step)
    current = linked_item(session, row)
    if current is not None and item_id in (None, current.id):
        return Disclosed(current, False)
    if item_id is not None:
        item, created = _picked(session, principal, m, step, item_id), False
    else:
        item, created = _create(session, principal, m, step, occurred_on, on), True
    if row is None:
        row = MatterStep(matter_id=m.id, step=step)
        session.add(row)
    row.disclosure_ref = refs.ref(refs.DISCLOSURE_ITEM, item.id)
    session.flush()
    record(
        session, principal, "selfgov.step_disclosure", "matter", m.id, m.area_code,
        after={"step": step, "item_id": item.id, "created": created},
    )  # fmt: skip
    catch_up(session, principal, m)  # an item picked already published: the step is done at once
    return Disclosed(item, created)


def catch_up(session: Session, principal: Principal, m: Matter, permission=repo.WRITE) -> bool:
    """Record the matter's step ⑤/⑥ done when the item it names is published (dated its publication); False
    when there is nothing to record or it cannot be now (suspended, done, or the principal may not). The
    township resuming a matter records it too (`permission` selfgov.supervise): the publication is a fact."""
    from linli.selfgov.service.matters import DISCLOSURE_STEPS, complete

    if m.status != "active" or m.step not in DISCLOSURE_STEPS or not principal.can(permission, m.area_code):
        return False
    item = linked_item(session, repo.steps_of(session, m.id).get(m.step))
    if item is None or item.status != "published" or item.published_on is None:
        return False
    done = StepIn(done_on=item.published_on)
    complete(session, principal, m.id, m.step, done, on_publication=True, permission=permission)
    return True


@disclosure_service.on_published
def _published(session: Session, principal: Principal, item: DisclosureItem) -> None:
    """The board published an item: the step of the matter that names it is done (when it is that step's turn)."""
    matter_id = refs.parse(item.matter_ref, refs.MATTER)
    m = repo.matter(session, matter_id) if matter_id else None
    if m is None:
        return
    row = repo.steps_of(session, m.id).get(m.step)
    if row is not None and row.disclosure_ref == refs.ref(refs.DISCLOSURE_ITEM, item.id):
        catch_up(session, principal, m)


def consultations_of(session: Session, m: Matter) -> list:
    """The consultations of the village whose outcome is linked to this matter."""
    from linli.consultation import repository as consultation_repo

    return consultation_repo.linked_to_matter(session, m.area_code, refs.ref(refs.MATTER, m.id))
