"""The world of the disclosure and conventions tests: the test slice's community 华阳社区 (VILLAGE_A, urban
law), a rural village (东安村委会, village law) added under 南关区, their staff, residents and outsiders."""

from __future__ import annotations

import json
from datetime import date

from linli.areas.importer import import_divisions
from linli.disclosure import service
from linli.disclosure.schemas import ItemIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, make_user, principal

SIBLING_VILLAGE = "220102001002"  # 恒安社区, beside VILLAGE_A in the same street
RURAL_TOWN, RURAL = "220102005", "220102005200"  # 东安村委会: a village of 南关区
OTHER_COUNTY = "220103"


def add_rural_village(session) -> None:
    rows = [
        {"code": RURAL_TOWN, "name": "幸福街道", "level": "township", "kind": "subdistrict", "parent_code": "220102"},
        {"code": RURAL, "name": "东安村委会", "level": "village", "kind": "village", "parent_code": RURAL_TOWN},
    ]
    import_divisions(session, SYSTEM, json.dumps({"divisions": rows}))


PEOPLE = (
    ("worker", "community_worker", VILLAGE_A),
    ("rural_worker", "community_worker", RURAL),
    ("official", "official", TOWN_A),
    ("rural_official", "official", RURAL_TOWN),
    ("resident", "resident", VILLAGE_A),
    ("rural_resident", "resident", RURAL),
    ("neighbour", "resident", SIBLING_VILLAGE),
    ("outsider_worker", "community_worker", SIBLING_VILLAGE),
    ("outsider_official", "official", OTHER_COUNTY),
)


def build_world(session) -> dict:
    """Users and principals (p) of the world; the test's areas must be loaded."""
    add_rural_village(session)
    users, principals = {}, {}
    for name, role, area in PEOPLE:
        user = make_user(session, f"sg_{name}", role, area)
        user.display_name = {"resident": "张三丰", "rural_resident": "李四"}.get(name, user.display_name)
        users[name] = user
        principals[name] = principal(user, (role, area))
    session.flush()
    return {"u": users, "p": principals}


def quarter_item(session, who, *, code=VILLAGE_A, start=date(2026, 1, 1), end=date(2026, 3, 31), on=None, **kw):
    data = ItemIn(
        area_code=code, kind=kw.pop("kind", "finances"), title=kw.pop("title", "2026年第一季度财务收支"),
        body=kw.pop("body", "收入：12,000元\n支出：8,500元"), period_from=start, period_to=end, **kw,
    )  # fmt: skip
    return service.create_item(session, who, data, on=on or date(2026, 4, 2))
