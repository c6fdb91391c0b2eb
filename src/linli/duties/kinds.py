"""The words of the responsibility lists (履职事项清单): the three kinds of duty, the categories the lists
sort them into, the change requests' actions and states, and the shape of a duty's code.

The kinds follow the lists the provinces published for townships (乡镇（街道）履行职责事项清单):
基本履职事项 (the township's own duties), 配合履职事项 (the township assists an upper department, which
keeps the duty), and 上级部门收回事项 (duties taken back by the upper department, with the department
that receives them and how the township still works with it).
"""

from __future__ import annotations

import re

from linli.kit.i18n import N_, gettext

KINDS = {
    "basic": N_("Basic duty"),
    "assisting": N_("Assisting duty"),
    "taken_back": N_("Taken back by an upper department"),
}
KIND_ZH = {"basic": "基本履职事项", "assisting": "配合履职事项", "taken_back": "上级部门收回事项"}
# The categories of the published lists (党的建设, 经济发展, 民生服务, 平安法治, 乡村振兴/城乡建设,
# 生态环境, 社会治理 …), as the lists group their items; "other" for what a list names otherwise.
CATEGORIES = {
    "party": N_("Party building"),
    "economy": N_("Economic development"),
    "livelihood": N_("Livelihood services"),
    "safety": N_("Public safety and rule of law"),
    "construction": N_("Urban and rural construction"),
    "environment": N_("Ecology and environment"),
    "governance": N_("Community governance"),
    "other": N_("Other"),
}
CATEGORY_ZH = {
    "party": "党的建设",
    "economy": "经济发展",
    "livelihood": "民生服务",
    "safety": "平安法治",
    "construction": "城乡建设",
    "environment": "生态环境",
    "governance": "基层治理",
    "other": "其他",
}
ACTIONS = {"add": N_("Add a duty"), "adjust": N_("Adjust a duty"), "cancel": N_("Cancel a duty")}
STATES = {"pending": N_("Waiting for review"), "approved": N_("Approved"), "rejected": N_("Rejected")}
LINK_KINDS = {"event_category": N_("Event category"), "service_item": N_("Service item")}

# A duty's code within its list: the kind's letter and a sequence (J-001 basic, P-012 assisting, S-003 taken back).
CODE = re.compile(r"^[A-Z]{1,3}-[0-9]{3,4}$")
CODE_PREFIX = {"basic": "J", "assisting": "P", "taken_back": "S"}


def label(table: dict[str, str], key: str | None) -> str:
    return gettext(table[key]) if key in table else (key or "")
