"""Identity cases: how to hand each route that takes an ID number a number of one's choosing.

tests/web/test_routes_identity.py finds every route that accepts an ID number (a JSON field or form field
`id_number`, or a file the residents importer reads) and calls it, through each of the route's cases
below, once with a free number and once with a number registered where the caller cannot read: the
two answers must not differ (issue 12, finding 3). A case is `(w, number) -> Case`, `w` being the
route-scope world (the residents cases' household and persons in grid 220102001001001). A route that
takes an ID number and has no case here fails that test.

These are not route-scope cases (the residents modules have those): `cases` adds none.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.factories import VILLAGE_A
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"
HEADER = "户编号,网格编码,与户主关系,姓名,公民身份号码"

IdentityCase = Callable[[dict, str], Case]


def cases(w) -> dict[tuple[str, str], Case]:
    return {}


def register_csv(number: str) -> str:
    """A one-row register file: a new household of the grid whose head has `number`."""
    return f"{HEADER}\nID1,{GRID},户主,李明,{number}\n"


def _import(dry_run: bool) -> IdentityCase:
    def case(w, number):
        params = {"dry_run": "true"} if dry_run else {}
        return Case(files={"file": ("r.csv", register_csv(number))}, params=params)

    return case


def identity_cases() -> dict[tuple[str, str], dict[str, IdentityCase]]:
    """{(method, path): {variant: case}} for every route that takes an ID number."""
    return {
        ("POST", "/api/v1/persons"): {
            "register": lambda w, n: Case(
                body={"household_id": w["res_household"], "relation": "child", "name": "李明", "id_number": n}
            ),
        },
        ("PATCH", "/api/v1/persons/{person_id}"): {
            "correct": lambda w, n: Case(path={"person_id": w["res_child"]}, body={"id_number": n}),
        },
        # A search by exact number simply does not find an entry out of reach: the answer of a free number.
        ("POST", "/api/v1/persons/search"): {
            "exact": lambda w, n: Case(body={"area_code": VILLAGE_A, "id_number": n, "status": None}),
        },
        ("POST", "/api/v1/residents/import"): {"dry run": _import(True), "import": _import(False)},
        ("POST", "/households/{household_id}/persons/new"): {
            "register": lambda w, n: Case(
                path={"household_id": w["res_household"]}, data={"name": "李明", "id_number": n, "relation": "child"}
            ),
        },
        ("POST", "/persons/{person_id}/edit"): {
            "correct": lambda w, n: Case(
                path={"person_id": w["res_child"]}, data={"name": "张小明", "ethnicity": "汉族", "id_number": n}
            ),
        },
        ("POST", "/residents/import"): {"dry run": _import(True), "import": _import(False)},
        ("POST", "/residents/import/bad-rows.xlsx"): {"bad rows": _import(False)},
        # The household search by a member's exact number: one registered out of reach finds nothing.
        ("GET", "/grids/{code}/households"): {
            "exact": lambda w, n: Case(path={"code": GRID}, params={"id_number": n}),
        },
        ("GET", "/areas/{code}/households"): {
            "exact": lambda w, n: Case(path={"code": VILLAGE_A}, params={"id_number": n}),
        },
        ("POST", "/grids/{code}/households/new"): {
            "register": lambda w, n: Case(
                path={"code": GRID},
                data={
                    "address": "新户路2号",
                    "register_type": "local",
                    "rows": "1",
                    "m1_relation": "head",
                    "m1_name": "李明",
                    "m1_id_number": n,
                },
            ),  # fmt: skip
        },
    }
