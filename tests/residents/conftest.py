"""Layers of the residents tests, on the shared `areas`: `grids`, then a `family` on them, then each
module's own `world` (its people, households and tokens; staff from `make_staff`)."""

from __future__ import annotations

import pytest

from tests.factories_residents import make_family, make_grids


@pytest.fixture
def grids(areas):
    """GRID and GRID_B (two villages of one township). A module that needs more grids overrides this
    fixture (e.g. `make_grids(areas, SIBLING_GRID)`)."""
    make_grids(areas, load_areas=False)


@pytest.fixture
def family(areas, grids):
    """A household in GRID with a head (a veteran), a spouse and a child: (household, [head, spouse, child])."""
    return make_family(areas)
