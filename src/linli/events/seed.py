"""The category tree (大类/小类) with default unit kinds and time limits, and default handling units."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.events import catalog
from linli.events.models import EventCategory, HandlingUnit, RoutingRule
from linli.kit import codes
from linli.kit.i18n import t

# (code, name, English name, unit kind, (register, unit), (handle, unit), (verify, unit))
H, D = "hours", "days"
CATEGORIES: list[tuple] = [
    ("01", "公共设施", "Public facilities", "utility", (2, H), (3, D), (4, H)),
    ("0101", "供水排水设施", "Water supply and drainage", "utility", (2, H), (2, D), (4, H)),
    ("0102", "路灯照明", "Street lights", "utility", (2, H), (3, D), (4, H)),
    ("0103", "井盖缺损", "Missing or broken manhole cover", "utility", (1, H), (4, H), (2, H)),
    ("0104", "公共厕所", "Public toilets", "street_department", (2, H), (2, D), (4, H)),
    ("0105", "健身器材", "Fitness equipment", "street_department", (4, H), (5, D), (1, D)),
    ("02", "道路交通", "Roads and traffic", "county_department", (2, H), (5, D), (1, D)),
    ("0201", "道路破损", "Damaged road surface", "county_department", (2, H), (5, D), (1, D)),
    ("0202", "交通标志标线", "Traffic signs and markings", "county_department", (2, H), (5, D), (1, D)),
    ("0203", "违章停车", "Illegal parking", "police_station", (1, H), (4, H), (2, H)),
    ("0204", "共享单车乱停放", "Badly parked shared bicycles", "street_department", (2, H), (1, D), (4, H)),
    ("03", "市容环境", "City appearance and environment", "street_department", (2, H), (2, D), (4, H)),
    ("0301", "暴露垃圾", "Exposed rubbish", "street_department", (1, H), (4, H), (2, H)),
    ("0302", "占道经营", "Street vending on the road", "street_department", (1, H), (1, D), (4, H)),
    ("0303", "乱贴乱画", "Illegal posters and graffiti", "street_department", (2, H), (2, D), (4, H)),
    ("0304", "违规广告牌匾", "Illegal billboards and signs", "county_department", (2, H), (5, D), (1, D)),
    ("0305", "噪声扰民", "Noise nuisance", "street_department", (1, H), (1, D), (4, H)),
    ("04", "园林绿化", "Greenery", "county_department", (2, H), (5, D), (1, D)),
    ("0401", "绿地破坏", "Damaged green space", "county_department", (2, H), (5, D), (1, D)),
    ("0402", "树木倒伏", "Fallen or dangerous trees", "county_department", (1, H), (8, H), (4, H)),
    ("0403", "绿化缺株", "Missing plants", "county_department", (4, H), (10, D), (2, D)),
    ("05", "房屋土地", "Housing and land", "county_department", (4, H), (10, D), (2, D)),
    ("0501", "违法建设", "Illegal construction", "street_department", (2, H), (10, D), (2, D)),
    ("0502", "房屋安全隐患", "Unsafe building", "county_department", (1, H), (3, D), (1, D)),
    ("0503", "物业服务", "Property management service", "property_company", (4, H), (3, D), (1, D)),
    ("06", "矛盾纠纷", "Disputes and mediation", "street_department", (4, H), (10, D), (2, D)),
    ("0601", "邻里纠纷", "Neighbour dispute", "street_department", (4, H), (10, D), (2, D)),
    ("0602", "劳资纠纷", "Wage dispute", "county_department", (4, H), (10, D), (2, D)),
    ("0603", "婚姻家庭纠纷", "Marriage and family dispute", "court", (4, H), (15, D), (2, D)),
    ("07", "安全隐患", "Safety hazards", "county_department", (1, H), (1, D), (4, H)),
    ("0701", "消防隐患", "Fire hazard", "county_department", (1, H), (8, H), (4, H)),
    ("0702", "燃气隐患", "Gas hazard", "utility", (1, H), (4, H), (2, H)),
    ("0703", "危险化学品", "Hazardous chemicals", "county_department", (1, H), (8, H), (4, H)),
    ("0704", "治安隐患", "Public security hazard", "police_station", (1, H), (1, D), (4, H)),
    ("08", "民生帮扶", "Livelihood help", "street_department", (4, H), (5, D), (2, D)),
    ("0801", "困难救助", "Hardship assistance", "street_department", (4, H), (5, D), (2, D)),
    ("0802", "养老服务", "Elderly care", "street_department", (4, H), (5, D), (2, D)),
    ("0803", "就业帮扶", "Employment help", "street_department", (4, H), (10, D), (2, D)),
    ("09", "其他", "Other", "dispatch_desk", (4, H), (5, D), (1, D)),
    ("0901", "其他事项", "Other matters", "dispatch_desk", (4, H), (5, D), (1, D)),
]

# Not shown to the anonymous public through Open311: disputes between people, help for a person in need,
# and public-security hazards (the 大类 and each of its 小类).
NOT_PUBLIC = ("06", "08", "0704")


def is_public(code: str) -> bool:
    return not any(code.startswith(prefix) for prefix in NOT_PUBLIC)


# Units every county gets (kind, name suffix) and every township gets.
COUNTY_UNITS = [
    ("county_department", "城市管理局"),
    ("county_department", "住房和城乡建设局"),
    ("county_department", "园林绿化中心"),
    ("county_department", "交通运输局"),
    ("county_department", "应急管理局"),
    ("county_department", "人力资源和社会保障局"),
    ("utility", "供水公司"),
    ("utility", "燃气公司"),
    ("utility", "供电公司"),
    ("court", "人民法院"),
]
TOWNSHIP_UNITS = [
    ("street_department", "城管中队"),
    ("police_station", "派出所"),
    ("property_company", "物业服务中心"),
]
# Which county unit a county-level category goes to (by the unit's name suffix).
COUNTY_ROUTES = {
    "01": "供水公司",
    "0101": "供水公司",
    "0102": "供电公司",
    "0103": "供水公司",
    "02": "交通运输局",
    "0201": "交通运输局",
    "0202": "交通运输局",
    "0304": "城市管理局",
    "04": "园林绿化中心",
    "0401": "园林绿化中心",
    "0402": "园林绿化中心",
    "0403": "园林绿化中心",
    "05": "住房和城乡建设局",
    "0502": "住房和城乡建设局",
    "0602": "人力资源和社会保障局",
    "0603": "人民法院",
    "07": "应急管理局",
    "0701": "应急管理局",
    "0702": "燃气公司",
    "0703": "应急管理局",
}


def seed_categories(session: Session) -> int:
    """Insert the categories that are missing (edits made since are kept); returns how many were added."""
    have = set(session.scalars(select(EventCategory.code)))
    added = 0
    for code, name, name_en, kind, reg, han, ver in CATEGORIES:
        if code in have:
            continue
        session.add(
            EventCategory(
                code=code,
                parent_code=code[:2] if len(code) == 4 else None,
                name=name,
                name_en=name_en,
                unit_kind=kind,
                public=is_public(code),
                register_limit=reg[0],
                register_unit=reg[1],
                handle_limit=han[0],
                handle_unit=han[1],
                verify_limit=ver[0],
                verify_unit=ver[1],
            )
        )
        added += 1
        session.flush()  # parents before children
    return added


def _unit(session: Session, area: Area, kind: str, suffix: str) -> tuple[HandlingUnit, bool]:
    name = f"{area.name}{suffix}"
    padded = codes.pad(area.code)
    found = session.scalar(select(HandlingUnit).where(HandlingUnit.area_code == padded, HandlingUnit.name == name))
    if found:
        return found, False
    u = HandlingUnit(name=name, kind=kind, area_code=padded, generated=True)
    session.add(u)
    session.flush()
    return u, True


def _rule(session: Session, category: str, area_code: str, unit_id: int) -> bool:
    padded = codes.pad(area_code)
    if session.scalar(
        select(RoutingRule.id).where(RoutingRule.category_code == category, RoutingRule.area_code == padded)
    ):
        return False
    session.add(RoutingRule(category_code=category, area_code=padded, unit_id=unit_id))
    return True


def seed_units(session: Session, county_code: str) -> tuple[int, int]:
    """Demo handling units (marked generated) and routing rules for a county and its townships.

    Returns (units added, rules added); running it again adds nothing."""
    county = session.get(Area, county_code)
    if county is None or county.level != "county":
        raise ValueError(t("{county_code} is not a known county", county_code=county_code))
    units = rules = 0
    by_suffix = {}
    for kind, suffix in COUNTY_UNITS:
        u, new = _unit(session, county, kind, suffix)
        by_suffix[suffix] = u
        units += new
    for cat, suffix in COUNTY_ROUTES.items():
        rules += _rule(session, cat, county.code, by_suffix[suffix].id)
    towns = session.scalars(select(Area).where(Area.parent_code == county.code, Area.level == "township"))
    township_kinds = {kind for _c, _n, _e, kind, *_ in CATEGORIES} & {k for k, _ in TOWNSHIP_UNITS}
    for town in towns:
        catalog.ensure_dispatch_desk(session, town.code)
        mine = {}
        for kind, suffix in TOWNSHIP_UNITS:
            u, new = _unit(session, town, kind, suffix)
            mine[kind] = u
            units += new
        for code, _n, _e, kind, *_ in CATEGORIES:
            # Disputes and livelihood help go to the desk, which hands them to mediators and social workers.
            if kind in township_kinds and not code.startswith(("06", "08")):
                rules += _rule(session, code, town.code, mine[kind].id)
    session.flush()
    return units, rules
