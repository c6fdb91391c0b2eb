"""Generated demo residents: valid, consistent, marked as generated, shaped like a county."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from linli.kit.errors import Conflict
from linli.residents import pii
from linli.residents.demo import generate_county_residents
from linli.residents.idcard import parse_id
from linli.residents.models import Household, Person, PersonTag
from linli.residents.service import age_on
from tests.factories import SYSTEM
from tests.factories_residents import GRID, make_grids


def test_demo_residents_are_valid_and_marked(session):
    make_grids(session, "220102001001002", "220102002001001")
    n = generate_county_residents(session, SYSTEM, "220102", persons=600, busy_grid=GRID)
    persons = session.scalars(select(Person)).all()
    assert n == len(persons) and 450 <= n <= 900
    today = date.today()
    ages = []
    for p in persons:
        parsed = parse_id(pii.open_id(p.id_number_enc, reveal=True))
        assert parsed.region == "220102" and parsed.birth_date == p.birth_date and parsed.gender == p.gender
        assert p.generated and p.area_code.startswith("220102")
        ages.append(age_on(p.birth_date, today))
    bands = Counter("child" if a < 15 else "old" if a >= 60 else "adult" for a in ages)
    assert bands["child"] > 0.05 * n and bands["old"] > 0.15 * n and bands["adult"] > 0.4 * n
    heads = session.execute(select(Household.id, Household.head_person_id, Household.generated)).all()
    assert all(h.head_person_id and h.generated for h in heads)
    assert session.scalar(select(func.count()).select_from(Household).where(Household.area_code == GRID)) >= 40
    assert session.scalar(select(func.count()).select_from(PersonTag)) > 0
    with pytest.raises(Conflict):
        generate_county_residents(session, SYSTEM, "220102")
