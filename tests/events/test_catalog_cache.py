"""The per-process catalogue snapshot follows every change: in the changing transaction at once,
in every other transaction after the commit."""

from __future__ import annotations

from linli.db.meta import get_meta
from linli.events import catalog
from linli.events.catalog_cache import CATALOG, VERSION_KEY
from linli.events.schemas import LimitsIn, RuleIn, UnitIn
from tests.factories import SYSTEM
from tests.factories_events import as_principal, events_world, report


def test_a_new_rule_routes_the_next_report_after_commit(session_factory):
    s = session_factory()
    world = events_world(s)
    s.commit()
    resident = as_principal(s, world["people"]["resident"])
    first = report(s, resident, world["point"], category="0301")
    s.commit()
    assert first.unit_id != world["unit"].id  # no rule yet: the township's dispatch desk
    version = get_meta(s, VERSION_KEY)
    assert CATALOG.for_session(s).version == version  # cached under the committed version
    s.commit()  # a transaction keeps the catalogue it started with; the next request starts afresh

    other = session_factory()  # another request (or process) adds a rule
    catalog.create_rule(other, SYSTEM, RuleIn(category_code="0301", area_code="220102", unit_id=world["unit"].id))
    other.commit()
    other.close()

    second = report(s, resident, world["point"], category="0301")
    s.commit()
    assert second.unit_id == world["unit"].id
    assert get_meta(s, VERSION_KEY) != version
    s.close()


def test_the_changing_transaction_sees_its_own_change_before_commit(session):
    world = events_world(session)
    session.commit()
    resident = as_principal(session, world["people"]["resident"])
    CATALOG.for_session(session)  # warm the cache
    unit = catalog.create_unit(session, SYSTEM, UnitIn(name="供水公司", kind="utility", area_code="220102"))
    catalog.create_rule(session, SYSTEM, RuleIn(category_code="0301", area_code="220102", unit_id=unit.id))
    assert report(session, resident, world["point"], category="0301").unit_id == unit.id


def test_changed_limits_give_the_next_report_its_deadline(session_factory):
    s = session_factory()
    world = events_world(s)
    s.commit()
    resident = as_principal(s, world["people"]["resident"])
    before = report(s, resident, world["point"], category="0301")
    s.commit()
    other = session_factory()
    catalog.set_limits(
        other,
        SYSTEM,
        "0301",
        LimitsIn(
            area_code="220102",
            register_limit=5,
            register_unit="days",
            handle_limit=1,
            handle_unit="days",
            verify_limit=1,
            verify_unit="days",
        ),
    )
    other.commit()
    other.close()
    after = report(s, resident, world["point"], category="0301")
    s.commit()
    assert after.stage_deadline > before.stage_deadline  # 5 working days to register, not hours
    s.close()


def test_a_rolled_back_change_leaves_the_cache_as_it_was(session_factory):
    s = session_factory()
    world = events_world(s)
    s.commit()
    version = get_meta(s, VERSION_KEY)
    other = session_factory()
    catalog.create_unit(other, SYSTEM, UnitIn(name="临时单位", kind="utility", area_code="220102"))
    other.rollback()
    other.close()
    assert get_meta(s, VERSION_KEY) == version
    assert "临时单位" not in CATALOG.for_session(s).unit_names.values()
    assert world["unit"].name in CATALOG.for_session(s).unit_names.values()
    s.close()


def test_the_limit_fields_are_declared_once_per_layer_and_alike():
    """The stage limits are the columns of models.StageLimitColumns and the fields of schemas.StageLimits:
    the categories, the areas' own limits, the API's bodies and the snapshot all take them from there."""
    from linli.events.catalog_cache import CategoryInfo
    from linli.events.models import CategoryLimit, EventCategory, StageLimitColumns
    from linli.events.schemas import CategoryOut, LimitsOut, StageLimits

    fields = list(StageLimits.model_fields)
    assert fields == [n for n in vars(StageLimitColumns) if n.endswith(("_limit", "_unit"))]
    for model in (EventCategory, CategoryLimit):
        assert set(fields) <= set(model.__table__.columns.keys())
    for schema in (CategoryOut, LimitsIn, LimitsOut):
        assert issubclass(schema, StageLimits)
    assert CategoryInfo.__dataclass_fields__["limits"].type in ("StageLimits", StageLimits)
    limits = StageLimits(
        register_limit=2, register_unit="hours", handle_limit=3, handle_unit="days", verify_limit=4, verify_unit="hours"
    )
    assert limits.of("handle") == (3, "days") and StageLimits.of_row(limits) == limits


def test_the_changing_transaction_keeps_its_own_catalogue_until_it_changes_again(session):
    """The demo writes its catalogue and then 3,000 events in one transaction: reloading the whole
    catalogue for each of them took 36 of the demo's 60 seconds."""
    world = events_world(session)
    session.commit()
    catalog.create_unit(session, SYSTEM, UnitIn(name="供水公司", kind="utility", area_code="220102"))
    own = CATALOG.for_session(session)
    assert own.version is None and "供水公司" in own.unit_names.values()
    assert CATALOG.for_session(session) is own  # nothing changed since: not loaded again
    catalog.create_unit(session, SYSTEM, UnitIn(name="燃气公司", kind="utility", area_code="220102"))
    again = CATALOG.for_session(session)
    assert again is not own and "燃气公司" in again.unit_names.values()
    # A savepoint's rollback undoes a change the transaction's catalogue held.
    savepoint = session.begin_nested()
    catalog.create_unit(session, SYSTEM, UnitIn(name="临时单位", kind="utility", area_code="220102"))
    assert "临时单位" in CATALOG.for_session(session).unit_names.values()
    savepoint.rollback()
    after = CATALOG.for_session(session)
    assert "临时单位" not in after.unit_names.values() and "燃气公司" in after.unit_names.values()
    assert world["unit"].name in after.unit_names.values()
