"""Scope cases of the residents pages of a person's tags and of splitting and merging households."""

from __future__ import annotations

from tests.factories import VILLAGE_A
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"


def setup(session, w):
    """A family of three with a tagged head, and a second household of the same grid to merge into."""
    from sqlalchemy import select

    from linli.residents.models import PersonTag
    from tests.factories_residents import make_family, make_household, make_person

    h, (head, _, child) = make_family(session, GRID, surname="钱")
    other = make_household(session, GRID, address="合户路2号")
    make_person(session, other, name="孙二")
    tag = session.scalar(select(PersonTag.id).where(PersonTag.person_id == head.id))
    return {"hm_household": h.id, "hm_head": head.id, "hm_child": child.id, "hm_other": other.id, "hm_tag": tag}


def cases(w) -> dict[tuple[str, str], Case]:
    hh, person = {"household_id": w["hm_household"]}, {"person_id": w["hm_head"]}
    child = str(w["hm_child"])
    return {
        ("GET", "/persons/{person_id}/tags"): Case(path=person),
        ("POST", "/persons/{person_id}/tags"): Case(path=person, data={"tag": "disabled"}),
        ("POST", "/persons/{person_id}/tags/{tag_id}/end"): Case(path={**person, "tag_id": w["hm_tag"]}, data={}),
        ("GET", "/households/{household_id}/split"): Case(path=hh),
        ("POST", "/households/{household_id}/split"): Case(
            path=hh, data={"person_ids": [child], "head": child, "register_type": "local"}
        ),
        ("GET", "/households/{household_id}/merge"): Case(path=hh, params={"q": "合户"}),
        ("POST", "/households/{household_id}/merge"): Case(
            path=hh, data={"into_id": str(w["hm_other"]), "confirm": "yes"}
        ),
    }
