"""Kinds of areas and grids (the values stored in areas.kind)."""

from __future__ import annotations

from enum import StrEnum


class GridKind(StrEnum):
    residential = "residential"
    exclusive_commercial = "exclusive_commercial"  # 商圈/商业街区 专属网格
    exclusive_hospital = "exclusive_hospital"
    exclusive_school = "exclusive_school"
    exclusive_industrial_park = "exclusive_industrial_park"
    exclusive_other = "exclusive_other"
    rural_villagers_group = "rural_villagers_group"  # 村民小组
    rural_natural_village = "rural_natural_village"  # 自然村

    @property
    def family(self) -> str:
        return self.value.split("_", 1)[0]


GRID_KIND_LABELS_ZH = {
    GridKind.residential: "居民网格",
    GridKind.exclusive_commercial: "专属网格（商圈）",
    GridKind.exclusive_hospital: "专属网格（医院）",
    GridKind.exclusive_school: "专属网格（学校）",
    GridKind.exclusive_industrial_park: "专属网格（产业园区）",
    GridKind.exclusive_other: "专属网格（其他）",
    GridKind.rural_villagers_group: "农村网格（村民小组）",
    GridKind.rural_natural_village: "农村网格（自然村）",
}
