"""The demo facilities: marked generated, real-looking areas with a few communities under 500 m², a
happy-community site, an elderly university branch with classes, one full, and enrolments."""

from __future__ import annotations

from sqlalchemy import select

from linli.facilities import demo, reads
from linli.facilities.models import Branch, ElderClass, Enrolment, Facility, HappySite
from tests.factories import SYSTEM
from tests.factories_facilities import add_villages


def test_demo_facilities_site_and_classes(session, areas):
    add_villages(session, n=5)
    said = []
    demo.step(session, SYSTEM, said.append)
    facilities = session.scalars(select(Facility)).all()
    assert facilities and all(f.generated and "演示" in f.name for f in facilities)
    report = reads.report(session, SYSTEM, "22").total
    assert report.communities_with_facility >= 6 and 0 < report.over_500 < report.communities_with_facility
    assert report.villages_with_facility == 5 and 170 <= report.village_average <= 400
    site = session.scalars(select(HappySite)).one()
    assert site.generated and site.area_code.startswith(demo.HUAYANG)
    assert session.scalars(select(Branch)).one().generated
    classes = reads.branch_outs(session, session.scalars(select(Branch)).all())[0].classes
    assert len(classes) == 3 and any(c.seats_left == 0 for c in classes)
    assert all(c.generated for c in session.scalars(select(ElderClass)))
    assert session.scalars(select(Enrolment)).all()
    demo.step(session, SYSTEM, said.append)  # a second run adds nothing
    assert len(session.scalars(select(Facility)).all()) == len(facilities)
