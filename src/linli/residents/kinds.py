"""The closed vocabularies of the register, with the Chinese labels used in files and pages."""

from __future__ import annotations

from enum import StrEnum

from linli.kit.i18n import N_, gettext


class BuildingKind(StrEnum):
    compound = "compound"  # 住宅小区
    house = "house"  # 独栋/自建房
    shop = "shop"  # 商铺
    institution = "institution"  # 单位


class RegisterType(StrEnum):
    local = "local"  # 户籍
    resident = "resident"  # 常住
    floating = "floating"  # 流动


class Relation(StrEnum):
    head = "head"
    spouse = "spouse"
    child = "child"
    parent = "parent"
    grandchild = "grandchild"
    grandparent = "grandparent"
    sibling = "sibling"
    in_law = "in_law"
    other = "other"


class Gender(StrEnum):
    male = "male"
    female = "female"


class PersonStatus(StrEnum):
    present = "present"
    moved_out = "moved_out"
    deceased = "deceased"
    withdrawn = "withdrawn"  # a second entry of someone registered elsewhere, withdrawn after a review


class IdReviewStatus(StrEnum):
    open = "open"
    moved = "moved"  # the same person, moved: the older entry moved away, the new one stays
    not_moved = "not_moved"  # the same person, did not move: the new entry is withdrawn
    different = "different"  # different people: the new entry's ID number is wrong and must be corrected
    corrected = "corrected"  # the new entry's ID number was changed meanwhile


class Tag(StrEnum):
    elderly_alone = "elderly_alone"  # 独居老人
    disabled = "disabled"  # 残疾人
    subsistence = "subsistence"  # 低保
    extremely_poor = "extremely_poor"  # 特困
    veteran = "veteran"  # 退役军人
    left_behind_child = "left_behind_child"  # 留守儿童
    key_care = "key_care"  # 重点关怀


class TransferStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    cancelled = "cancelled"


REGISTER_LABELS = {RegisterType.local: "户籍", RegisterType.resident: "常住", RegisterType.floating: "流动"}
RELATION_LABELS = {
    Relation.head: "户主",
    Relation.spouse: "配偶",
    Relation.child: "子女",
    Relation.parent: "父母",
    Relation.grandchild: "孙子女",
    Relation.grandparent: "祖父母",
    Relation.sibling: "兄弟姐妹",
    Relation.in_law: "儿媳女婿",
    Relation.other: "其他",
}
GENDER_LABELS = {Gender.male: "男", Gender.female: "女"}
TAG_LABELS = {
    Tag.elderly_alone: "独居老人",
    Tag.disabled: "残疾人",
    Tag.subsistence: "低保",
    Tag.extremely_poor: "特困",
    Tag.veteran: "退役军人",
    Tag.left_behind_child: "留守儿童",
    Tag.key_care: "重点关怀",
}
BUILDING_LABELS = {
    BuildingKind.compound: "住宅小区",
    BuildingKind.house: "独栋",
    BuildingKind.shop: "商铺",
    BuildingKind.institution: "单位",
}
# The tags' names on pages (and other domains' pages: a notice to residents with a tag), translated there.
TAG_NAMES = {
    Tag.elderly_alone.value: N_("Elderly living alone"),
    Tag.disabled.value: N_("Disabled"),
    Tag.subsistence.value: N_("Subsistence allowance (低保)"),
    Tag.extremely_poor.value: N_("Extremely poor (特困)"),
    Tag.veteran.value: N_("Veteran"),
    Tag.left_behind_child.value: N_("Left-behind child"),
    Tag.key_care.value: N_("Key care"),
}
# Age bands of the statistics (years, inclusive lower bound, exclusive upper).
AGE_BANDS = ((0, 15, "0-14"), (15, 60, "15-59"), (60, 80, "60-79"), (80, 200, "80+"))


_LOOKUPS: dict[int, dict[str, StrEnum]] = {}


def from_label(labels: dict, text: str):
    """The enum member whose Chinese label or English value is `text`, or None."""
    lookup = _LOOKUPS.get(id(labels))
    if lookup is None:
        lookup = {**{m.value: m for m in labels}, **{label: m for m, label in labels.items()}}
        _LOOKUPS[id(labels)] = lookup
    return lookup.get(text.strip())


def tag_name(value: str | None) -> str:
    """A tag's name in the reader's language ("" for none; an unknown tag as stored)."""
    if value is None:
        return ""
    return gettext(TAG_NAMES[value]) if value in TAG_NAMES else value
