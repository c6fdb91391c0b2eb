"""The figures roll up by child area from the rows, inside the reader's scope: stations and rooms, staff
and certified staff, records and hours, open cases."""

from __future__ import annotations

import pytest

from linli.socialwork import counts, service
from linli.socialwork.schemas import EntryIn
from tests.factories import SYSTEM
from tests.factories_socialwork import COUNTY, open_case, record, station, sw_world


@pytest.fixture
def w(areas):
    return sw_world(areas)


def test_figures_by_child_and_total(session, w):
    record(session, w["p"]["worker"], w["stations"]["station"].id, hours="2.5")
    record(session, w["p"]["centre"], w["stations"]["station"].id, hours="1")
    open_case(session, w["p"]["worker"], w["stations"]["station"].id)
    closed = open_case(session, w["p"]["worker"], w["stations"]["station"].id)
    service.cases.add_entry(session, w["p"]["worker"], closed.id, EntryIn(step="closed", text="结案"))
    station(session, "220103002", "邻县社工站")
    rows, total = counts.by_child(session, SYSTEM.scope(), COUNTY)
    by = {r.code: r.figures for r in rows}
    assert by[COUNTY] == {"stations": 1, "rooms": 0, "staff": 1, "certified": 1, "records": 0, "hours": 0,
                          "open_cases": 0}  # fmt: skip
    assert by["220102001"] == {"stations": 1, "rooms": 1, "staff": 2, "certified": 1, "records": 2, "hours": 3.5,
                               "open_cases": 1}  # fmt: skip
    assert by["220102002"]["stations"] == 1 and by["220102002"]["staff"] == 1
    assert total.figures["stations"] == 3 and total.figures["staff"] == 4 and total.figures["hours"] == 3.5
    province, _ = counts.by_child(session, SYSTEM.scope(), "22")
    assert {r.code: r.figures["stations"] for r in province} == {"2201": 4}
    street, street_total = counts.by_child(session, w["p"]["worker"].scope(), "2201")  # the reader's reach only
    assert street_total.figures["stations"] == 1 and street_total.figures["rooms"] == 1
