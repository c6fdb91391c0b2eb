"""Warning types, colours and levels, and how they map onto CAP 1.2 fields.

Colour and level (GB/T 27962 style, as the national warning signals use them):

| colour | level | meaning      | CAP severity |
|--------|-------|--------------|--------------|
| blue   | IV    | 一般 general  | Minor        |
| yellow | III   | 较重 heavier  | Moderate     |
| orange | II    | 严重 severe   | Severe       |
| red    | I     | 特别严重 especially severe | Extreme |

CAP severity alone cannot carry the colour losslessly in the other direction (an importer may send
any severity), so the colour travels in the parameter `LINLI_COLOUR` and the type in the eventCode
`LINLI_EVENT`; see docs/warnings.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from linli.kit.i18n import N_
from linli.kit.time import BEIJING, as_utc, utcnow

EVENT_CODE_NAME = "LINLI_EVENT"
COLOUR_PARAM = "LINLI_COLOUR"
LEVEL_PARAM = "LINLI_LEVEL"
AGENCY_PARAM = "LINLI_AGENCY_CODE"


@dataclass(frozen=True)
class WarningType:
    key: str
    zh: str  # the Chinese name as the signal is called (雷电 → 雷电预警信号)
    en: str  # message id of the English name
    category: str  # CAP <category>
    weather: bool


TYPES: dict[str, WarningType] = {
    t.key: t
    for t in (
        WarningType("typhoon", "台风", N_("Typhoon"), "Met", True),
        WarningType("rainstorm", "暴雨", N_("Rainstorm"), "Met", True),
        WarningType("blizzard", "暴雪", N_("Blizzard"), "Met", True),
        WarningType("cold_wave", "寒潮", N_("Cold wave"), "Met", True),
        WarningType("gale", "大风", N_("Gale"), "Met", True),
        WarningType("sandstorm", "沙尘暴", N_("Sandstorm"), "Met", True),
        WarningType("heat", "高温", N_("Heat"), "Met", True),
        WarningType("drought", "干旱", N_("Drought"), "Met", True),
        WarningType("lightning", "雷电", N_("Lightning"), "Met", True),
        WarningType("hail", "冰雹", N_("Hail"), "Met", True),
        WarningType("frost", "霜冻", N_("Frost"), "Met", True),
        WarningType("fog", "大雾", N_("Fog"), "Met", True),
        WarningType("haze", "霾", N_("Haze"), "Met", True),
        WarningType("road_icing", "道路结冰", N_("Road icing"), "Met", True),
        WarningType("geological_hazard", "地质灾害", N_("Geological hazard"), "Geo", False),
        WarningType("flood", "洪水", N_("Flood"), "Met", False),
        WarningType("public_health", "公共卫生", N_("Public health"), "Health", False),
        WarningType("safety", "安全", N_("Safety"), "Safety", False),
    )
}


@dataclass(frozen=True)
class Colour:
    key: str
    zh: str
    en: str
    level: str  # Roman numeral
    level_zh: str
    level_en: str
    severity: str  # CAP severity
    rank: int  # 1 blue … 4 red, for "raised"/"lowered"


COLOURS: dict[str, Colour] = {
    c.key: c
    for c in (
        Colour("blue", "蓝色", N_("Blue"), "IV", "一般", N_("general"), "Minor", 1),
        Colour("yellow", "黄色", N_("Yellow"), "III", "较重", N_("heavier"), "Moderate", 2),
        Colour("orange", "橙色", N_("Orange"), "II", "严重", N_("severe"), "Severe", 3),
        Colour("red", "红色", N_("Red"), "I", "特别严重", N_("especially severe"), "Extreme", 4),
    )
}
COLOUR_OF_SEVERITY = {c.severity: c.key for c in COLOURS.values()}
COLOUR_OF_LEVEL = {c.level: c.key for c in COLOURS.values()}

MSG_TYPES = ("Alert", "Update", "Cancel")
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
SCOPES = ("Public", "Restricted", "Private")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
# The words of CAP's closed lists, to be translated where shown (GB/T 35965's Chinese names).
CAP_VALUE_LABELS = {
    "Extreme": N_("Extreme"),
    "Severe": N_("Severe"),
    "Moderate": N_("Moderate"),
    "Minor": N_("Minor"),
    "Unknown": N_("Unknown"),
    "Immediate": N_("Immediate"),
    "Expected": N_("Expected"),
    "Future": N_("Future"),
    "Past": N_("Past"),
    "Observed": N_("Observed"),
    "Likely": N_("Likely"),
    "Possible": N_("Possible"),
    "Unlikely": N_("Unlikely"),
    "Actual": N_("Actual"),
    "Exercise": N_("Exercise"),
    "System": N_("System"),
    "Test": N_("Test"),
    "Draft": N_("Draft"),
    "Public": N_("Public"),
    "Restricted": N_("Restricted"),
    "Private": N_("Private"),
}


def type_for_event_text(text: str) -> str | None:
    """The type whose Chinese or English name the CAP <event> text contains (longest name first)."""
    low = text.lower()
    for t in sorted(TYPES.values(), key=lambda x: -len(x.zh)):
        if t.zh in text or t.key.replace("_", " ") in low or t.en.lower() in low:
            return t.key
    return None


def event_text(type_key: str) -> str:
    return f"{TYPES[type_key].zh}预警"


def signal_name(type_key: str, colour: str) -> str:
    """雷电黄色预警信号."""
    return f"{TYPES[type_key].zh}{COLOURS[colour].zh}预警信号"


def now_cst() -> datetime:
    """Now, in Beijing time, to the second (the time a message is sent unless it says)."""
    return utcnow().astimezone(BEIJING).replace(microsecond=0)


def cap_time(value: datetime, tz_minutes: int = 480) -> str:
    """A time as CAP writes it: ISO 8601 to the second, at the offset the sender wrote (minutes east)."""
    return as_utc(value).astimezone(timezone(timedelta(minutes=tz_minutes))).replace(microsecond=0).isoformat()
