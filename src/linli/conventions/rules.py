"""The law of village regulations and residents' conventions (村规民约/居民公约), as dated rule sets.

《村民委员会组织法》 (2018 text) Art. 27: "村民会议可以制定和修改村民自治章程、村规民约，并报乡、民族乡、镇的
人民政府备案" — the villagers' meeting adopts and amends them (Art. 24's authorisation of the
representatives' meeting covers the matters listed there, not these) and files them with the township.
《城市居民委员会组织法》 (2018 text) Art. 15: "居民公约由居民会议讨论制定，报不设区的市、市辖区的人民政府或者
它的派出机关备案，由居民委员会监督执行" — the residents' meeting adopts, filed with the district or its agency
(the street office, 街道办事处).

The 2025-10-28 decision (village law) and revision (urban law), in force 2026-01-01, renumber both laws;
the articles on conventions in the new numbering were not found in the sources consulted, so the 2026
sets keep the 2018 values, marked (docs/conventions.md). How many days after adoption the filing is due
is not in either law: a local setting (`FILING_DAYS_DEFAULT`, per area).
"""

from __future__ import annotations

from datetime import date

from linli.kit.i18n import N_
from linli.kit.rules import DatedRules, Rule, RuleSet

BODIES = (
    "villagers_meeting",
    "residents_meeting",
    "villagers_representatives_meeting",
    "residents_representatives_meeting",
)
FILING_DAYS_DEFAULT = 30
BODY_NAMES = {
    "villagers_meeting": N_("villagers' meeting"),
    "residents_meeting": N_("residents' meeting"),
    "villagers_representatives_meeting": N_("villagers' representatives' meeting"),
    "residents_representatives_meeting": N_("residents' representatives' meeting"),
}

_VILLAGE_2018 = {
    "adopted_by": Rule(
        "villagers_meeting",
        "第二十七条",
        words="村民会议可以制定和修改村民自治章程、村规民约，并报乡、民族乡、镇的人民政府备案",
    ),
    "filed_with": Rule("township", "第二十七条"),
}
_URBAN_2018 = {
    "adopted_by": Rule(
        "residents_meeting",
        "第十五条",
        words="居民公约由居民会议讨论制定，报不设区的市、市辖区的人民政府或者它的派出机关备案，由居民委员会监督执行",
    ),
    "filed_with": Rule("street", "第十五条"),
}


def _kept(rules: dict[str, Rule]) -> dict[str, Rule]:
    return {
        k: Rule(r.value, f"（2026年文本条号未查得；按2018年文本{r.article}）", r.strict, r.words)
        for k, r in rules.items()
    }


VILLAGE = DatedRules(
    RuleSet("villagers-2018", "《村民委员会组织法》（2018年修正）", date(2018, 12, 29), _VILLAGE_2018),
    RuleSet("villagers-2026", "《村民委员会组织法》（2025年修正）", date(2026, 1, 1), _kept(_VILLAGE_2018)),
)
URBAN = DatedRules(
    RuleSet("residents-2018", "《城市居民委员会组织法》（2018年修正）", date(2018, 12, 29), _URBAN_2018),
    RuleSet("residents-2026", "《城市居民委员会组织法》（2025年修订）", date(2026, 1, 1), _kept(_URBAN_2018)),
)


def law_for(area_kind: str) -> DatedRules:
    return URBAN if area_kind == "community" else VILLAGE
