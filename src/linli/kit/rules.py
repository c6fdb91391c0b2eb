"""Rules of law that change over time: one rule set per text in force, chosen by the date of the act.

A threshold in a law ("more than half of the adult villagers", "notified ten days before") is never a
constant in code: it is a `Rule` holding its value and the article it comes from, inside the
`RuleSet` of the text that was in force, and `DatedRules.on(day)` picks the set by the date of the
meeting (or filing, or publication) it is applied to. An amendment adds a set; acts dated before it
keep being judged by the text of their day.

    VILLAGERS = DatedRules(
        RuleSet("villagers-2018", "《村民委员会组织法》（2018年修正）", date(2018, 12, 29), {
            "meeting.quorum_adults": Rule(Fraction(1, 2), "第二十二条", strict=True),
        }),
        RuleSet("villagers-2026", ..., date(2026, 1, 1), {...}),
    )
    rule = VILLAGERS.on(meeting.held_on)["meeting.quorum_adults"]
    rule.met(present, base)  # strictly more than half: 过半数

Chinese legal counting: "以上" (at least, ≥) includes the figure, "过半数"/"超过" (more than, >) does not;
a `Rule` says which with `strict`. Fractions are exact (`fractions.Fraction`): two thirds of 300 is 200,
not 199.99999.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from linli.kit.errors import InvalidInput


@dataclass(frozen=True)
class Rule:
    """One threshold or setting of a text, with the article it comes from.

    `value` is a Fraction for a share, an int for a count of days or people, or any other setting;
    `strict` says whether a share must be exceeded (过半数, 超过) or only reached (以上, 不少于)."""

    value: Any
    article: str
    strict: bool = False
    words: str = ""  # the text's own words, quoted where the rule is explained

    def required(self, total: int) -> int:
        """The smallest count that meets a share of `total`: more than half of 300 is 151, two thirds 200."""
        share = Fraction(self.value)
        exact = share * total
        whole = exact.numerator // exact.denominator
        if self.strict:
            return whole + 1
        return whole if whole == exact else whole + 1

    def met(self, count: int, total: int) -> bool:
        """Whether `count` out of `total` meets the share (a base of 0 meets nothing)."""
        if total <= 0:
            return False
        ratio = Fraction(count, total)
        share = Fraction(self.value)
        return ratio > share if self.strict else ratio >= share


@dataclass(frozen=True)
class RuleSet:
    """The rules of one text in force from a date (the day the amendment took effect)."""

    name: str
    title: str
    in_force_from: date
    rules: Mapping[str, Rule] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Rule:
        try:
            return self.rules[key]
        except KeyError:
            raise KeyError(f"{self.name} has no rule {key!r}") from None

    def __contains__(self, key: str) -> bool:
        return key in self.rules

    def cite(self, key: str) -> str:
        """The citation of a rule: the text's title and the article ("《…》第二十二条")."""
        return f"{self.title}{self[key].article}"


class DatedRules:
    """The rule sets of one law, oldest first; `on(day)` is the set in force on that day."""

    def __init__(self, *sets: RuleSet):
        if not sets:
            raise ValueError("DatedRules needs at least one RuleSet")
        self.sets = tuple(sorted(sets, key=lambda s: s.in_force_from))
        dates = [s.in_force_from for s in self.sets]
        if len(set(dates)) != len(dates):
            raise ValueError("two rule sets take effect on the same day")

    def on(self, day: date) -> RuleSet:
        chosen = None
        for rule_set in self.sets:
            if rule_set.in_force_from <= day:
                chosen = rule_set
        if chosen is None:
            first = self.sets[0]
            raise InvalidInput(
                f"no rules are recorded for {day.isoformat()}: {first.title} applies from "
                f"{first.in_force_from.isoformat()}"
            )
        return chosen

    def by_name(self, name: str) -> RuleSet:
        for rule_set in self.sets:
            if rule_set.name == name:
                return rule_set
        raise KeyError(name)
