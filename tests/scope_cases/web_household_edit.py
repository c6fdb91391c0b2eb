"""Scope cases of the residents page that edits a household (address, register type, head)."""

from __future__ import annotations

from tests.factories import VILLAGE_A
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"


def setup(session, w):
    """A household of two whose head may be changed to the spouse."""
    from tests.factories_residents import make_household, make_person

    h = make_household(session, GRID, address="改户路3号")
    make_person(session, h, name="周一")
    spouse = make_person(session, h, name="吴二", relation="spouse", phone=None)
    return {"he_household": h.id, "he_spouse": spouse.id}


def cases(w) -> dict[tuple[str, str], Case]:
    hh = {"household_id": w["he_household"]}
    data = {"address": "改户路3号之一", "register_type": "resident", "head": str(w["he_spouse"])}
    return {
        ("GET", "/households/{household_id}/edit"): Case(path=hh),
        ("POST", "/households/{household_id}/edit"): Case(path=hh, data=data),
    }
