"""Plain functions that build grids, buildings, households and persons for the residents tests."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy.orm import Session

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.authn.models import User
from linli.residents import service
from linli.residents.idcard import make_id
from linli.residents.schemas import BuildingIn, HouseholdIn, PersonIn, TagIn
from linli.residents.service import households
from tests.factories import SYSTEM, VILLAGE_A, inside_point, load_world, make_user, square

GRID = VILLAGE_A + "001"
GRID_B = "220102001002001"  # another village of the same township
SIBLING_GRID = "220103002001001"
GRID_C = VILLAGE_A + "002"  # a second grid of GRID's village
# Staff of the residents tests by the key a test knows them by: (username, role, area).
STAFF = {
    "worker": ("gw1", "grid_worker", GRID),
    "outsider": ("gw2", "grid_worker", GRID_B),
    "community": ("cw1", "community_worker", VILLAGE_A),
    "official": ("off1", "official", VILLAGE_A),
}
_seq = count(1)


def make_grids(session: Session, *extra: str, load_areas: bool = True) -> None:
    """GRID, GRID_B and any extra grid codes (small squares in their county), with the areas of the test
    slice unless they are loaded already (load_areas=False, e.g. on the `areas` fixture)."""
    if load_areas:
        load_world(session)
    for i, code in enumerate((GRID, GRID_B, *extra)):
        lon, lat = inside_point(code[:6])
        grids.create_grid(session, SYSTEM, code, f"网格{i + 1}", GridKind.residential, square(lon + 0.004 * i, lat))


def make_staff(session: Session, *keys: str) -> dict[str, User]:
    """The accounts of STAFF named by `keys`, each with its role: {key: user}."""
    return {key: make_user(session, *STAFF[key]) for key in keys}


def new_id(born: date = date(1980, 5, 17), region: str = "220102") -> str:
    return make_id(region, born, next(_seq))


def make_building(session: Session, grid: str = GRID, name: str = "幸福小区1号楼"):
    return households.create_building(session, SYSTEM, BuildingIn(area_code=grid, name=name, kind="compound", units=3))


def make_household(session: Session, grid: str = GRID, register_type: str = "local", address: str = "幸福路1号"):
    return households.create_household(
        session, SYSTEM, HouseholdIn(area_code=grid, register_type=register_type, address=address)
    )


def make_person(
    session: Session,
    household=None,
    *,
    name: str = "张伟",
    relation: str | None = "head",
    born: date = date(1980, 5, 17),
    id_number: str | None = None,
    phone: str | None = "13812345678",
    grid: str | None = None,
    tags: tuple[str, ...] = (),
):
    body = PersonIn(
        household_id=household.id if household is not None else None,
        area_code=grid if household is None else None,
        relation=relation if household is not None else None,
        name=name,
        id_number=id_number or new_id(born),
        phone=phone,
        tags=[TagIn(tag=t) for t in tags],
    )
    return service.register_person(session, SYSTEM, body)


def make_family(session: Session, grid: str = GRID, surname: str = "张"):
    """A household with a head, a spouse and a child; returns (household, [head, spouse, child])."""
    h = make_household(session, grid)
    head = make_person(session, h, name=surname + "伟", born=date(1970, 3, 1), tags=("veteran",))
    spouse = make_person(session, h, name="李娜", relation="spouse", born=date(1972, 8, 9), phone=None)
    child = make_person(session, h, name=surname + "小明", relation="child", born=date(2015, 1, 20), phone=None)
    return h, [head, spouse, child]
