"""The event state machine and who may take each step, as tables a person can check against the
standard (GB/T 30428): every state against every action, every role against every action. No
database: `authorize` gets a stand-in event, and unit membership a stand-in lookup.

Written so that a changed gate, target, required field or permission fails here (tools/mutation.sh).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from linli.authz.permissions import Permission, Role
from linli.authz.principal import principal_for, system_principal
from linli.events import repository as events_repository
from linli.events import service
from linli.events.workflow import (
    ACTIONS,
    FINAL_STATES,
    OPEN_STATES,
    STAGE_OF_STATE,
    STATES,
    allowed_actions,
    plan,
    target_of,
)
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound

# The steps allowed from each state, in the order the workflow lists them.
NEXT = {
    "reported": ["register", "reject", "cancel", "merge"],
    "registered": ["cancel", "merge", "dispatch"],
    "rejected": [],
    "cancelled": [],
    "merged": [],
    "dispatched": ["accept", "return"],
    "returned": ["dispatch"],
    "accepted": ["handle"],
    "handled": ["verify"],
    "verified": ["close"],
    "closed": ["evaluate", "reopen"],
    "evaluated": ["reopen"],
}
# Where each action leads, and the fields that make it complete.
TARGET = {
    "register": "registered",
    "reject": "rejected",
    "cancel": "cancelled",
    "merge": "merged",
    "dispatch": "dispatched",
    "accept": "accepted",
    "return": "returned",
    "handle": "handled",
    "verify": "verified",
    "close": "closed",
    "evaluate": "evaluated",
    "reopen": "dispatched",
}
REQUIRES = {
    "register": (),
    "reject": ("reason",),
    "cancel": ("reason",),
    "merge": ("into_id",),
    "dispatch": (),
    "accept": (),
    "return": ("reason",),
    "handle": ("report",),
    "verify": ("passed",),
    "close": (),
    "evaluate": ("satisfaction",),
    "reopen": ("reason",),
}
COMPLETE = {"reason": "r", "into_id": 2, "report": "done", "passed": True, "satisfaction": 4}
# Who may take each step over the event's place (not being its reporter; a handler as a member of the
# event's unit). evaluate and reopen are the reporter's alone.
MAY = {
    Role.admin: {"register", "reject", "cancel", "merge", "dispatch", "accept", "return", "handle", "verify", "close"},
    Role.official: {
        "register", "reject", "cancel", "merge", "dispatch", "accept", "return", "handle", "verify", "close",
    },
    Role.community_worker: {"register", "reject", "cancel", "merge", "dispatch", "verify", "close"},
    Role.grid_worker: {"verify"},
    Role.department_handler: {"accept", "return", "handle"},
    Role.auditor: set(),
    Role.resident: set(),
    Role.warning_issuer: set(),
    Role.org_contact: set(),
    Role.safety_appointee: set(),
}  # fmt: skip
PLACE = "220102001001"
REPORTER, STAFF, UNIT = 41, 42, 9


def event(*, reporter_id=REPORTER, unit_id=UNIT, area=PLACE, state="reported"):
    return SimpleNamespace(id=5, reporter_id=reporter_id, unit_id=unit_id, area_code=codes.pad(area), state=state)


@pytest.fixture
def members(monkeypatch):
    """The members of handling units, as {(unit_id, user_id)}; is_member reads it."""
    found: set[tuple[int, int]] = set()
    monkeypatch.setattr(events_repository, "is_member", lambda _s, unit, user: (unit, user) in found)
    return found


# --- the states ------------------------------------------------------------------------------------


def test_the_states_and_which_are_open():
    assert set(NEXT) == set(STATES)
    assert OPEN_STATES == ("reported", "registered", "dispatched", "returned", "accepted", "handled", "verified")
    assert FINAL_STATES == ("rejected", "cancelled", "merged", "closed", "evaluated")
    assert STAGE_OF_STATE == {
        "reported": "register",
        "registered": "register",
        "returned": "register",
        "dispatched": "handle",
        "accepted": "handle",
        "handled": "verify",
        "verified": "register",
    }


@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_of_each_state(state):
    assert allowed_actions(state) == NEXT[state]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(TARGET))
def test_plan_allows_exactly_the_next_steps(state, action):
    fields = {f: COMPLETE[f] for f in REQUIRES[action]}
    if action in NEXT[state]:
        assert plan(state, action, fields) is ACTIONS[action]
    else:
        with pytest.raises(Conflict) as exc:
            plan(state, action, fields)
        assert exc.value.code == "invalid_transition"
        assert exc.value.details == {"state": state, "action": action, "allowed": NEXT[state]}


def test_a_wrong_state_names_the_allowed_steps():
    with pytest.raises(Conflict) as exc:
        plan("reported", "close", {})
    assert exc.value.message == (
        "cannot close an event that is reported; allowed next steps: register, reject, cancel, merge"
    )
    with pytest.raises(Conflict) as exc:
        plan("merged", "register", {})
    assert exc.value.message == (
        "cannot register an event that is merged; allowed next steps: none (the event is finished)"
    )
    assert exc.value.status == 409


def test_the_state_is_checked_before_the_fields():
    with pytest.raises(Conflict):
        plan("reported", "handle", {})


def test_an_unknown_action_lists_the_actions():
    with pytest.raises(InvalidInput) as exc:
        plan("reported", "fly", {})
    assert exc.value.code == "unknown_action"
    assert exc.value.message == (
        "unknown action 'fly'; actions are: register, reject, cancel, merge, dispatch, accept, return, handle, "
        "verify, close, evaluate, reopen"
    )


# --- the actions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(TARGET))
def test_each_action_leads_where_the_standard_says(action):
    a = ACTIONS[action]
    assert a.name == action
    fields = {f: COMPLETE[f] for f in REQUIRES[action]}
    assert target_of(a, fields) == TARGET[action]
    assert target_of(a, {**fields, "passed": True}) == TARGET[action]
    if action != "verify":
        assert target_of(a, {**fields, "passed": False}) == TARGET[action]


def test_a_failed_verification_goes_back_to_handling():
    verify = ACTIONS["verify"]
    assert target_of(verify, {"passed": True}) == "verified"
    assert target_of(verify, {"passed": False}) == "accepted"
    assert target_of(verify, {}) == "accepted"


@pytest.mark.parametrize("action", [a for a, req in REQUIRES.items() if req])
@pytest.mark.parametrize("empty", [None, ""])
def test_each_required_field_is_required(action, empty):
    state = next(s for s, steps in NEXT.items() if action in steps)
    for field in REQUIRES[action]:
        fields = {f: COMPLETE[f] for f in REQUIRES[action]} | {field: empty}
        with pytest.raises(InvalidInput) as exc:
            plan(state, action, fields)
        assert exc.value.code == "missing_fields"
        assert exc.value.details == [field]
        assert exc.value.message == f"{action} needs: {field}"


def test_no_field_is_required_of_the_steps_without_any():
    for action, req in REQUIRES.items():
        if not req:
            state = next(s for s, steps in NEXT.items() if action in steps)
            assert plan(state, action, {}) is ACTIONS[action]


def test_a_failed_verification_needs_a_note():
    for note in (None, "", "   "):
        with pytest.raises(InvalidInput) as exc:
            plan("handled", "verify", {"passed": False, "note": note})
        assert exc.value.details == ["note"] and exc.value.code == "missing_fields"
        assert exc.value.message == "verify needs: note"
    assert plan("handled", "verify", {"passed": False, "note": "仍有残留"}).name == "verify"
    assert plan("handled", "verify", {"passed": True}).name == "verify"
    assert plan("handled", "verify", {"passed": True, "note": " "}).name == "verify"
    # Without `passed` at all, only `passed` is named.
    with pytest.raises(InvalidInput) as exc:
        plan("handled", "verify", {})
    assert exc.value.details == ["passed"]


@pytest.mark.parametrize("satisfaction", [0, 6, -1, 2.5, "3"])
def test_satisfaction_is_one_to_five(satisfaction):
    with pytest.raises(InvalidInput) as exc:
        plan("closed", "evaluate", {"satisfaction": satisfaction})
    assert exc.value.message == "satisfaction is a whole number from 1 (very unsatisfied) to 5 (very satisfied)"


@pytest.mark.parametrize("satisfaction", [1, 2, 3, 4, 5])
def test_satisfaction_of_one_to_five_is_taken(satisfaction):
    assert plan("closed", "evaluate", {"satisfaction": satisfaction}).name == "evaluate"


@pytest.mark.parametrize(
    ("action", "state", "field"),
    [("reject", "reported", "reason"), ("handle", "accepted", "report"), ("reopen", "closed", "reason"),
     ("return", "dispatched", "reason")],
)  # fmt: skip
def test_a_reason_or_report_of_blanks_is_refused(action, state, field):
    with pytest.raises(InvalidInput) as exc:
        plan(state, action, {field: "  \n "})
    assert exc.value.code == "missing_fields" and exc.value.details == [field]
    assert exc.value.message == f"{action} needs a non-empty {field}"


def test_blank_fields_a_step_does_not_require_are_left_alone():
    assert plan("reported", "register", {"reason": " ", "report": " "}).name == "register"
    assert plan("accepted", "handle", {"report": "ok", "reason": " "}).name == "handle"


# --- who may take each step ---------------------------------------------------------------------------


def test_each_action_needs_its_permission():
    assert {a: (x.permission, x.reporter_may) for a, x in ACTIONS.items()} == {
        "register": (Permission.events_manage, False),
        "reject": (Permission.events_manage, False),
        "cancel": (Permission.events_manage, True),
        "merge": (Permission.events_manage, False),
        "dispatch": (Permission.events_manage, False),
        "accept": (Permission.events_handle, False),
        "return": (Permission.events_handle, False),
        "handle": (Permission.events_handle, False),
        "verify": (Permission.events_verify, False),
        "close": (Permission.events_manage, False),
        "evaluate": (None, False),
        "reopen": (None, False),
    }


EVENTS = frozenset(p for p in Permission if p.value.startswith(("events.", "categories.")))
E = Permission
# What each role may do with events, beyond the steps: report one, read them, reveal a reporter's phone
# and e-mail (audited), set the categories' time limits.
EVENT_PERMISSIONS = {
    Role.admin: EVENTS,
    Role.official: EVENTS,
    Role.community_worker: {E.events_report, E.events_read, E.events_manage, E.events_verify, E.events_reveal_contact},
    Role.grid_worker: {E.events_report, E.events_read, E.events_verify},
    Role.department_handler: {E.events_read, E.events_handle, E.events_reveal_contact},
    Role.auditor: {E.events_read},
    Role.resident: {E.events_report, E.events_read},
    Role.warning_issuer: set(),
    Role.org_contact: set(),
    Role.safety_appointee: set(),
}


@pytest.mark.parametrize("role", list(Role))
def test_the_event_permissions_of_each_role(role):
    assert {
        E.events_report, E.events_read, E.events_manage, E.events_handle, E.events_verify, E.events_reveal_contact,
        E.categories_manage,
    } == EVENTS  # fmt: skip
    who = principal_for(STAFF, "staff", [(role.value, "220102")])
    assert who.permissions_at(PLACE) & EVENTS == EVENT_PERMISSIONS[role]
    assert principal_for(STAFF, "staff", [(role.value, "220103")]).permissions_at(PLACE) == frozenset()


@pytest.mark.parametrize("role", list(Role))
def test_who_may_take_each_step_over_the_place(role, members):
    members.add((UNIT, STAFF))
    who = principal_for(STAFF, "staff", [(role.value, "220102")])
    may = {a for a, action in ACTIONS.items() if service.may(None, who, event(), action)}
    assert may == MAY[role]
    for a in set(ACTIONS) - MAY[role]:
        with pytest.raises(Forbidden):
            service.authorize(None, who, event(), ACTIONS[a])


@pytest.mark.parametrize("role", list(Role))
def test_nobody_acts_on_an_event_beyond_their_places(role, members):
    members.add((UNIT, STAFF))
    who = principal_for(STAFF, "staff", [(role.value, "220103")])
    for action in ACTIONS.values():
        assert not service.may(None, who, event(), action)
        with pytest.raises((NotFound, Forbidden)):
            service.authorize(None, who, event(), action)
        if action.permission is not None:
            with pytest.raises(NotFound) as exc:
                service.authorize(None, who, event(), action)
            assert exc.value.message == "event 5 does not exist"


def test_the_reporter_cancels_evaluates_and_reopens_but_takes_no_other_step(members):
    reporter = principal_for(REPORTER, "reporter", [("resident", PLACE)])
    neighbour = principal_for(REPORTER + 100, "neighbour", [("resident", PLACE)])
    mine = {a for a, action in ACTIONS.items() if service.may(None, reporter, event(), action)}
    assert mine == {"cancel", "evaluate", "reopen"}
    assert not {a for a, action in ACTIONS.items() if service.may(None, neighbour, event(), action)}
    with pytest.raises(Forbidden) as exc:
        service.authorize(None, neighbour, event(), ACTIONS["evaluate"])
    assert exc.value.message == "only the person who reported the event may evaluate it"
    # A reporter with no grant there at all still cancels their own report.
    stranger = principal_for(REPORTER, "moved-away", [])
    service.authorize(None, stranger, event(), ACTIONS["cancel"])
    service.authorize(None, stranger, event(), ACTIONS["reopen"])


def test_no_user_is_the_reporter_of_an_event_without_one(members):
    anonymous = event(reporter_id=None)
    for who in (system_principal(), principal_for(None, "nobody", [("official", "22")])):
        for name in ("evaluate", "reopen"):
            assert not service.may(None, who, anonymous, ACTIONS[name])
    assert not service.may(None, principal_for(None, "nobody", [("resident", PLACE)]), anonymous, ACTIONS["cancel"])


def test_a_handler_acts_only_for_their_own_units(members):
    handler = principal_for(STAFF, "handler", [("department_handler", "220102")])
    for name in ("accept", "return", "handle"):
        assert not service.may(None, handler, event(), ACTIONS[name])
        with pytest.raises(Forbidden) as exc:
            service.authorize(None, handler, event(), ACTIONS[name])
        assert exc.value.message == "you do not act for the unit this event is dispatched to"
        assert not service.may(None, handler, event(unit_id=None), ACTIONS[name])
    members.add((UNIT + 1, STAFF))  # a member of another unit
    assert not service.may(None, handler, event(), ACTIONS["accept"])
    members.add((UNIT, STAFF))
    assert all(service.may(None, handler, event(), ACTIONS[n]) for n in ("accept", "return", "handle"))
    assert not service.may(None, handler, event(unit_id=None), ACTIONS["accept"])


def test_a_manager_of_the_place_handles_for_any_unit(members):
    official = principal_for(STAFF, "official", [("official", "220102")])
    assert service.may(None, official, event(), ACTIONS["accept"])
    assert service.may(None, official, event(unit_id=None), ACTIONS["handle"])
    # Handling and managing in different places: the handler rule applies where one only handles.
    split = principal_for(STAFF, "split", [("department_handler", "220102"), ("official", "220103")])
    assert not service.may(None, split, event(), ACTIONS["accept"])


# --- who sees personal data -------------------------------------------------------------------------------


def test_staff_over_the_place_and_the_reporter_see_personal_data():
    ev = event()
    assert service.sees_personal(principal_for(REPORTER, "r", []), ev)
    assert service.sees_personal(principal_for(STAFF, "gw", [("grid_worker", PLACE)]), ev)
    assert service.sees_personal(principal_for(STAFF, "aud", [("auditor", "22")]), ev)
    assert service.sees_personal(system_principal(), ev)
    assert not service.sees_personal(principal_for(STAFF, "res", [("resident", PLACE)]), ev)
    assert not service.sees_personal(principal_for(STAFF, "gw", [("grid_worker", "220102001002")]), ev)
    assert not service.sees_personal(
        principal_for(STAFF, "both", [("resident", PLACE), ("grid_worker", "220102001002")]), ev
    )
    assert service.sees_personal(principal_for(STAFF, "both", [("resident", PLACE), ("grid_worker", PLACE)]), ev)
    assert not service.sees_personal(principal_for(None, "nobody", [("resident", PLACE)]), event(reporter_id=None))


def test_staff_over():
    area = codes.pad(PLACE)
    assert service.staff_over(system_principal(), area)
    assert service.staff_over(principal_for(1, "w", [("warning_issuer", "2201")]), area)
    assert not service.staff_over(principal_for(1, "r", [("resident", "22")]), area)
    assert not service.staff_over(principal_for(1, "o", [("official", "220103")]), area)
    assert not service.staff_over(principal_for(1, "n", []), area)
