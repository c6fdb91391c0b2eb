"""The workbench: each role's to-dos counted over what they may act on, one tap from where the work is
done; the start page for staff, not for residents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.authz.permissions import Permission
from linli.events import repository as events_repository
from linli.events import todo as events_todo
from linli.events.models import Event
from linli.kit.time import utcnow
from linli.residents import todo as residents_todo
from linli.web import todo
from tests.factories import auth, token_for
from tests.factories_events import GRID, as_principal, events_world, report, step


@pytest.fixture
def w(session):
    world = events_world(session)
    world["as"] = {k: as_principal(session, u) for k, u in world["people"].items()}
    return world


def counts(session, principal) -> dict[str, tuple[int, str]]:
    return {t.label: (t.count, t.href) for t in events_todo.todos(session, principal)}


def test_each_role_counts_the_events_waiting_for_it(session, w):
    who = w["as"]
    ids = [report(session, who["resident"], w["point"]).id for _ in range(4)]
    step(session, who["street"], ids[0], "register")
    step(session, who["street"], ids[1], "register")
    step(session, who["street"], ids[1], "dispatch", unit_id=w["unit"].id)
    step(session, who["street"], ids[2], "register")
    step(session, who["street"], ids[2], "dispatch", unit_id=w["unit"].id)
    step(session, who["handler"], ids[2], "accept")
    step(session, who["handler"], ids[2], "handle", report="修好了")
    session.flush()

    # The community worker (village: the kept counts), the county official (the counts over a district).
    for role, code in (("community", "220102001001"), ("county", "220102")):
        c = counts(session, who[role])
        assert c["Reports to register"] == (1, f"/areas/{code}/events?state=reported")
        assert c["Events to dispatch"] == (1, f"/areas/{code}/events?state=registered")
        assert c["Events past their deadline"][0] == 0
    # The grid worker verifies in their grid (below the villages: counted from the events themselves).
    assert counts(session, who["gridworker"]) == {
        "Handled events to verify on site": (1, f"/areas/{GRID}/events/verify")
    }
    # The handler: their unit's queue, named.
    (queue,) = events_todo.todos(session, who["handler"])
    assert (queue.count, queue.href, queue.where) == (1, f"/units/{w['unit'].id}/queue", w["unit"].name)
    # Nothing for the sibling county's official, the other handler, the resident.
    assert all(n == 0 for n, _ in counts(session, who["sibling"]).values())
    assert [t.count for t in events_todo.todos(session, who["other_handler"])] == []
    assert events_todo.todos(session, who["resident"]) == []


def test_overdue_events_are_counted_and_urgent(session, w):
    who = w["as"]
    late = report(session, who["resident"], w["point"])
    step(session, who["street"], late.id, "register")
    late.stage_deadline = utcnow() - timedelta(minutes=1)
    session.flush()
    (item,) = [t for t in events_todo.todos(session, who["community"]) if t.urgent]
    assert (item.label, item.count, item.href) == (
        "Events past their deadline",
        1,
        "/areas/220102001001/events?overdue=1",
    )


def test_the_kept_counts_and_the_events_agree_over_every_kind_of_scope(session, w):
    who = w["as"]
    for _ in range(3):
        report(session, who["resident"], w["point"])
    session.flush()
    real = session.scalar(select(func.count()).select_from(Event).where(Event.state == "reported"))
    for role in ("gridworker", "community", "street", "county", "city"):
        scope = who[role].scope(Permission.events_read)
        assert events_repository.state_totals(session, scope, ["reported"]) == {"reported": real}, role
    sibling = who["sibling"].scope(Permission.events_read)
    assert events_repository.state_totals(session, sibling, ["reported"]) == {"reported": 0}


def test_gather_lists_only_what_waits_the_urgent_first(session, w, app):
    who = w["as"]
    report(session, who["resident"], w["point"])
    late = report(session, who["resident"], w["point"])
    step(session, who["street"], late.id, "register")
    late.stage_deadline = utcnow() - timedelta(minutes=1)
    session.flush()
    labels = [t.label for t in todo.gather(session, who["community"])]
    assert labels[0] == "Events past their deadline"
    assert set(labels) == {"Events past their deadline", "Reports to register", "Events to dispatch"}
    assert residents_todo.todos(session, who["community"])[0].label == "Transfers waiting for your decision"


def test_the_start_page_is_the_workbench_for_staff(client, session, w):
    who = w["as"]
    report(session, who["resident"], w["point"])
    people = w["people"]
    tokens = {k: token_for(session, people[k]) for k in ("community", "auditor", "resident")}
    session.commit()
    page = client.get("/", headers=auth(tokens["community"]))
    assert page.status_code == 200
    assert 'href="/areas/220102001001/events?state=reported"><span class="count">1</span>' in page.text
    # Staff with nothing waiting are told so; their places are still listed.
    page = client.get("/", headers=auth(tokens["auditor"]))
    assert 'id="nothing-waiting"' in page.text and 'href="/areas/220102"' in page.text
    # A resident's home: report a problem, their reports with their state, notices; no workbench, and no
    # API tokens or admin pages in their menu.
    page = client.get("/", headers=auth(tokens["resident"]) | {"Cookie": "linli_lang=en"})
    assert page.status_code == 200
    assert 'id="report-link" href="/areas/220102001001/events/new"' in page.text
    assert "垃圾堆积" in page.text and "Reported" in page.text  # their report, in words
    assert 'id="todo-h"' not in page.text
    menu = page.text.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/account/tokens"' not in menu and 'href="/admin/users"' not in menu and ">Home<" in menu
