"""Scope cases of the web pages of the residents register."""

from __future__ import annotations

from datetime import date

from tests.factories import VILLAGE_A
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"
GRID_B = "220102001002001"  # made by the residents cases


def setup(session, w):
    """A household with a person in grid 220102001001001 (reused from the residents cases when they made one)."""
    if "res_household" in w and "res_head" in w:
        return {"web_household": w["res_household"], "web_person": w["res_head"]}
    from tests.factories_residents import make_household, make_person

    h = make_household(session, GRID)
    p = make_person(session, h, name="孙一")
    return {"web_household": h.id, "web_person": p.id}


def import_csv(grid: str) -> str:
    from tests.factories_residents import new_id

    header = "户编号,网格编码,与户主关系,姓名,公民身份号码"
    return f"{header}\nW1,{grid},户主,新人,{new_id(date(1991, 1, 1))}\n"


def cases(w) -> dict[tuple[str, str], Case]:
    from tests.factories_residents import new_id

    hh, person = {"household_id": w["web_household"]}, {"person_id": w["web_person"]}
    return {
        ("GET", "/grids/{code}/households"): Case(path={"code": GRID}, params={"q": "张"}),
        ("GET", "/areas/{code}/households"): Case(path={"code": VILLAGE_A}, params={"q": "张", "tag": "veteran"}),
        ("GET", "/grids/{code}/households/new"): Case(path={"code": GRID}),
        ("POST", "/grids/{code}/households/new"): Case(
            path={"code": GRID},
            data={
                "address": "新户路1号",
                "register_type": "local",
                "rows": "1",
                "m1_relation": "head",
                "m1_name": "新户主",
                "m1_id_number": new_id(date(1977, 7, 7)),
            },
        ),  # fmt: skip
        ("POST", "/areas/{code}/residents/export"): Case(path={"code": "220102001"}, data={"tag": "veteran"}),
        ("GET", "/households/{household_id}"): Case(path=hh),
        ("POST", "/persons/{person_id}/reveal"): Case(path=person),
        ("GET", "/households/{household_id}/persons/new"): Case(path=hh),
        ("POST", "/households/{household_id}/persons/new"): Case(
            path=hh, data={"name": "张三", "id_number": new_id(date(2001, 2, 3)), "relation": "child"}
        ),
        ("GET", "/persons/{person_id}/edit"): Case(path=person),
        ("POST", "/persons/{person_id}/edit"): Case(path=person, data={"name": "张伟", "ethnicity": "汉族"}),
        ("GET", "/persons/{person_id}/move"): Case(path=person),
        ("POST", "/persons/{person_id}/move"): Case(path=person, data={"kind": "away", "destination": "北京"}),
        ("GET", "/areas/{code}/residents"): Case(path={"code": "220102001"}, params={"q": "张"}),
        ("GET", "/transfers"): Case(kind="list", hidden="钱七"),  # the residents cases' pending transfer
        ("POST", "/transfers/{transfer_id}/accept"): Case(path={"transfer_id": w["res_transfer"]}, data={"note": "好"}),
        ("POST", "/transfers/{transfer_id}/reject"): Case(path={"transfer_id": w["res_transfer"]}, data={"note": "不"}),
        ("POST", "/transfers/{transfer_id}/cancel"): Case(path={"transfer_id": w["res_transfer"]}, data={}),
        ("GET", "/persons/{person_id}/transfer"): Case(path=person),
        ("POST", "/persons/{person_id}/transfer"): Case(path=person, data={"to_area_code": GRID_B, "reason": "搬家"}),
        ("GET", "/households/{household_id}/transfer"): Case(path=hh),
        ("POST", "/households/{household_id}/transfer"): Case(path=hh, data={"to_area_code": GRID_B}),
        ("GET", "/residents/import"): Case(kind="self"),
        ("POST", "/residents/import"): Case(
            files={"file": ("r.csv", import_csv(GRID))}, params={"dry_run": "true"}, sibling_status=422
        ),
        # A sibling's file of another grid: every row is bad (not theirs), the sheet lists it.
        ("POST", "/residents/import/bad-rows.xlsx"): Case(
            files={"file": ("r.csv", import_csv(GRID))}, sibling_status=200
        ),
    }
