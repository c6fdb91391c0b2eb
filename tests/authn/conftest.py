"""The accounts of the sign-in tests, on the areas of the test slice."""

from __future__ import annotations

import pytest

from tests.factories import make_user


@pytest.fixture
def alice(areas):
    user = make_user(areas, "alice", "admin", "220102")
    areas.commit()
    return user


@pytest.fixture
def bob(areas):
    user = make_user(areas, "bob", "grid_worker", "220102001")
    areas.commit()
    return user
