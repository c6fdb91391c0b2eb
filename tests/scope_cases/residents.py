"""Scope cases of the residents routes: buildings, households, persons, transfers, import and export."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.residents import service, transfers
from linli.residents.id_checks import run_checks
from linli.residents.models import IdReview
from linli.residents.schemas import PersonIn, TransferIn
from tests.factories import SYSTEM, VILLAGE_A, principal, square
from tests.factories_residents import GRID_B, make_building, make_family, make_household, make_person, new_id
from tests.scope_cases import Case


def setup(session, w):
    lon, lat = w["lonlat"]
    grids.create_grid(session, SYSTEM, GRID_B, "第二村网格", GridKind.residential, square(lon + 0.02, lat))
    building = make_building(session)
    h, (head, spouse, child) = make_family(session)
    other = make_household(session)
    make_person(session, other, name="王芳", born=date(1960, 2, 2))
    loner = make_person(session, None, name="赵六", relation=None, grid=VILLAGE_A + "001", tags=("key_care",))
    mover = make_person(session, None, name="钱七", relation=None, grid=VILLAGE_A + "001")
    transfer = transfers.request_transfer(session, SYSTEM, TransferIn(person_id=mover.id, to_area_code=GRID_B))
    from linli.residents import repository as repo

    tag_id = repo.tags_of(session, [loner.id])[loner.id][0].id
    # An ID number registered in GRID_B (another village) and again by the grid's worker, who cannot
    # read GRID_B: a review at the township, for those who hold residents.write there or above.
    twice = new_id(date(1977, 7, 7))
    make_person(session, None, name="孙八", relation=None, grid=GRID_B, id_number=twice)
    worker = principal(w["target"], ("grid_worker", VILLAGE_A + "001"))
    service.register_person(session, worker, PersonIn(area_code=VILLAGE_A + "001", name="孙八", id_number=twice))
    run_checks(session)  # the worker's job opens the review
    review_id = session.scalar(select(IdReview.id).order_by(IdReview.id.desc()))
    return {
        "res_building": building.id,
        "res_household": h.id,
        "res_other_household": other.id,
        "res_head": head.id,
        "res_child": child.id,
        "res_loner": loner.id,
        "res_tag": tag_id,
        "res_transfer": transfer.id,
        "res_id_review": review_id,
    }


def import_csv(grid: str) -> str:
    header = "户编号,网格编码,与户主关系,姓名,公民身份号码"
    return f"{header}\nX1,{grid},户主,新人,{new_id(date(1990, 1, 1))}\n"


def cases(w) -> dict[tuple[str, str], Case]:
    grid = VILLAGE_A + "001"
    hh, person = {"household_id": w["res_household"]}, {"person_id": w["res_head"]}
    review = {"review_id": w["res_id_review"]}
    return {
        ("POST", "/api/v1/buildings"): Case(body={"area_code": grid, "name": "二号楼", "kind": "compound"}),
        ("GET", "/api/v1/buildings/{building_id}"): Case(path={"building_id": w["res_building"]}),
        ("PATCH", "/api/v1/buildings/{building_id}"): Case(path={"building_id": w["res_building"]}, body={"floors": 6}),
        ("GET", "/api/v1/areas/{code}/buildings"): Case(path={"code": VILLAGE_A}),
        ("POST", "/api/v1/households"): Case(body={"area_code": grid, "register_type": "floating"}),
        ("GET", "/api/v1/households/{household_id}"): Case(path=hh),
        ("PATCH", "/api/v1/households/{household_id}"): Case(path=hh, body={"address": "新地址"}),
        ("GET", "/api/v1/areas/{code}/households"): Case(path={"code": VILLAGE_A}),
        ("POST", "/api/v1/households/{household_id}/members"): Case(
            path=hh, body={"person_id": w["res_loner"], "relation": "other"}
        ),
        ("POST", "/api/v1/households/{household_id}/move"): Case(path=hh, body={"to_area_code": GRID_B}),
        ("POST", "/api/v1/households/{household_id}/split"): Case(
            path=hh, body={"person_ids": [w["res_child"]], "head_person_id": w["res_child"]}
        ),
        ("POST", "/api/v1/households/{household_id}/merge"): Case(
            path=hh, body={"into_household_id": w["res_other_household"]}
        ),
        ("GET", "/api/v1/households/{household_id}/history"): Case(path=hh),
        ("POST", "/api/v1/persons"): Case(
            body={"household_id": w["res_household"], "relation": "child", "name": "张二", "id_number": new_id()}
        ),
        ("POST", "/api/v1/persons/search"): Case(body={"area_code": VILLAGE_A, "name": "张"}),
        ("GET", "/api/v1/persons/{person_id}"): Case(path=person),
        ("POST", "/api/v1/persons/{person_id}/reveal"): Case(path=person),
        ("PATCH", "/api/v1/persons/{person_id}"): Case(path=person, body={"ethnicity": "汉族"}),
        ("POST", "/api/v1/persons/{person_id}/move"): Case(path=person, body={"to_area_code": GRID_B}),
        ("POST", "/api/v1/persons/{person_id}/move-away"): Case(path=person, body={"destination": "北京"}),
        ("POST", "/api/v1/persons/{person_id}/death"): Case(path=person, body={"died_on": date.today().isoformat()}),
        ("POST", "/api/v1/persons/{person_id}/tags"): Case(path=person, body={"tag": "disabled"}),
        ("POST", "/api/v1/persons/{person_id}/tags/{tag_id}/end"): Case(
            path={"person_id": w["res_loner"], "tag_id": w["res_tag"]}
        ),
        ("GET", "/api/v1/persons/{person_id}/history"): Case(path=person),
        ("GET", "/api/v1/areas/{code}/residents/stats"): Case(path={"code": "220102"}),
        ("POST", "/api/v1/transfers"): Case(body={"person_id": w["res_loner"], "to_area_code": GRID_B}),
        ("GET", "/api/v1/transfers"): Case(kind="list", hidden='"from_area":"220102001001001"'),
        ("GET", "/api/v1/transfers/{transfer_id}"): Case(path={"transfer_id": w["res_transfer"]}),
        ("POST", "/api/v1/transfers/{transfer_id}/accept"): Case(path={"transfer_id": w["res_transfer"]}, body={}),
        ("POST", "/api/v1/transfers/{transfer_id}/reject"): Case(path={"transfer_id": w["res_transfer"]}, body={}),
        ("POST", "/api/v1/transfers/{transfer_id}/cancel"): Case(path={"transfer_id": w["res_transfer"]}),
        ("GET", "/api/v1/residents/template.xlsx"): Case(kind="self"),
        ("POST", "/api/v1/residents/import"): Case(
            files={"file": ("r.csv", import_csv(grid))}, params={"dry_run": "true"}, sibling_status=422
        ),
        ("GET", "/api/v1/areas/{code}/residents.xlsx"): Case(path={"code": VILLAGE_A}),
        ("GET", "/api/v1/id-reviews"): Case(kind="list", hidden='"area_code":"220102001"'),
        ("GET", "/api/v1/id-reviews/{review_id}"): Case(path=review),
        ("POST", "/api/v1/id-reviews/{review_id}/resolve"): Case(path=review, body={"outcome": "different"}),
        ("GET", "/id-reviews"): Case(kind="list", hidden="孙八"),
        ("POST", "/id-reviews/{review_id}/resolve"): Case(path=review, data={"outcome": "different"}),
    }
