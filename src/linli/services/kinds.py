"""The words of the services domain: item types, online depths, the community's role, levels, the
states of an application, and the codes of an item (basic code) and of its offer (implementation code).

Codes follow the shape of the provinces' catalogues (政务服务事项基本目录 / 实施清单):
- basic code: `<type>-<department>-<sequence>`, e.g. `GG-MZ-00012` (public service, civil affairs, 12th);
- implementation code: `<region>-<department>-<type>-<sequence>`, e.g. `220102001001-MZ-GG-00012`: the
  area code of the place that implements it, then the item's department, type and sequence.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from linli.kit import codes
from linli.kit.i18n import N_, gettext

# 行政许可, 行政给付, 行政确认, 行政奖励, 行政裁决, 其他行政权力, 公共服务
ITEM_TYPES = {
    "XK": N_("Administrative licence"),
    "JF": N_("Administrative benefit"),
    "QR": N_("Administrative confirmation"),
    "JL": N_("Administrative reward"),
    "CJ": N_("Administrative ruling"),
    "QT": N_("Other administrative power"),
    "GG": N_("Public service"),
}
ONLINE_DEPTHS = {
    "info": N_("Information online only"),
    "apply": N_("Apply online, hand in at the counter"),
    "full": N_("Fully online"),
}
COMMUNITY_ROLES = {
    "accept": N_("The community accepts it"),
    "agent": N_("The community acts as agent (代办)"),
    "help": N_("The community helps (帮办)"),
}
LEVELS = {"community": N_("Community"), "township": N_("Street or township"), "county": N_("County")}
LEVEL_LENGTH = {"community": 12, "township": 9, "county": 6}
ASSISTS = {"none": N_("By the applicant"), "agent": N_("Agent (代办)"), "help": N_("Help (帮办)")}
CHANNELS = {"online": N_("Online"), "counter": N_("At the counter")}
STATES = {
    "submitted": N_("Waiting for acceptance"),
    "returned": N_("Returned for correction"),
    "rejected": N_("Not accepted"),
    "in_process": N_("In process"),
    "decided": N_("Decided"),
    "delivered": N_("Delivered"),
    "withdrawn": N_("Withdrawn"),
}
STATE_ZH = {
    "submitted": "待受理",
    "returned": "退回补正",
    "rejected": "不予受理",
    "in_process": "办理中",
    "decided": "已办结",
    "delivered": "已送达",
    "withdrawn": "已撤回",
}
OPEN_STATES = ("submitted", "returned", "in_process", "decided")
CLOSED_STATES = ("rejected", "delivered", "withdrawn")
OUTCOMES = {"approved": N_("Approved"), "denied": N_("Denied")}

BASIC_CODE = re.compile(r"^(?P<type>[A-Z]{2})-(?P<dept>[A-Z0-9]{2,6})-(?P<seq>[0-9]{5})$")
IMPLEMENTATION_CODE = re.compile(
    r"^(?P<region>[0-9]{6,12})-(?P<dept>[A-Z0-9]{2,6})-(?P<type>[A-Z]{2})-(?P<seq>[0-9]{5})$"
)


def label(table: dict[str, str], key: str | None) -> str:
    return gettext(table[key]) if key in table else (key or "")


@dataclass(frozen=True)
class Material:
    """One material of an item: name, original or copy, how many, whether required, its template."""

    name: str
    original: bool = True
    count: int = 1
    required: bool = True
    template: str = ""  # the file name of a blank form or sample, where there is one


@dataclass(frozen=True)
class Step:
    """One step after acceptance: its name, the unit and the level it sits at, its limit in working days,
    and whether that limit counts toward the item's promised limit (公示/鉴定 periods do not)."""

    name: str
    unit: str
    level: str
    days: int
    counts: bool = True


def materials_of(text: str) -> list[Material]:
    return [Material(**m) for m in json.loads(text or "[]")]


def steps_of(text: str) -> list[Step]:
    return [Step(**s) for s in json.loads(text or "[]")]


def dump(values) -> str:
    return json.dumps([asdict(v) for v in values], ensure_ascii=False)


def basic_code_problem(code: str, item_type: str, department_code: str) -> str | None:
    """Why a basic code is malformed for this type and department (a message id), or None."""
    m = BASIC_CODE.match(code or "")
    if not m:
        return N_("the basic code must read TYPE-DEPARTMENT-SEQUENCE, e.g. GG-MZ-00012")
    if m["type"] != item_type or m["dept"] != department_code:
        return N_("the basic code must begin with the item's type and department code")
    return None


def implementation_code(area_code: str, basic_code: str) -> str:
    """The implementation code of an item offered at an area: region, department, type, sequence."""
    m = BASIC_CODE.match(basic_code)
    return f"{area_code}-{m['dept']}-{m['type']}-{m['seq']}" if m else ""


def implementation_code_problem(code: str, area_code: str, basic_code: str) -> str | None:
    m = IMPLEMENTATION_CODE.match(code or "")
    if not m or not codes.is_valid(m["region"]):
        return N_("the implementation code must read REGION-DEPARTMENT-TYPE-SEQUENCE, e.g. 220102001001-MZ-GG-00012")
    if code != implementation_code(area_code, basic_code):
        return N_("the implementation code must be the offering area's code followed by the item's basic code parts")
    return None
