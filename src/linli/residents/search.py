"""Finding persons (name, exact ID or phone, tag, age, area) and counting them by tag and age band."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from linli.areas import repository as areas_repo
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.residents import id_reviews, pii
from linli.residents import repository as repo
from linli.residents.kinds import AGE_BANDS, Tag
from linli.residents.models import Person, PersonTag
from linli.residents.schemas import CountsOut, PersonOut, SearchIn, StatsOut
from linli.residents.service import R, persons_out

CHILD_LENGTH = {2: 4, 4: 6, 6: 9, 9: 12, 12: 15}


def years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def search(session: Session, principal: Principal, q: SearchIn) -> tuple[list[PersonOut], int]:
    if not codes.is_valid(q.area_code):
        raise InvalidInput(t("{code!r} is not an area code", code=q.area_code))
    principal.check(R, q.area_code, what=t("area {code}", code=q.area_code))
    if q.age_min is not None and q.age_max is not None and q.age_min > q.age_max:
        raise InvalidInput(t("the lowest age is above the highest"))
    today = date.today()
    if q.id_number:
        id_reviews.audit_lookup(session, principal, "search", q.area_code)
    rows, total = repo.search_persons(
        session,
        q.area_code,
        principal.scope(R),
        name=(q.name or "").strip() or None,
        id_bidx=pii.id_index(q.id_number) if q.id_number else None,
        phone_bidx=pii.phone_index(q.phone) if q.phone else None,
        tag=q.tag.value if q.tag else None,
        born_after=years_before(today, q.age_max + 1) if q.age_max is not None else None,
        born_before=years_before(today, q.age_min) if q.age_min is not None else None,
        status=q.status.value if q.status else None,
        offset=(q.page - 1) * q.size,
        limit=q.size,
        today=today,
    )
    return persons_out(session, rows), total


def _band_expr(today: date):
    whens = [(Person.birth_date > years_before(today, hi), label) for _, hi, label in AGE_BANDS[:-1]]
    return case(*whens, else_=AGE_BANDS[-1][2])


def _subtree(session: Session, principal: Principal, code: str):
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(R, code, what=t("area {code}", code=code))
    area = areas_repo.get_area(session, code, principal.visible)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return area, CHILD_LENGTH.get(len(code), 15)


def _tag_rows(session: Session, principal: Principal, code: str, n: int, today: date):
    low, high = codes.subtree_range(code)
    child = func.substr(PersonTag.area_code, 1, n)
    return session.execute(
        select(child, PersonTag.tag, func.count())
        .where(
            PersonTag.area_code >= low,
            PersonTag.area_code < high,
            principal.scope(R).clause(PersonTag.area_code),
            PersonTag.start_on <= today,
            or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
        )
        .group_by(child, PersonTag.tag)
    ).all()


def tag_counts(session: Session, principal: Principal, code: str) -> dict[str, int]:
    """Persons under `code` in each tag today: one GROUP BY over the tag rows of the subtree's range."""
    _subtree(session, principal, code)
    totals = {t.value: 0 for t in Tag}
    for _, tag, count in _tag_rows(session, principal, code, len(code), date.today()):
        totals[tag] = totals.get(tag, 0) + count
    return totals


def stats(session: Session, principal: Principal, code: str) -> StatsOut:
    """Present persons under `code` by tag and age band, for the area and each of its children.

    Each count is one GROUP BY over the subtree's range of area codes, restricted to the principal's scope.
    """
    area, n = _subtree(session, principal, code)
    today = date.today()
    low, high = codes.subtree_range(code)
    child = func.substr(Person.area_code, 1, n)
    band = _band_expr(today)
    persons = session.execute(
        select(child, band, func.count())
        .where(
            Person.area_code >= low,
            Person.area_code < high,
            principal.scope(R).clause(Person.area_code),
            Person.status == "present",
        )
        .group_by(child, band)
    ).all()
    tags = _tag_rows(session, principal, code, n, today)
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
