"""The thresholds of self-government, each a `Rule` of the text in force on the day of the act.

Two laws, each with a rule set per text (`linli.kit.rules`): the Organic Law of the Villagers' Committees
(村民委员会组织法) for villages, and the Organic Law of the Urban Residents' Committees (城市居民委员会组织法)
for communities. The 2018 texts were checked article by article (docs/selfgov.md cites them). Both laws
were changed on 2025-10-28, in force from 2026-01-01 (the villagers' law by a decision amending it, the
residents' law revised as a whole, 7 chapters and 50 articles). The articles of the 2026 texts on
meetings could not be read in full where this was written: the 2026 sets repeat the 2018 figures, cite
the 2018 article number with "（2018年文本条号）", and list themselves in `UNVERIFIED` — never a figure
that was not read. Replace them by the 2026 articles once checked.

Where the law says nothing (the joint meeting of the two committees, the Party members' meeting, a notice
period for bodies the law gives none, proxies) the figure is a platform *setting* (`SETTINGS`), cited as
such, never as law.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from linli.kit.rules import DatedRules, Rule, RuleSet

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)

VILLAGERS_2018_TITLE = "《中华人民共和国村民委员会组织法》（2018年修正）"
VILLAGERS_2026_TITLE = "《中华人民共和国村民委员会组织法》（2025年修正，2026年1月1日起施行）"
RESIDENTS_2018_TITLE = "《中华人民共和国城市居民委员会组织法》（2018年修正）"
RESIDENTS_2026_TITLE = "《中华人民共和国城市居民委员会组织法》（2025年修订，2026年1月1日起施行）"


def _villagers(article_suffix: str = "") -> dict[str, Rule]:
    """The villagers' law's thresholds; `article_suffix` marks article numbers carried over unverified."""

    def art(number: str) -> str:
        return number + article_suffix

    return {
        # 第二十一条: convened by the committee; on 1/10 of villagers or 1/3 of representatives; 10 days' notice.
        "villagers_meeting.notice_days": Rule(10, art("第二十一条"), words="召集村民会议，应当提前十天通知村民"),
        "villagers_meeting.convene_villagers": Rule(Fraction(1, 10), art("第二十一条"), words="十分之一以上的村民"),
        "villagers_meeting.convene_representatives": Rule(
            Fraction(1, 3), art("第二十一条"), words="三分之一以上的村民代表"
        ),
        # 第二十二条: more than half of the adults, or two thirds of the households' representatives.
        "villagers_meeting.quorum.adults": Rule(
            HALF, art("第二十二条"), strict=True, words="本村十八周岁以上村民的过半数"
        ),
        "villagers_meeting.quorum.households": Rule(TWO_THIRDS, art("第二十二条"), words="本村三分之二以上的户的代表"),
        "villagers_meeting.majority": Rule(HALF, art("第二十二条"), strict=True, words="经到会人员的过半数通过"),
        # 第二十五条: representatives at least 4/5 of the meeting, women at least 1/3; one per 5-15 households.
        "representatives.share": Rule(
            Fraction(4, 5), art("第二十五条"), words="村民代表应当占村民代表会议组成人员的五分之四以上"
        ),
        "representatives.women_share": Rule(
            Fraction(1, 3), art("第二十五条"), words="妇女村民代表应当占村民代表会议组成人员的三分之一以上"
        ),
        "representatives.households_min": Rule(5, art("第二十五条"), words="每五户至十五户推选一人"),
        "representatives.households_max": Rule(15, art("第二十五条"), words="每五户至十五户推选一人"),
        # 第二十六条: quorum two thirds of its members, decisions by more than half of those present.
        "representatives_meeting.quorum.members": Rule(
            TWO_THIRDS, art("第二十六条"), words="村民代表会议有三分之二以上的组成人员参加方可召开"
        ),
        "representatives_meeting.majority": Rule(HALF, art("第二十六条"), strict=True, words="经到会人员的过半数同意"),
        "representatives_meeting.convene": Rule(Fraction(1, 5), art("第二十六条"), words="五分之一以上的村民代表提议"),
        # 第二十八条: a villagers' group meeting: two thirds of the group's adults or households.
        "group_meeting.quorum.adults": Rule(
            TWO_THIRDS, art("第二十八条"), words="本村民小组十八周岁以上的村民三分之二以上"
        ),
        "group_meeting.quorum.households": Rule(
            TWO_THIRDS, art("第二十八条"), words="本村民小组三分之二以上的户的代表"
        ),
        "group_meeting.majority": Rule(HALF, art("第二十八条"), strict=True, words="经到会人员的过半数同意"),
    }


def _residents(article_suffix: str = "") -> dict[str, Rule]:
    def art(number: str) -> str:
        return number + article_suffix

    return {
        # 第九条: more than half of the adults, the households' representatives or the groups' representatives.
        "residents_meeting.quorum.adults": Rule(
            HALF, art("第九条"), strict=True, words="全体十八周岁以上的居民、户的代表或者居民小组选举的代表的过半数出席"
        ),
        "residents_meeting.quorum.households": Rule(HALF, art("第九条"), strict=True, words="户的代表的过半数出席"),
        "residents_meeting.majority": Rule(HALF, art("第九条"), strict=True, words="会议的决定，由出席人的过半数通过"),
        # 第十条: convened on 1/5 of the adults, 1/5 of the households or 1/3 of the groups.
        "residents_meeting.convene_adults": Rule(
            Fraction(1, 5), art("第十条"), words="五分之一以上的十八周岁以上的居民"
        ),
        "residents_meeting.convene_households": Rule(Fraction(1, 5), art("第十条"), words="五分之一以上的户"),
        "residents_meeting.convene_groups": Rule(Fraction(1, 3), art("第十条"), words="三分之一以上的居民小组"),
    }


CARRIED = "（2018年文本条号）"

VILLAGERS = DatedRules(
    RuleSet("villagers-2018", VILLAGERS_2018_TITLE, date(2018, 12, 29), _villagers()),
    RuleSet("villagers-2026", VILLAGERS_2026_TITLE, date(2026, 1, 1), _villagers(CARRIED)),
)
RESIDENTS = DatedRules(
    RuleSet("residents-2018", RESIDENTS_2018_TITLE, date(2018, 12, 29), _residents()),
    RuleSet("residents-2026", RESIDENTS_2026_TITLE, date(2026, 1, 1), _residents(CARRIED)),
)

# Rule sets whose figures and article numbers are carried over from the 2018 text, not read in the 2026 one.
UNVERIFIED = frozenset({"villagers-2026", "residents-2026"})

SETTING = "本平台设置（非法定）"
# What the law leaves open: settings of the platform (cited as settings on every page that uses them).
SETTINGS = RuleSet(
    "settings",
    SETTING,
    date(1990, 1, 1),
    {
        "joint_meeting.quorum.members": Rule(HALF, "", strict=True, words="两委成员过半数到会"),
        "joint_meeting.majority": Rule(HALF, "", strict=True, words="到会成员过半数同意"),
        "party_meeting.quorum.members": Rule(HALF, "", strict=True, words="有表决权的党员过半数到会"),
        "party_meeting.majority": Rule(HALF, "", strict=True, words="到会党员过半数同意"),
        "party_meeting.materials_days": Rule(3, "", words="会议材料至少提前三天送达党员"),
        # Notice periods of bodies the law gives none (days before the meeting).
        "representatives_meeting.notice_days": Rule(3, "", words="提前三天通知村（居）民代表"),
        "group_meeting.notice_days": Rule(3, "", words="提前三天通知"),
        "joint_meeting.notice_days": Rule(1, "", words="提前一天通知"),
        "party_meeting.notice_days": Rule(3, "", words="提前三天通知"),
        "residents_meeting.notice_days": Rule(7, "", words="提前七天通知居民"),
        # Neither law provides for voting by proxy at a meeting (only at elections): refused.
        "proxies_allowed": Rule(False, "", words="会议表决不得委托他人代为投票"),
    },
)


def law_for(area_kind: str) -> DatedRules:
    """The law of a place: the residents' law for a community (社区), the villagers' law otherwise."""
    return RESIDENTS if area_kind == "community" else VILLAGERS


def find(area_kind: str, day: date, key: str) -> tuple[RuleSet, Rule]:
    """The rule `key` for a place on a day: the law's text of the day, else the platform's setting."""
    rule_set = law_for(area_kind).on(day)
    if key in rule_set:
        return rule_set, rule_set[key]
    return SETTINGS, SETTINGS[key]


def cite(rule_set: RuleSet, rule: Rule) -> str:
    """ "《…》第二十二条" for a law, "本平台设置（非法定）" for a setting."""
    return f"{rule_set.title}{rule.article}" if rule.article else rule_set.title


def all_rows() -> list[tuple[str, RuleSet, str, Rule]]:
    """Every rule of every set, for the rules table of the docs and the rules page: (law, set, key, rule)."""
    rows = []
    for law, dated in (("villagers", VILLAGERS), ("residents", RESIDENTS)):
        for rule_set in dated.sets:
            rows += [(law, rule_set, key, rule) for key, rule in rule_set.rules.items()]
    rows += [("settings", SETTINGS, key, rule) for key, rule in SETTINGS.rules.items()]
    return rows
