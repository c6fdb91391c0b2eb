"""Cases hold personal data: only the station's staff and the county centre's see and write them (403 for
anyone else in reach, 404 beyond it); a case moves opened → assessed → plan made → closed, each step a
dated record by staff, and takes nothing once closed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.socialwork import reads, service
from linli.socialwork.models import Case, CaseEntry
from linli.socialwork.schemas import EntryIn
from tests.factories_socialwork import open_case, sw_world


@pytest.fixture
def w(areas):
    return sw_world(areas)


def _entries(session) -> int:
    return session.scalar(select(func.count()).select_from(CaseEntry))


def test_a_case_record_by_non_staff_is_refused(session, w):
    st = w["stations"]["station"].id
    with pytest.raises(Forbidden, match="only the staff"):
        open_case(session, w["p"]["other"], st)
    assert session.scalar(select(func.count()).select_from(Case)) == 0
    case = open_case(session, w["p"]["worker"], st)
    before = _entries(session)
    with pytest.raises(Forbidden, match="only the staff"):
        service.cases.add_entry(session, w["p"]["other"], case.id, EntryIn(step="note", text="不是社工"))
    with pytest.raises(NotFound, match="does not exist"):
        service.cases.add_entry(session, w["p"]["sibling"], case.id, EntryIn(step="note", text="邻县"))
    assert _entries(session) == before


def test_the_station_and_the_centre_see_a_case_others_do_not(session, w):
    case = open_case(session, w["p"]["worker"], w["stations"]["station"].id, client="刘某")
    assert reads.case(session, w["p"]["worker"], case.id).client_name == "刘某"
    assert reads.case(session, w["p"]["centre"], case.id).worker_name == "王社工"
    with pytest.raises(Forbidden):
        reads.case(session, w["p"]["other"], case.id)
    with pytest.raises(NotFound):
        reads.case(session, w["p"]["far"], case.id)
    assert reads.station_view(session, w["p"]["other"], w["stations"]["station"].id).cases == []
    assert [c.id for c in reads.station_view(session, w["p"]["worker"], w["stations"]["station"].id).cases] == [case.id]


def test_steps_in_order_then_closed(session, w):
    who = w["p"]["worker"]
    case = open_case(session, who, w["stations"]["station"].id, opened_on=date.today() - timedelta(days=10))
    with pytest.raises(InvalidInput, match="follows"):
        service.cases.add_entry(session, who, case.id, EntryIn(step="planned", text="先计划"))
    with pytest.raises(InvalidInput, match="between the case's opening and today"):
        service.cases.add_entry(
            session, who, case.id, EntryIn(step="assessed", text="评估", on=date.today() - timedelta(days=11))
        )
    for step in ("assessed", "note", "planned", "closed"):
        service.cases.add_entry(session, who, case.id, EntryIn(step=step, text=step))
    assert (case.status, case.closed_on) == ("closed", date.today())
    with pytest.raises(Conflict, match="closed"):
        service.cases.add_entry(session, who, case.id, EntryIn(step="note", text="再记"))
    assert [e.step for e, _ in reads.case(session, who, case.id).entries] == [
        "opened", "assessed", "note", "planned", "closed",
    ]  # fmt: skip


def test_a_case_names_its_client_one_way_and_a_case_worker_of_the_station(session, w):
    st, who = w["stations"]["station"].id, w["p"]["worker"]
    with pytest.raises(InvalidInput, match="name the client"):
        open_case(session, who, st, client="")
    with pytest.raises(InvalidInput, match="case worker"):
        open_case(session, who, st, worker_id=w["staff"]["far"].id)
    case = open_case(session, who, st, worker_id=w["staff"]["plain"].id)
    assert case.worker_id == w["staff"]["plain"].id


def test_the_audit_keeps_ids_and_steps_never_a_case_text_or_a_name(session, w):
    from linli.audit.models import AuditEntry

    case = open_case(session, w["p"]["worker"], w["stations"]["station"].id, client="吴某某", summary="家暴风险")
    service.cases.add_entry(session, w["p"]["worker"], case.id, EntryIn(step="assessed", text="高风险评估"))
    q = (
        select(AuditEntry.action, AuditEntry.before, AuditEntry.after)
        .where(AuditEntry.action.like("socialwork.case%"))
        .order_by(AuditEntry.seq)  # the chain's order (one transaction: both entries have the same time)
    )
    found = session.execute(q).all()
    assert [a for a, _, _ in found] == ["socialwork.case_open", "socialwork.case_entry"]
    text = " ".join(f"{b} {a}" for _, b, a in found)
    assert "吴某某" not in text and "家暴" not in text and "高风险" not in text and '"step": "assessed"' in text
