"""Dated rule sets: the text in force on the day of the act, exact shares, 以上 inclusive and 过半数 strict."""

from datetime import date
from fractions import Fraction

import pytest

from linli.kit.errors import InvalidInput
from linli.kit.rules import DatedRules, Rule, RuleSet

OLD = RuleSet("old", "《法》（2018）", date(2018, 12, 29), {"quorum": Rule(Fraction(1, 2), "第二十二条", strict=True)})
NEW = RuleSet("new", "《法》（2025）", date(2026, 1, 1), {"quorum": Rule(Fraction(2, 3), "第二十二条")})
LAW = DatedRules(NEW, OLD)


def test_the_set_in_force_on_the_day_is_chosen():
    assert LAW.on(date(2025, 12, 31)) is OLD
    assert LAW.on(date(2026, 1, 1)) is NEW
    assert LAW.on(date(2030, 6, 1)) is NEW


def test_a_day_before_any_text_is_refused_with_the_first_date():
    with pytest.raises(InvalidInput, match="2018-12-29"):
        LAW.on(date(2018, 12, 28))


def test_more_than_half_is_strict_and_exact():
    rule = OLD["quorum"]
    assert rule.required(300) == 151
    assert rule.required(301) == 151
    assert not rule.met(150, 300)
    assert rule.met(151, 300)
    assert not rule.met(0, 0)


def test_at_least_two_thirds_includes_the_figure():
    rule = NEW["quorum"]
    assert rule.required(300) == 200
    assert rule.required(301) == 201
    assert rule.met(200, 300)
    assert not rule.met(199, 300)


def test_a_rule_cites_its_text_and_article():
    assert OLD.cite("quorum") == "《法》（2018）第二十二条"
    with pytest.raises(KeyError, match="nope"):
        OLD["nope"]


def test_two_sets_on_one_day_are_a_mistake():
    with pytest.raises(ValueError):
        DatedRules(OLD, RuleSet("again", "x", OLD.in_force_from))
