"""Every action the code writes to the audit log has words (linli.audit.labels), so the log page never
shows a bare code for something done today; and the page shows what changed field by field."""

from __future__ import annotations

import ast
from pathlib import Path

import linli
from linli.alerts.kinds import MSG_TYPES
from linli.audit import labels
from linli.audit.views import changes
from linli.events.workflow import ACTIONS as EVENT_ACTIONS
from linli.residents.kinds import TransferStatus
from linli.services.workflow import STEPS as SERVICE_STEPS

SRC = Path(linli.__file__).parent
# The actions of the f-string calls: event.{step}, transfers.{status}, warning.{msgType}.
EVENT_STEPS = {*EVENT_ACTIONS, "report", "supervise", "escalate"}


def _recorded_actions() -> tuple[set[str], set[str]]:
    """(the literal actions of every record(...) call, the source of those that are built)."""
    literal, built = set(), set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            if not isinstance(node, ast.Call) or getattr(func, "id", getattr(func, "attr", None)) != "record":
                continue
            if len(node.args) < 3:
                continue
            action = node.args[2]
            for part in [action.body, action.orelse] if isinstance(action, ast.IfExp) else [action]:
                if isinstance(part, ast.Constant):
                    literal.add(part.value)
                else:
                    built.add(ast.unparse(part))
    return literal, built


def test_every_recorded_action_has_words():
    literal, built = _recorded_actions()
    assert len(literal) > 50  # the scan found the calls
    assert literal - labels.ACTIONS.keys() == set()
    # The built ones are the three families below; a new family needs its labels and a line here.
    assert built == {
        "f'event.{s.action}'",
        "f'transfers.{status.value}'",
        "f'warning.{message.msg_type.lower()}'",
        "f'services.{action}'",
    }
    family = {f"event.{s}" for s in EVENT_STEPS}
    family |= {f"transfers.{s.value}" for s in TransferStatus if s is not TransferStatus.pending}
    family |= {f"warning.{t.lower()}" for t in MSG_TYPES}
    family |= {f"services.{a}" for a in (*SERVICE_STEPS, "submit")}
    assert family - labels.ACTIONS.keys() == set()


def test_labels_are_translated_and_unknown_codes_shown_as_they_are():
    from linli.kit import i18n

    token = i18n.set_locale("zh-CN")
    try:
        assert labels.action_label("persons.reveal") == "查看证件号和电话明文"
        assert labels.kind_label("household") == "住户"
        assert labels.action_label("old.thing") == "old.thing" and labels.kind_label("old") == "old"
    finally:
        i18n.reset_locale(token)


def test_changes_list_each_field_once_and_leave_out_the_unchanged():
    rows = changes({"state": "reported", "title": "路灯", "n": 1}, {"state": "registered", "title": "路灯", "x": [1]})
    assert rows == [("state", "reported", "registered"), ("n", "1", None), ("x", None, "[1]")]
    assert changes(None, {"名": "王五"}) == [("名", None, "王五")]
    assert changes(None, None) == []
