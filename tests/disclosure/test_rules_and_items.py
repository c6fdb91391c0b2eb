"""Disclosure items: the due date from the kind's frequency and the rules of the day (2018 or 2026 text),
publication late only with a reason and flagged for good, questions inside the objection window by
residents of the village only, answers by the village's staff only, and the township's overdue report."""

from __future__ import annotations

from datetime import date

import pytest

from linli.authz.permissions import Permission
from linli.disclosure import repository, rules, service
from linli.disclosure.schemas import ItemIn
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.factories import TOWN_A, VILLAGE_A
from tests.factories_disclosure import RURAL, build_world, quarter_item


@pytest.fixture
def world(areas):
    return build_world(areas)


def test_due_dates_follow_the_kind_the_rules_and_the_settings(session, world):
    p = world["p"]
    item = quarter_item(session, p["worker"])
    assert item.due_on == date(2026, 4, 10) and item.rules == "residents-2026"  # 10 days after the quarter
    old = quarter_item(session, p["rural_worker"], code=RURAL, start=date(2025, 7, 1), end=date(2025, 9, 30))
    assert old.rules == "villagers-2018"
    # At most a quarter (Art. 30: 一般事项至少每季度公布一次), cited in the refusal.
    with pytest.raises(InvalidInput) as exc:
        quarter_item(session, p["rural_worker"], code=RURAL, start=date(2025, 7, 1), end=date(2025, 10, 1))
    assert "第三十条" in exc.value.message and "3" in exc.value.message
    # Frequent collective finances: monthly (a village's setting), the same article.
    service.save_settings(session, p["rural_official"], RURAL, rules.Settings(finances_monthly=True))
    with pytest.raises(InvalidInput, match="每月公布"):
        quarter_item(session, p["rural_worker"], code=RURAL, start=date(2025, 7, 1), end=date(2025, 8, 1))
    monthly = quarter_item(session, p["rural_worker"], code=RURAL, start=date(2025, 7, 1), end=date(2025, 7, 31))
    assert monthly.due_on == date(2025, 8, 10)
    # A resolution: promptly (随时), `prompt_days` after the decision.
    data = ItemIn(area_code=VILLAGE_A, kind="resolution", title="决议", body="…", occurred_on=date(2026, 3, 2))
    assert service.create_item(session, p["worker"], data, on=date(2026, 3, 3)).due_on == date(2026, 3, 7)
    with pytest.raises(InvalidInput):  # a resolution without its date
        service.create_item(session, p["worker"], ItemIn(area_code=VILLAGE_A, kind="resolution", title="x", body="y"))


def test_publishing_late_needs_a_reason_and_stays_flagged(session, world):
    p = world["p"]
    on_time = quarter_item(session, p["worker"])
    service.publish(session, p["worker"], on_time.id, on=date(2026, 4, 10))
    assert (on_time.late, on_time.shown_until, on_time.objection_until) == (False, date(2026, 4, 16), date(2026, 4, 16))
    late = quarter_item(session, p["worker"], title="救助资金", kind="relief_funds")
    with pytest.raises(InvalidInput, match="5 day"):
        service.publish(session, p["worker"], late.id, on=date(2026, 4, 15))
    assert late.status == "draft" and not late.late
    service.publish(session, p["worker"], late.id, late_reason="会计生病", on=date(2026, 4, 15))
    assert (late.late, late.days_late, late.late_reason) == (True, 5, "会计生病")
    with pytest.raises(Conflict):
        service.publish(session, p["worker"], late.id, late_reason="again", on=date(2026, 4, 16))
    overdue = quarter_item(session, p["worker"], title="其他事项", kind="other")  # never published
    scope = p["official"].scope(Permission.disclosure_supervise)
    (line,) = repository.overdue_report(session, scope, TOWN_A, date(2026, 4, 20))
    assert (line.code, line.overdue, line.late, line.unanswered) == (VILLAGE_A, 1, 1, 0)
    assert repository.overdue_report(session, scope, TOWN_A, date(2026, 4, 10)) != [] and overdue.status == "draft"


def test_questions_inside_the_window_by_residents_of_the_village(session, world):
    p = world["p"]
    item = quarter_item(session, p["worker"])
    service.publish(session, p["worker"], item.id, on=date(2026, 4, 8))  # questions until 04-14
    with pytest.raises(InvalidInput, match="window is closed"):
        service.ask(session, p["resident"], item.id, "为什么支出这么多？", on=date(2026, 4, 15))
    with pytest.raises(Forbidden, match="only residents"):
        service.ask(session, p["neighbour"], item.id, "为什么？", on=date(2026, 4, 9))
    with pytest.raises(Forbidden):  # staff are not residents of the board's village
        service.ask(session, p["official"], item.id, "为什么？", on=date(2026, 4, 9))
    q = service.ask(session, p["resident"], item.id, "为什么支出这么多？", on=date(2026, 4, 9))
    assert q.answer_due_on == date(2026, 4, 19)
    with pytest.raises(NotFound):  # a worker of another community: out of reach
        service.answer(session, p["outsider_worker"], q.id, "答复", on=date(2026, 4, 10))
    with pytest.raises(Forbidden):  # the official may read, not answer for the committee
        service.answer(session, p["official"], q.id, "答复", on=date(2026, 4, 10))
    scope = p["official"].scope(Permission.disclosure_supervise)
    (line,) = repository.overdue_report(session, scope, TOWN_A, date(2026, 4, 20))
    assert line.unanswered == 1
    service.answer(session, p["worker"], q.id, "购置了消防器材，发票已公示。", on=date(2026, 4, 20))
    with pytest.raises(Conflict):
        service.answer(session, p["worker"], q.id, "again")
    assert repository.overdue_report(session, scope, TOWN_A, date(2026, 4, 20)) == []


def test_settings_are_checked_and_inherited(session, world):
    p = world["p"]
    with pytest.raises(InvalidInput):
        service.save_settings(session, p["official"], TOWN_A, rules.Settings(period_days=0))
    with pytest.raises(NotFound):
        service.save_settings(session, p["outsider_official"], TOWN_A, rules.Settings())
    service.save_settings(session, p["official"], TOWN_A, rules.Settings(period_days=15, objection_days=10))
    assert repository.settings_for(session, VILLAGE_A).period_days == 15
    item = quarter_item(session, p["worker"])
    service.publish(session, p["worker"], item.id, on=date(2026, 4, 1))
    assert (item.shown_until, item.objection_until) == (date(2026, 4, 15), date(2026, 4, 10))
