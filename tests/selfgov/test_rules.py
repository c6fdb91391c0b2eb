"""The thresholds of the two laws at their boundaries: 过半数 is strictly more than half (exactly half
fails), 以上 includes the figure (exactly two thirds passes, one short fails); the text of the day applies."""

from __future__ import annotations

from datetime import date

import pytest

from linli.kit.errors import InvalidInput
from linli.selfgov import rules

V2018 = rules.VILLAGERS.on(date(2025, 12, 31))
V2026 = rules.VILLAGERS.on(date(2026, 1, 1))
R2018 = rules.RESIDENTS.on(date(2025, 12, 31))


def test_the_text_of_the_day_applies():
    assert V2018.name == "villagers-2018" and V2026.name == "villagers-2026"
    assert rules.RESIDENTS.on(date(2026, 1, 1)).name == "residents-2026"
    with pytest.raises(InvalidInput):
        rules.VILLAGERS.on(date(2018, 12, 28))


def test_villagers_meeting_quorum_of_adults_is_more_than_half():
    rule = V2018["villagers_meeting.quorum.adults"]
    assert rule.article == "第二十二条"
    assert rule.required(300) == 151
    assert not rule.met(150, 300)  # exactly half fails
    assert rule.met(151, 300)


def test_villagers_meeting_quorum_of_households_is_at_least_two_thirds():
    rule = V2018["villagers_meeting.quorum.households"]
    assert rule.required(300) == 200
    assert rule.met(200, 300)  # exactly two thirds
    assert not rule.met(199, 300)  # one short
    assert rule.required(10) == 7 and not rule.met(6, 10)


def test_decisions_by_more_than_half_of_those_present():
    for key in ("villagers_meeting.majority", "representatives_meeting.majority", "group_meeting.majority"):
        rule = V2018[key]
        assert rule.strict and not rule.met(106, 212) and rule.met(107, 212)
    rule = R2018["residents_meeting.majority"]
    assert rule.article == "第九条" and not rule.met(5, 10) and rule.met(6, 10)


def test_representatives_meeting_and_its_composition():
    assert V2018["representatives_meeting.quorum.members"].article == "第二十六条"
    quorum = V2018["representatives_meeting.quorum.members"]
    assert quorum.met(20, 30) and not quorum.met(19, 30)
    women = V2018["representatives.women_share"]
    assert women.article == "第二十五条" and women.met(10, 30) and not women.met(9, 30)
    share = V2018["representatives.share"]
    assert share.met(24, 30) and not share.met(23, 30)
    assert (V2018["representatives.households_min"].value, V2018["representatives.households_max"].value) == (5, 15)


def test_group_meeting_two_thirds_and_notice_ten_days():
    assert V2018["group_meeting.quorum.adults"].met(2, 3) and not V2018["group_meeting.quorum.adults"].met(1, 3)
    assert V2018["group_meeting.quorum.adults"].article == "第二十八条"
    notice = V2018["villagers_meeting.notice_days"]
    assert (notice.value, notice.article) == (10, "第二十一条")


def test_residents_meeting_more_than_half_of_adults_or_households():
    for key in ("residents_meeting.quorum.adults", "residents_meeting.quorum.households"):
        rule = R2018[key]
        assert rule.article == "第九条" and not rule.met(50, 100) and rule.met(51, 100)


def test_2026_sets_carry_the_2018_figures_marked_unverified():
    assert {"villagers-2026", "residents-2026"} == rules.UNVERIFIED
    for key, rule in V2026.rules.items():
        assert rule.value == V2018[key].value and rule.article.endswith(rules.CARRIED)


def test_settings_where_the_law_is_silent_are_cited_as_settings():
    rule_set, rule = rules.find("village", date(2026, 3, 1), "party_meeting.quorum.members")
    assert rule_set is rules.SETTINGS and rules.cite(rule_set, rule) == rules.SETTING
    rule_set, rule = rules.find("village", date(2025, 3, 1), "villagers_meeting.notice_days")
    assert rules.cite(rule_set, rule) == rules.VILLAGERS_2018_TITLE + "第二十一条"
    assert rules.find("community", date(2025, 3, 1), "residents_meeting.notice_days")[0] is rules.SETTINGS
    assert rules.find("village", date(2025, 3, 1), "proxies_allowed")[1].value is False
