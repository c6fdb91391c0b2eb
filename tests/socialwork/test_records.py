"""Service records: only staff log them, of a service the station offers, with hours above 0 and no more
than 24 in a day (alone and with the staff member's other records of that day); a beneficiary from the
register under the station, named (never with an ID number) to those who may read the register there."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from linli.kit.errors import Forbidden, InvalidInput, NotFound
from linli.socialwork import reads
from linli.socialwork.models import ServiceRecord
from tests.factories_residents import GRID, SIBLING_GRID, make_grids, make_person
from tests.factories_socialwork import record, sw_world


@pytest.fixture
def w(areas):
    make_grids(areas, SIBLING_GRID, load_areas=False)
    return sw_world(areas)


def _records(session) -> int:
    return session.scalar(select(func.count()).select_from(ServiceRecord))


@pytest.mark.parametrize("hours", ["0", "-1.5", "24.5", "100"])
def test_hours_at_or_below_zero_or_over_a_day_are_refused(session, w, hours):
    with pytest.raises(InvalidInput, match="more than 0 and at most 24"):
        record(session, w["p"]["worker"], w["stations"]["station"].id, hours=hours)
    assert _records(session) == 0


def test_no_more_than_24_hours_in_a_day_for_one_staff_member(session, w):
    st, who = w["stations"]["station"].id, w["p"]["worker"]
    record(session, who, st, hours="24")
    with pytest.raises(InvalidInput, match="more than 24 in a day"):
        record(session, who, st, hours="0.5")
    record(session, who, st, hours="8", day=date.today() - timedelta(days=1))  # another day is its own
    assert _records(session) == 2


def test_only_staff_log_records(session, w):
    st = w["stations"]["station"].id
    with pytest.raises(Forbidden, match="only the staff"):
        record(session, w["p"]["other"], st)  # a community worker of the street, not on the staff
    with pytest.raises(NotFound, match="does not exist"):
        record(session, w["p"]["far"], st)  # staff of the other street's station: this one is out of reach
    with pytest.raises(NotFound, match="does not exist"):
        record(session, w["p"]["sibling"], st)  # the sibling county: as if missing
    assert _records(session) == 0
    record(session, w["p"]["centre"], st)  # the county centre's staff log for the county's stations
    with pytest.raises(InvalidInput, match="does not offer"):  # the station's staff work in its rooms too,
        record(session, w["p"]["worker"], w["stations"]["room"].id)  # for the services the room offers
    assert _records(session) == 1


def test_a_service_the_station_does_not_offer_and_other_bounds(session, w):
    st, who = w["stations"]["station"].id, w["p"]["worker"]
    with pytest.raises(InvalidInput, match="does not offer"):
        record(session, who, st, kind="assistance")
    with pytest.raises(InvalidInput, match="today or earlier"):
        record(session, who, st, day=date.today() + timedelta(days=1))
    with pytest.raises(InvalidInput, match="opened on"):
        record(session, who, st, day=date(2023, 12, 31))
    with pytest.raises(InvalidInput, match="from 1 to"):
        record(session, who, st, beneficiaries=0)
    assert _records(session) == 0


def test_a_beneficiary_of_the_register_is_named_to_register_readers_only(session, w):
    st = w["stations"]["station"].id
    person = make_person(session, None, name="受助人", relation=None, grid=GRID)
    outsider = make_person(session, None, name="邻县居民", relation=None, grid=SIBLING_GRID)
    with pytest.raises(NotFound, match="does not exist"):
        record(session, w["p"]["worker"], st, person_id=outsider.id)
    record(session, w["p"]["worker"], st, person_id=person.id, content="入户探访")
    seen, _ = reads.records(session, w["p"]["worker"], st)
    assert [(v.person_name, v.staff_name) for v in seen] == [("受助人", "王社工")]
    from linli.authz.principal import principal_for

    auditor = principal_for(None, "sw_aud", [("auditor", "220102001")])  # auditors read the register
    assert reads.records(session, auditor, st)[0][0].person_name == "受助人"
    from linli.socialwork.schemas import RecordOut

    assert not any("id" in f and "number" in f for f in RecordOut.model_fields)  # never an ID number
