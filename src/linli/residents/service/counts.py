"""Counting an area's residents: persons by tag and by age band, for the area and each of its children."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.areas import repository as areas_repo
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.residents import repository as repo
from linli.residents.kinds import AGE_BANDS, Tag
from linli.residents.schemas import CountsOut, StatsOut
from linli.residents.service.persons import R


def _subtree(session: Session, principal: Principal, code: str):
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(R, code, what=t("area {code}", code=code))
    area = areas_repo.get_area(session, code, principal.visible)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return area, codes.child_length(code)


def tag_counts(session: Session, principal: Principal, code: str) -> dict[str, int]:
    """Persons under `code` in each tag today: one GROUP BY over the tag rows of the subtree's range."""
    _subtree(session, principal, code)
    totals = {t.value: 0 for t in Tag}
    for _, tag, count in repo.tag_counts_by_child(session, code, principal.scope(R), len(code), date.today()):
        totals[tag] = totals.get(tag, 0) + count
    return totals


def stats(session: Session, principal: Principal, code: str) -> StatsOut:
    """Present persons under `code` by tag and age band, for the area and each of its children.

    Each count is one GROUP BY over the subtree's range of area codes, restricted to the principal's scope.
    """
    area, n = _subtree(session, principal, code)
    today = date.today()
    persons = repo.present_persons_by_child_and_band(session, code, principal.scope(R), n, today)
    tags = repo.tag_counts_by_child(session, code, principal.scope(R), n, today)
    empty_tags = {t.value: 0 for t in Tag}
    empty_bands = {label: 0 for _, _, label in AGE_BANDS}
    per: dict[str, CountsOut] = {}

    def bucket(c: str) -> CountsOut:
        if c not in per:
            per[c] = CountsOut(code=c, name="", persons=0, by_tag=dict(empty_tags), by_age_band=dict(empty_bands))
        return per[c]

    for c, label, count in persons:
        b = bucket(c)
        b.persons += count
        b.by_age_band[label] += count
    for c, tag, count in tags:
        if tag in empty_tags:
            bucket(c).by_tag[tag] += count
    total = StatsOut(
        code=code, name=area.name, persons=0, by_tag=dict(empty_tags), by_age_band=dict(empty_bands), children=[]
    )
    for b in per.values():
        total.persons += b.persons
        for k, v in b.by_tag.items():
            total.by_tag[k] += v
        for k, v in b.by_age_band.items():
            total.by_age_band[k] += v
    if len(code) < 15:
        names = areas_repo.get_areas(session, list(per))
        total.children = [
            b.model_copy(update={"name": names[c].name if c in names else ""}) for c, b in sorted(per.items())
        ]
    return total
