"""events.service.transition, merge and supervise in the service, exactly: what each step stamps,
clears, counts, records and refuses, with its message (each property a mutation of them would break;
tools/mutation.sh)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.authz.principal import principal_for
from linli.events import photos, service
from linli.events import repository as events_repository
from linli.events.models import Event, EventCount, EventLog, HandlingUnit, UnitArea
from linli.events.schemas import TransitionIn
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.time import as_utc, utcnow
from tests.factories import SYSTEM
from tests.factories_events import as_principal, events_world, image_bytes, report

NOW = utcnow().replace(microsecond=0)


@pytest.fixture
def w(session, monkeypatch):
    world = events_world(session)
    world["as"] = {k: as_principal(session, u) for k, u in world["people"].items()}
    world["now"] = NOW
    monkeypatch.setattr(service, "utcnow", lambda: world["now"])
    return world


def step(session, w, who, event_id, action, **fields):
    return service.transition(session, w["as"][who], event_id, TransitionIn(action=action, **fields))


def new_event(session, w, **kw) -> Event:
    return report(session, w["as"]["resident"], w["point"], **kw)


def timeline(session, event_id) -> list[EventLog]:
    return list(session.scalars(select(EventLog).where(EventLog.event_id == event_id).order_by(EventLog.id)))


def last_audit(session, event_id) -> AuditEntry:
    q = select(AuditEntry).where(AuditEntry.entity_type == "event", AuditEntry.entity_id == str(event_id))
    return session.scalars(q.order_by(AuditEntry.seq.desc())).first()


def counts_agree(session) -> None:
    """The per-village state counts kept by the steps are those of the events themselves."""
    kept = {(a, s): n for a, s, n in session.execute(select(EventCount.area_code, EventCount.state, EventCount.n)) if n}
    village = func.substr(Event.area_code, 1, 12)
    real = session.execute(select(village, Event.state, func.count()).group_by(village, Event.state)).all()
    assert kept == {(v.ljust(15, "0"), s): n for v, s, n in real}


def at(w, **delta) -> None:
    w["now"] = NOW + timedelta(**delta)


# --- reading one event ---------------------------------------------------------------------------


def test_an_event_beyond_the_principal_or_unknown_is_not_found(session, w):
    ev = new_event(session, w)
    assert service.get_event(session, w["as"]["street"], ev.id) is ev
    for who, event_id in (("sibling", ev.id), ("street", 987654)):
        with pytest.raises(NotFound) as exc:
            service.get_event(session, w["as"][who], event_id)
        assert exc.value.message == f"event {event_id} does not exist"


def test_a_step_locks_the_event_and_a_merge_its_target(session, w, monkeypatch):
    locked = []
    real = events_repository.event

    def spy(session, event_id, scope, *, for_update=False):
        locked.append((event_id, for_update))
        return real(session, event_id, scope, for_update=for_update)

    a, b = new_event(session, w), new_event(session, w, title="另一处")
    monkeypatch.setattr(events_repository, "event", spy)
    service.get_event(session, w["as"]["street"], a.id)
    assert locked == [(a.id, False)]
    step(session, w, "street", a.id, "merge", into_id=b.id)
    assert locked[1:] == [(a.id, True), (b.id, True)]


# --- what each step records ------------------------------------------------------------------------


def test_each_step_stamps_its_time_and_records_its_data(session, w):
    ev = new_event(session, w)
    unit = w["unit"]
    assert ev.registered_at is None
    at(w, minutes=1)
    step(session, w, "street", ev.id, "register", reason=" 转办 ")
    assert ev.state == "registered" and as_utc(ev.registered_at) == w["now"]
    entry = timeline(session, ev.id)[-1]
    assert (entry.action, entry.from_state, entry.to_state, entry.note) == (
        "register",
        "reported",
        "registered",
        "转办",
    )
    assert entry.actor == "street1" and entry.actor_id == w["people"]["street"].id
    assert json.loads(entry.data) == {"deadline": ev.stage_deadline.isoformat()}
    audit = last_audit(session, ev.id)
    assert (audit.action, audit.actor, audit.area_code) == ("event.register", "street1", ev.area_code)
    assert json.loads(audit.before) == {"state": "reported"}
    assert json.loads(audit.after) == {"state": "registered", "note": "转办", "deadline": ev.stage_deadline.isoformat()}

    at(w, minutes=2)
    step(session, w, "street", ev.id, "dispatch", unit_id=unit.id)
    assert (ev.unit_id, as_utc(ev.dispatched_at)) == (unit.id, w["now"])
    assert json.loads(timeline(session, ev.id)[-1].data) == {
        "unit_id": unit.id,
        "unit": unit.name,
        "deadline": ev.stage_deadline.isoformat(),
    }
    at(w, minutes=3)
    step(session, w, "handler", ev.id, "accept")
    accepted_at = w["now"]
    assert as_utc(ev.accepted_at) == accepted_at
    at(w, minutes=4)
    step(session, w, "handler", ev.id, "handle", report="  已清运  ")
    assert as_utc(ev.handled_at) == w["now"] and timeline(session, ev.id)[-1].note == "已清运"
    at(w, minutes=5)
    step(session, w, "gridworker", ev.id, "verify", passed=False, note="仍有残留")
    # Back to handling: the acceptance keeps its first time, and nothing was verified.
    assert ev.state == "accepted" and as_utc(ev.accepted_at) == accepted_at and ev.verified_at is None
    entry = timeline(session, ev.id)[-1]
    assert (entry.note, json.loads(entry.data)["passed"]) == ("仍有残留", False)
    step(session, w, "handler", ev.id, "handle", report="再次清理")
    at(w, minutes=6)
    step(session, w, "gridworker", ev.id, "verify", passed=True)
    assert ev.state == "verified" and as_utc(ev.verified_at) == w["now"]
    assert json.loads(timeline(session, ev.id)[-1].data)["passed"] is True
    at(w, minutes=7)
    step(session, w, "community", ev.id, "close")
    assert ev.state == "closed" and as_utc(ev.closed_at) == w["now"] and ev.stage_deadline is None
    entry = timeline(session, ev.id)[-1]
    assert (entry.data, entry.note) == (None, "")  # nothing to add, and no note given
    step(session, w, "resident", ev.id, "evaluate", satisfaction=4, comment="  还行 ")
    assert (ev.satisfaction, ev.evaluation) == (4, "还行")
    entry = timeline(session, ev.id)[-1]
    assert (entry.note, json.loads(entry.data)) == ("还行", {"satisfaction": 4})
    counts_agree(session)

    at(w, days=1)
    step(session, w, "resident", ev.id, "reopen", reason="又堆上了")
    assert ev.state == "dispatched" and as_utc(ev.dispatched_at) == w["now"]
    assert (ev.handled_at, ev.verified_at, ev.closed_at, ev.satisfaction) == (None, None, None, None)
    assert as_utc(ev.accepted_at) == accepted_at and ev.registered_at is not None
    assert ev.stage_deadline is not None
    counts_agree(session)


def test_an_evaluation_without_a_comment_has_none(session, w):
    ev = new_event(session, w)
    ev.state, ev.closed_at = "closed", NOW
    step(session, w, "resident", ev.id, "evaluate", satisfaction=5, comment="   ")
    assert (ev.satisfaction, ev.evaluation) == (5, None)
    assert timeline(session, ev.id)[-1].note == ""


def test_an_evaluation_given_no_comment_at_all_has_none(session, w):
    ev = new_event(session, w)
    ev.state, ev.closed_at = "closed", NOW
    step(session, w, "resident", ev.id, "evaluate", satisfaction=3)
    assert (ev.satisfaction, ev.evaluation) == (3, None)


def test_the_timeline_entry_of_a_step_has_the_time_the_step_stamped(session, w, monkeypatch):
    """One reading of the clock per step: the entry's time is the event's stamp even when the clock
    moves on between them (here one second per reading)."""
    ticks = iter(range(1000))
    monkeypatch.setattr(service, "utcnow", lambda: NOW + timedelta(seconds=next(ticks)))
    ev = new_event(session, w)
    step(session, w, "street", ev.id, "register")
    assert timeline(session, ev.id)[-1].at == ev.registered_at


def test_the_note_is_the_first_of_reason_note_report_and_comment(session, w):
    ev = new_event(session, w)
    step(session, w, "street", ev.id, "register", note=" 记一笔 ", comment="不是这个")
    assert timeline(session, ev.id)[-1].note == "记一笔"
    step(session, w, "street", ev.id, "cancel", reason="重复", note="不是这个")
    assert timeline(session, ev.id)[-1].note == "重复"


# --- reopening -------------------------------------------------------------------------------------------


def test_an_event_reopens_within_the_window_only(session, w):
    ev = new_event(session, w)
    ev.state, ev.closed_at = "closed", NOW
    at(w, days=7)  # the last moment of the window (LINLI_EVENT_REOPEN_DAYS, 7)
    step(session, w, "resident", ev.id, "reopen", reason="again")
    assert ev.state == "dispatched"

    late = new_event(session, w)
    late.state, late.closed_at = "closed", NOW
    at(w, days=7, seconds=1)
    with pytest.raises(Conflict) as exc:
        step(session, w, "resident", late.id, "reopen", reason="again")
    assert exc.value.message == "an event may be reopened within 7 days of closing; that time has passed"
    assert late.state == "closed"


def test_an_event_closed_without_a_time_does_not_reopen(session, w):
    ev = new_event(session, w)
    ev.state, ev.closed_at = "evaluated", None
    with pytest.raises(Conflict):
        step(session, w, "resident", ev.id, "reopen", reason="again")


# --- merging ----------------------------------------------------------------------------------------------


def test_a_merge_counts_the_duplicates_into_the_survivor(session, w):
    a, b = new_event(session, w), new_event(session, w, title="另一处")
    a.me_too_count, b.me_too_count = 2, 3
    step(session, w, "street", a.id, "merge", into_id=b.id)
    assert (a.state, a.merged_into_id, b.me_too_count) == ("merged", b.id, 6)
    assert json.loads(timeline(session, a.id)[-1].data) == {"into_id": b.id}
    assert a.stage_deadline is None
    counts_agree(session)


def test_a_merge_is_refused_into_itself_a_finished_event_or_one_beyond_the_manager(session, w):
    a, b = new_event(session, w), new_event(session, w, title="另一处")
    with pytest.raises(InvalidInput) as exc:
        step(session, w, "street", a.id, "merge", into_id=a.id)
    assert exc.value.message == "an event cannot be merged into itself"
    with pytest.raises(NotFound) as exc:
        step(session, w, "street", a.id, "merge", into_id=987654)
    assert exc.value.message == "event 987654 does not exist"

    b.state = "rejected"
    with pytest.raises(Conflict) as exc:
        step(session, w, "street", a.id, "merge", into_id=b.id)
    assert exc.value.message == f"event {b.id} is rejected; merge into an open event"
    b.state, b.merged_into_id = "registered", a.id  # an open event already merged elsewhere
    with pytest.raises(Conflict) as exc:
        step(session, w, "street", a.id, "merge", into_id=b.id)
    assert exc.value.message == f"event {b.id} is registered; merge into an open event"

    # The target in a village the community worker sees (as the grid worker's colleague) but does not manage.
    c = new_event(session, w, title="第三处")
    c.area_code = codes.pad("220102001002")
    cw = w["people"]["community"]
    reader = principal_for(cw.id, cw.username, [("community_worker", "220102001001"), ("auditor", "220102")])
    with pytest.raises(Forbidden) as exc:
        service.transition(session, reader, a.id, TransitionIn(action="merge", into_id=c.id))
    assert exc.value.message == "you may not register, dispatch and supervise events here (permission events.manage)"
    narrow = principal_for(cw.id, cw.username, [("community_worker", "220102001001")])
    with pytest.raises(NotFound) as exc:
        service.transition(session, narrow, a.id, TransitionIn(action="merge", into_id=c.id))
    assert exc.value.message == f"event {c.id} does not exist"
    assert a.state == "reported" and a.merged_into_id is None


# --- dispatching -----------------------------------------------------------------------------------------


def test_dispatch_goes_to_the_routed_unit_unless_another_is_named(session, w):
    ev = new_event(session, w)
    routed = ev.unit_id
    assert routed is not None
    step(session, w, "street", ev.id, "register")
    step(session, w, "street", ev.id, "dispatch")
    assert ev.unit_id == routed


def test_dispatch_refuses_a_unit_missing_retired_or_not_serving_the_place(session, w):
    ev = new_event(session, w)
    step(session, w, "street", ev.id, "register")
    ev.unit_id = None
    with pytest.raises(InvalidInput) as exc:
        step(session, w, "street", ev.id, "dispatch")
    assert (exc.value.code, exc.value.message) == ("unknown_unit", "handling unit None does not exist")
    # A unit named by id that does not exist reads like one out of the dispatcher's reach: 404.
    with pytest.raises(NotFound) as exc:
        step(session, w, "street", ev.id, "dispatch", unit_id=987654)
    assert exc.value.message == "handling unit 987654 does not exist"
    w["unit"].active = False
    with pytest.raises(InvalidInput) as exc:
        step(session, w, "street", ev.id, "dispatch", unit_id=w["unit"].id)
    assert (exc.value.code, exc.value.message) == ("unknown_unit", f"handling unit {w['unit'].id} does not exist")
    w["unit"].active = True

    # Another county's unit is out of the street official's reach: 404, as for a unit that does not exist.
    far = HandlingUnit(name="朝阳区水务局", kind="county_department", area_code=codes.pad("220104"), active=True)
    session.add(far)
    session.flush()
    with pytest.raises(NotFound) as exc:
        step(session, w, "street", ev.id, "dispatch", unit_id=far.id)
    assert exc.value.message == f"handling unit {far.id} does not exist"
    # A unit in reach (another community of the street) that does not serve the event's place.
    beside = HandlingUnit(name="二社区物业", kind="property_company", area_code=codes.pad("220102001002"), active=True)
    session.add(beside)
    session.flush()
    with pytest.raises(InvalidInput) as exc:
        step(session, w, "street", ev.id, "dispatch", unit_id=beside.id)
    assert exc.value.code == "unit_not_serving"
    assert exc.value.message == "二社区物业 does not serve the place of this event"
    assert ev.state == "registered" and ev.dispatched_at is None
    # A unit also serves the areas listed for it.
    session.add(UnitArea(unit_id=far.id, area_code=codes.pad("220102001")))
    session.flush()
    step(session, w, "street", ev.id, "dispatch", unit_id=far.id)
    assert ev.unit_id == far.id


def test_serves_its_own_subtree_and_the_listed_areas(session, w):
    unit = w["unit"]  # 220102
    assert service.serves(session, unit, codes.pad("220102001001"))
    assert not service.serves(session, unit, codes.pad("220103001"))
    session.add(UnitArea(unit_id=unit.id, area_code=codes.pad("220103001")))
    session.flush()
    assert service.serves(session, unit, codes.pad("220103001001"))
    assert not service.serves(session, unit, codes.pad("220103002"))


# --- photos --------------------------------------------------------------------------------------------


def test_photos_are_attached_when_handling_only(session, w):
    ev = new_event(session, w)
    step(session, w, "street", ev.id, "register")
    step(session, w, "street", ev.id, "dispatch", unit_id=w["unit"].id)
    photo = photos.upload(session, w["as"]["handler"], image_bytes())
    with pytest.raises(InvalidInput) as exc:
        step(session, w, "handler", ev.id, "accept", photo_ids=[photo.id])
    assert exc.value.message == "photos are added when reporting or handling an event"
    assert photo.event_id is None
    step(session, w, "handler", ev.id, "accept")
    step(session, w, "handler", ev.id, "handle", report="done", photo_ids=[photo.id])
    assert (photo.event_id, photo.area_code, photo.stage) == (ev.id, ev.area_code, "handling")
    assert json.loads(timeline(session, ev.id)[-1].data)["photo_ids"] == [photo.id]


# --- supervision ---------------------------------------------------------------------------------------


def test_supervision_by_a_manager_of_an_open_event(session, w):
    ev = new_event(session, w)
    entry = service.supervise(session, w["as"]["county"], ev.id, "  请尽快处理 ")
    assert (entry.action, entry.from_state, entry.to_state, entry.note) == (
        "supervise",
        "reported",
        "reported",
        "请尽快处理",
    )
    assert entry.actor == "county1"
    assert last_audit(session, ev.id).action == "event.supervise"
    with pytest.raises(Forbidden) as exc:
        service.supervise(session, w["as"]["gridworker"], ev.id, "x")
    assert exc.value.message == "you may not register, dispatch and supervise events here (permission events.manage)"
    with pytest.raises(NotFound) as exc:
        service.supervise(session, w["as"]["sibling"], ev.id, "x")
    assert exc.value.message == f"event {ev.id} does not exist"
    ev.state = "closed"
    with pytest.raises(Conflict) as exc:
        service.supervise(session, w["as"]["county"], ev.id, "x")
    assert exc.value.message == f"event {ev.id} is closed; only open events are supervised"


def test_the_system_principal_takes_any_step(session, w):
    ev = new_event(session, w)
    service.transition(session, SYSTEM, ev.id, TransitionIn(action="register"))
    assert ev.state == "registered"
