"""The demo: a county centre and a township station with staff (one the demo account), services, rooms,
records and cases in three states, marked generated, once. Run on the test slice's county (the real
demo's 农安县 is not in it)."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.socialwork import demo
from linli.socialwork.models import Case, ServiceRecord, Staff, Station
from tests.factories import SYSTEM


def test_the_demo_station_once(session, areas, monkeypatch):
    monkeypatch.setattr(demo, "COUNTY", "220102")
    monkeypatch.setattr(demo, "TOWN", "220102001")
    said = []
    demo.step(session, SYSTEM, said.append)
    demo.step(session, SYSTEM, said.append)  # a second run adds nothing
    levels = dict(session.execute(select(Station.level, func.count()).group_by(Station.level)).all())
    assert levels == {"centre": 1, "station": 1, "room": 2}
    assert session.scalar(select(func.count()).where(Station.generated.is_(False))) == 0
    assert session.scalar(select(func.count()).select_from(Staff).where(Staff.user_id.is_not(None))) == 1
    assert session.scalar(select(func.count()).select_from(ServiceRecord)) == 12
    states = dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
    assert states == {"opened": 1, "planned": 1, "closed": 1}
    assert len(said) == 1 and "marked generated" in said[0]
