"""The event state machine (after GB/T 30428 / CJ/T 315): states, actions, who may take them, deadlines.

Each action names the states it leaves, the state it reaches, the permission it needs and the
fields it requires. `plan()` checks one request against the table; an action the current state does
not allow is a 409 that lists the steps that are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from linli.authz.permissions import Permission
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.i18n import t

STATES = (
    "reported",  # 上报
    "registered",  # 立案
    "rejected",  # 不予立案
    "cancelled",  # 撤销
    "merged",  # 合并到另一事件
    "dispatched",  # 派遣
    "returned",  # 退回 (wrong unit)
    "accepted",  # 签收
    "handled",  # 处置完成
    "verified",  # 核查通过
    "closed",  # 结案
    "evaluated",  # 已评价
)
OPEN_STATES = ("reported", "registered", "dispatched", "returned", "accepted", "handled", "verified")
FINAL_STATES = tuple(s for s in STATES if s not in OPEN_STATES)
# Which stage's limit runs in each open state: the desk registers, dispatches and closes; the unit
# handles; the grid worker verifies.
STAGE_OF_STATE = {
    "reported": "register",
    "registered": "register",
    "returned": "register",
    "dispatched": "handle",
    "accepted": "handle",
    "handled": "verify",
    "verified": "register",
}


@dataclass(frozen=True)
class Action:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: Permission | None  # None: the reporter's own action
    requires: tuple[str, ...] = ()
    reporter_may: bool = False  # the reporter may take it without the permission
    label: str = ""


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("register", ("reported",), "registered", Permission.events_manage, label="立案 register"),
        Action("reject", ("reported",), "rejected", Permission.events_manage, ("reason",), label="不予立案 reject"),
        Action(
            "cancel",
            ("reported", "registered"),
            "cancelled",
            Permission.events_manage,
            ("reason",),
            reporter_may=True,
            label="撤销 cancel",
        ),
        Action(
            "merge", ("reported", "registered"), "merged", Permission.events_manage, ("into_id",), label="合并 merge"
        ),
        Action("dispatch", ("registered", "returned"), "dispatched", Permission.events_manage, label="派遣 dispatch"),
        Action("accept", ("dispatched",), "accepted", Permission.events_handle, label="签收 accept"),
        Action("return", ("dispatched",), "returned", Permission.events_handle, ("reason",), label="退回 return"),
        Action("handle", ("accepted",), "handled", Permission.events_handle, ("report",), label="处置 handle"),
        # verify leads to "verified" when passed, back to "accepted" when not (see target_of).
        Action("verify", ("handled",), "verified", Permission.events_verify, ("passed",), label="核查 verify"),
        Action("close", ("verified",), "closed", Permission.events_manage, label="结案 close"),
        Action("evaluate", ("closed",), "evaluated", None, ("satisfaction",), label="评价 evaluate"),
        Action("reopen", ("closed", "evaluated"), "dispatched", None, ("reason",), label="重新办理 reopen"),
    )
}


def allowed_actions(state: str) -> list[str]:
    return [a.name for a in ACTIONS.values() if state in a.sources]


def target_of(action: Action, fields: dict) -> str:
    if action.name == "verify" and not fields.get("passed"):
        return "accepted"
    return action.target


def plan(state: str, action_name: str, fields: dict) -> Action:
    """The action to take, or a clear error: unknown action (422), wrong state (409), missing field (422)."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise InvalidInput(
            t("unknown action {action!r}; actions are: {actions}", action=action_name, actions=", ".join(ACTIONS)),
            code="unknown_action",
        )
    if state not in action.sources:
        allowed = allowed_actions(state)
        steps = ", ".join(allowed) if allowed else t("none (the event is finished)")
        raise Conflict(
            t(
                "cannot {action} an event that is {state}; allowed next steps: {steps}",
                action=action_name,
                state=state,
                steps=steps,
            ),
            code="invalid_transition",
            details={"state": state, "action": action_name, "allowed": allowed},
        )
    missing = [f for f in action.requires if fields.get(f) in (None, "")]
    if action.name == "verify" and fields.get("passed") is False and not (fields.get("note") or "").strip():
        missing.append("note")
    if missing:
        raise InvalidInput(
            t("{action} needs: {fields}", action=action_name, fields=", ".join(missing)),
            code="missing_fields",
            details=missing,
        )
    if action.name == "evaluate" and fields.get("satisfaction") not in (1, 2, 3, 4, 5):
        raise InvalidInput(t("satisfaction is a whole number from 1 (very unsatisfied) to 5 (very satisfied)"))
    for f in ("reason", "report"):
        if f in action.requires and not str(fields[f]).strip():  # present: `missing` checked above
            raise InvalidInput(
                t("{action} needs a non-empty {field}", action=action_name, field=f), code="missing_fields", details=[f]
            )
    return action
