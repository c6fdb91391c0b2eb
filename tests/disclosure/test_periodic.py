"""Periodic items (第三十条: at least quarterly, monthly for frequent finances): the next period of each kind a
board discloses follows its last item, is as long as the law's frequency of the day, is due the setting's days
after it ends, and is flagged missing past that day until an item is written (then the next one follows);
the board page offers the form prefilled, which ignores anything that is not a kind or a day."""

from __future__ import annotations

from datetime import date

import pytest

from linli.authz.permissions import Permission
from linli.disclosure import periodic, service
from linli.disclosure.rules import Settings
from linli.disclosure.todo import todos
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_disclosure import RURAL, build_world, quarter_item


@pytest.fixture
def world(areas):
    w = build_world(areas)
    quarter_item(areas, w["p"]["worker"], on=date(2026, 4, 2))  # 2026 Q1 (a draft counts: its own flag)
    quarter_item(areas, w["p"]["rural_worker"], code=RURAL, kind="relief_funds", title="救助资金",
                 start=date(2025, 10, 1), end=date(2025, 12, 31), on=date(2026, 1, 3))  # fmt: skip
    return w


def scope(w, who="worker"):
    return w["p"][who].scope(Permission.disclosure_read)


def test_the_next_quarter_follows_and_is_missing_past_its_due_date(areas, world):
    w = world
    (p,) = periodic.next_periods(areas, scope(w), VILLAGE_A, date(2026, 7, 10))
    assert (p.kind, p.period_from, p.period_to, p.due_on, p.missing) == (
        "finances", date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 10), False
    )  # fmt: skip
    assert "城市居民委员会组织法" in p.citation  # a community: the article the 2026 text has is not yet found
    (p,) = periodic.next_periods(areas, scope(w), VILLAGE_A, date(2026, 7, 11))
    assert p.missing
    assert periodic.missing_count(areas, scope(w), date(2026, 7, 11)) == 1
    quarter_item(areas, w["p"]["worker"], start=date(2026, 4, 1), end=date(2026, 6, 30), on=date(2026, 7, 11))
    (p,) = periodic.next_periods(areas, scope(w), VILLAGE_A, date(2026, 7, 11))
    assert (p.period_from, p.period_to, p.missing) == (date(2026, 7, 1), date(2026, 9, 30), False)
    # another village's board is not in the worker's scope; the rural worker sees their own
    assert [x.kind for x in periodic.next_periods(areas, scope(w, "rural_worker"), RURAL, date(2026, 5, 1))] == [
        "relief_funds"
    ]


def test_frequent_finances_are_monthly(areas, world):
    w = world
    monthly = Settings(finances_monthly=True)
    p = periodic.next_period("community", monthly, VILLAGE_A, "finances", date(2026, 1, 31), date(2026, 3, 1))
    assert (p.period_from, p.period_to, p.due_on, p.missing) == (
        date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 10), False
    )  # fmt: skip
    p = periodic.next_period("village", monthly, RURAL, "relief_funds", date(2026, 1, 31), date(2026, 3, 1))
    assert p.period_to == date(2026, 4, 30) and "第三十条" in p.citation  # only finances are monthly
    service.save_settings(areas, w["p"]["official"], VILLAGE_A, Settings(finances_monthly=True))
    (p,) = periodic.next_periods(areas, scope(w), VILLAGE_A, date(2026, 5, 11))
    assert (p.period_to, p.missing) == (date(2026, 4, 30), True)


def test_the_board_page_offers_the_form_prefilled_and_the_todo(client, areas, world):
    w = world
    tok = token_for(areas, w["u"]["worker"])
    areas.commit()
    page = client.get(f"/areas/{VILLAGE_A}/disclosure", headers=auth(tok))
    assert page.status_code == 200
    link = f"/areas/{VILLAGE_A}/disclosure/new?kind=finances&amp;period_from=2026-04-01&amp;period_to=2026-06-30"
    assert link in page.text
    form = client.get(link.replace("&amp;", "&"), headers=auth(tok))
    assert form.status_code == 200 and 'value="2026-04-01"' in form.text and 'value="2026-06-30"' in form.text
    bad = client.get(f"/areas/{VILLAGE_A}/disclosure/new?kind=x&period_from=2026-02-30&period_to=abc",
                     headers=auth(tok))  # fmt: skip
    assert bad.status_code == 200 and 'value="2026-02-30"' not in bad.text and 'value="abc"' not in bad.text
    labels = {x.label: x.count for x in todos(areas, w["p"]["worker"])}
    assert labels["Periodic disclosures not written past their due date"] == 1  # today is long past 2026-07-10
