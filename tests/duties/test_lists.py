"""Responsibility lists: versions made by approved change requests (add, adjust, cancel), every refusal
with nothing changed (a list out of reach, a duplicate code, a review by the township itself or by the
one who filed, a rejection without its reason), the links and the report of duties pushed down without
a list entry."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.duties import repository, service
from linli.duties.models import DutyChange
from linli.duties.schemas import ChangeIn, LinkIn, ListIn, ReviewIn
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.services import seed as services_seed
from tests.factories import SYSTEM, TOWN_A
from tests.factories_duties import SIBLING_TOWN, dispatched_events, duties_world, duty, make_list


@pytest.fixture
def world(session):
    return duties_world(session)


def _changes(session) -> int:
    return session.scalar(select(func.count()).select_from(DutyChange))


def _codes(duties) -> set[str]:
    return {d.code for d in duties}


def test_approved_changes_make_versions_and_each_version_reads_back(session, world):
    street, county = world["p"]["street"], world["p"]["county"]
    row = world["list"]
    add = service.file_change(
        session, street, TOWN_A, ChangeIn(action="add", duty_code="J-003", duty=duty("J-003"), reason="新增")
    )
    assert add.state == "pending" and row.version == 1
    service.review(session, county, add.id, ReviewIn(decision="approve", note="同意"))
    assert row.version == 2 and add.version == 2 and add.reviewed_by == "dt_county"
    adjusted = duty("J-001", category="governance", content="调整后的职责")
    adj = service.file_change(session, street, TOWN_A, ChangeIn(action="adjust", duty_code="J-001", duty=adjusted,
                                                                 reason="调整"))  # fmt: skip
    service.review(session, county, adj.id, ReviewIn(decision="approve"))
    cancel = service.file_change(session, street, TOWN_A, ChangeIn(action="cancel", duty_code="S-001", reason="收回"))
    service.review(session, county, cancel.id, ReviewIn(decision="approve"))
    assert row.version == 4
    now = repository.current_duties(session, row.id)
    assert _codes(now) == {"J-001", "J-002", "J-003", "P-001"}
    assert next(d for d in now if d.code == "J-001").content == "调整后的职责"
    first = repository.duties_at_version(session, row.id, 1)
    assert _codes(first) == {"J-001", "J-002", "P-001", "S-001"}
    assert next(d for d in first if d.code == "J-001").content == "职责J-001"
    versions = repository.versions(session, row.id)
    assert [v.number for v in versions] == [1, 2, 3, 4] and versions[1].approved_by == "dt_county"
    session.commit()  # audit entries are chained and written at commit
    actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("duties.%"))))
    assert actions.count("duties.change_file") == 3 and actions.count("duties.change_review") == 3


def test_refusals_change_nothing(session, world):
    street, county, sibling = world["p"]["street"], world["p"]["county"], world["p"]["sibling"]
    # A change request on a list outside one's reach reads like a missing list.
    with pytest.raises(NotFound):
        service.file_change(session, sibling, TOWN_A, ChangeIn(action="cancel", duty_code="J-001", reason="x"))
    make_list(session, SIBLING_TOWN)
    with pytest.raises(NotFound):
        service.file_change(session, street, SIBLING_TOWN, ChangeIn(action="cancel", duty_code="J-001", reason="x"))
    # A duplicate duty code.
    with pytest.raises(Conflict, match="in the list already") as caught:
        service.file_change(session, street, TOWN_A, ChangeIn(action="add", duty_code="J-001", duty=duty("J-001"),
                                                              reason="重复"))  # fmt: skip
    assert caught.value.code == "duplicate_code"
    with pytest.raises(InvalidInput, match="used twice"):
        service.establish_list(session, SYSTEM, ListIn(area_code="220102002", effective_from="2026-01-01",
                                                       duties=[duty("J-001"), duty("J-001")]))  # fmt: skip
    with pytest.raises(InvalidInput, match="names the upper department"):
        bad = duty("P-009", "basic").model_copy(update={"kind": "assisting"})
        service.file_change(session, street, TOWN_A, ChangeIn(action="add", duty_code="P-009", duty=bad, reason="x"))
    with pytest.raises(NotFound, match="not in the current list"):
        service.file_change(session, street, TOWN_A, ChangeIn(action="cancel", duty_code="J-999", reason="x"))
    assert _changes(session) == 0
    # A review by the township itself, by the one who filed, and a rejection without its reason.
    mine = service.file_change(session, county, TOWN_A, ChangeIn(action="cancel", duty_code="J-002", reason="x"))
    pending = service.file_change(session, street, TOWN_A, ChangeIn(action="cancel", duty_code="J-001", reason="x"))
    with pytest.raises(Forbidden, match="not by the township itself"):
        service.review(session, street, pending.id, ReviewIn(decision="approve"))
    with pytest.raises(Forbidden, match="other than the one who filed"):
        service.review(session, county, mine.id, ReviewIn(decision="approve"))
    with pytest.raises(InvalidInput, match="reason for rejecting"):
        service.review(session, county, pending.id, ReviewIn(decision="reject"))
    with pytest.raises(NotFound):
        service.review(session, sibling, pending.id, ReviewIn(decision="approve"))
    with pytest.raises(Conflict, match="waiting for review already"):
        service.file_change(session, street, TOWN_A, ChangeIn(action="cancel", duty_code="J-001", reason="again"))
    assert pending.state == "pending" and world["list"].version == 1
    service.review(session, county, pending.id, ReviewIn(decision="reject", note="仍需保留"))
    assert pending.state == "rejected" and world["list"].version == 1
    with pytest.raises(Conflict, match="reviewed already"):
        service.review(session, county, pending.id, ReviewIn(decision="approve"))
    service.review(session, world["p"]["county2"], mine.id, ReviewIn(decision="approve"))
    assert world["list"].version == 2


def test_links_and_duties_pushed_down_without_a_list_entry(session, world):
    street, county = world["p"]["street"], world["p"]["county"]
    services_seed.load_examples(session, SYSTEM, "22")
    from linli.services import repository as services_repo

    item = services_repo.item_by_code(session, "JF-MZ-00004")
    service.link(session, street, TOWN_A, LinkIn(duty_code="J-001", event_category_code="0801"))
    service.link(session, street, TOWN_A, LinkIn(duty_code="J-001", service_item_id=item.id))
    with pytest.raises(Conflict):
        service.link(session, street, TOWN_A, LinkIn(duty_code="J-001", event_category_code="0801"))
    with pytest.raises(InvalidInput, match="one event category or one service item"):
        service.link(session, street, TOWN_A, LinkIn(duty_code="J-001"))
    with pytest.raises(NotFound):
        service.link(session, street, TOWN_A, LinkIn(duty_code="J-404", event_category_code="0301"))
    assert {x.target_name for x in repository.links_of(session, TOWN_A)} == {"困难救助", item.name}
    dispatched_events(session, "0801", 2)
    dispatched_events(session, "0301", 3)
    dispatched_events(session, "0302", 1, town=SIBLING_TOWN)
    scope = county.scope(repository.READ)
    assert repository.unlisted_dispatches(session, scope, "220102") == [(TOWN_A, "0301", "暴露垃圾", 3)]
    assert repository.duty_for_category(session, TOWN_A, "0801").code == "J-001"
    assert repository.duty_for_category(session, TOWN_A, "0301") is None
    # A 大类 covers its 小类.
    service.link(session, street, TOWN_A, LinkIn(duty_code="J-002", event_category_code="03"))
    assert repository.unlisted_dispatches(session, scope, "220102") == []
    assert repository.duty_for_category(session, TOWN_A, "0301").code == "J-002"
    # A cancelled duty holds nothing: its events are pushed down without a list entry again.
    c = service.file_change(session, street, TOWN_A, ChangeIn(action="cancel", duty_code="J-001", reason="取消"))
    service.review(session, county, c.id, ReviewIn(decision="approve"))
    assert repository.unlisted_dispatches(session, scope, "220102") == [(TOWN_A, "0801", "困难救助", 2)]
    items = repository.items_by_list(session, scope, "220102")
    assert sum(n for *_, n in items) == 3
    assert [(a, n) for m, a, n in repository.changes_by_month(session, scope, "220102")] == [("cancel", 1)]
