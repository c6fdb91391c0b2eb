"""The law of disclosure (村务公开/居务公开), as dated rule sets, and the local settings beside it.

《村民委员会组织法》 (2018 text) Art. 30: the villagers' committee discloses (一) what the villagers'
meeting and representatives' meeting decided and how it was carried out, (二) family-planning
measures, (三) relief and subsidy funds and goods from the government or donors, (四) its work
assisting the government, (五) other matters of the villagers' interest; "一般事项至少每季度公布一次；
集体财务往来较多的，财务收支情况应当每月公布一次；涉及村民利益的重大事项应当随时公布", and answers the
villagers' queries (接受村民的查询). Art. 31: a villager may report a committee that does not disclose
in time to the township, which investigates and orders disclosure.

The 2025-10-28 amendment decision (in force 2026-01-01) renumbers the law (it adds an Art. 5); its
disclosure article's number and wording were not found in the sources consulted, so the 2026 set keeps
the 2018 values and says so in each rule (docs/disclosure.md). The urban law (《城市居民委员会组织法》,
2018 text) has no article on disclosure at all; its 2025 revision has a chapter on democratic management
and supervision whose disclosure article was not found either: for communities the frequencies are the
platform's defaults, marked as not law.

What the law leaves open — how many days a notice stays on the board, how long residents may ask, how
soon the committee answers, how soon after a decision "随时" means, how soon after a period its report is
due — are local settings (`Settings`, per area, nearest ancestor wins), never rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from linli.kit.rules import DatedRules, Rule, RuleSet

KINDS = ("resolution", "implementation", "finances", "relief_funds", "other")
# Kinds disclosed as they happen (随时), due a few days after the act; the others cover a period.
PROMPT_KINDS = ("resolution", "implementation")

_ART30 = "第三十条"
_VILLAGE_2018 = {
    "items": Rule(
        KINDS,
        _ART30,
        words="（一）本法第二十三条、第二十四条规定的由村民会议、村民代表会议讨论决定的事项及其实施情况；"
        "（二）国家计划生育政策的落实方案；（三）政府拨付和接受社会捐赠的救灾救助、补贴补助等资金、物资的管理使用情况；"
        "（四）村民委员会协助人民政府开展工作的情况；（五）涉及本村村民利益，村民普遍关心的其他事项。",
    ),
    "general_every_months": Rule(3, _ART30, words="一般事项至少每季度公布一次"),
    "finances_frequent_every_months": Rule(1, _ART30, words="集体财务往来较多的，财务收支情况应当每月公布一次"),
    "major_promptly": Rule(True, _ART30, words="涉及村民利益的重大事项应当随时公布"),
    "queries_answered": Rule(True, _ART30, words="村民委员会应当保证所公布事项的真实性，并接受村民的查询"),
    "report_to_township": Rule(
        True,
        "第三十一条",
        words="村民委员会不及时公布应当公布的事项或者公布的事项不真实的，村民有权向乡、民族乡、镇的人民政府或者县级人民政府"
        "及其有关主管部门反映，有关人民政府或者主管部门应当负责调查核实，责令依法公布",
    ),
}
_NOT_FOUND_2026 = "（2026年文本条号未查得；按2018年文本{article}）"


def _kept_2018(rules: dict[str, Rule]) -> dict[str, Rule]:
    """The 2018 rules carried into the 2026 set: the same values, the article marked as not verified."""
    return {
        key: Rule(r.value, _NOT_FOUND_2026.format(article=r.article), r.strict, r.words) for key, r in rules.items()
    }


VILLAGE = DatedRules(
    RuleSet("villagers-2018", "《村民委员会组织法》（2018年修正）", date(2018, 12, 29), _VILLAGE_2018),
    RuleSet("villagers-2026", "《村民委员会组织法》（2025年修正）", date(2026, 1, 1), _kept_2018(_VILLAGE_2018)),
)

_NO_ARTICLE = "（本法无此条：平台默认，参照《村民委员会组织法》第三十条）"
_URBAN = {
    "items": Rule(KINDS, _NO_ARTICLE),
    "general_every_months": Rule(3, _NO_ARTICLE, words="平台默认每季度至少公布一次"),
    "finances_frequent_every_months": Rule(1, _NO_ARTICLE, words="平台默认财务往来较多的每月公布一次"),
    "major_promptly": Rule(True, _NO_ARTICLE),
    "queries_answered": Rule(True, _NO_ARTICLE),
    "report_to_township": Rule(True, _NO_ARTICLE),
}
URBAN = DatedRules(
    RuleSet("residents-2018", "《城市居民委员会组织法》（2018年修正）", date(2018, 12, 29), _URBAN),
    RuleSet(
        "residents-2026",
        "《城市居民委员会组织法》（2025年修订）",
        date(2026, 1, 1),
        {k: Rule(r.value, "（2026年文本居务公开条号未查得：平台默认）", r.strict, r.words) for k, r in _URBAN.items()},
    ),
)


def law_for(area_kind: str) -> DatedRules:
    """An urban community (社区/居委会) answers to the urban law; a village and anything else to the village law."""
    return URBAN if area_kind == "community" else VILLAGE


@dataclass(frozen=True)
class Settings:
    """Local settings of an area (not law): days on the board, days to ask, days to answer, days after
    an act or a period's end that its disclosure is due, and whether the village's collective finances
    are frequent enough to be disclosed monthly (Art. 30's 集体财务往来较多)."""

    period_days: int = 7
    objection_days: int = 7
    answer_days: int = 10
    prompt_days: int = 5
    after_period_days: int = 10
    finances_monthly: bool = False


DEFAULTS = Settings()
LIMITS = {
    "period_days": (1, 90),
    "objection_days": (1, 90),
    "answer_days": (1, 60),
    "prompt_days": (0, 60),
    "after_period_days": (0, 60),
}
