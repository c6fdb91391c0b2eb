"""The responsibility lists' pages and API: the township's list for its officials (404 beside it), a
change request through the form (a duplicate code refused with what was typed kept), the county's queue
and a review through it, the township's own review refused (403, nothing changed), and the report."""

from __future__ import annotations

import pytest

from linli.duties import service
from linli.duties.schemas import ChangeIn
from tests.factories import SYSTEM, TOWN_A, auth, token_for
from tests.factories_duties import dispatched_events, duties_world

EN = {"Cookie": "linli_lang=en"}


@pytest.fixture
def world(session):
    w = duties_world(session)
    w["pending"] = service.file_change(
        session, w["p"]["street"], TOWN_A, ChangeIn(action="cancel", duty_code="J-002", reason="不再承担")
    )
    dispatched_events(session, "0301", 2)
    w["tok"] = {k: token_for(session, u) for k, u in w["users"].items()}
    session.commit()
    return w


def test_the_township_reads_its_list_and_requests_a_change(client, world):
    h = auth(world["tok"]["street"]) | EN
    page = client.get(f"/areas/{TOWN_A}/duties", headers=h)
    assert page.status_code == 200, page.text
    assert "职责J-001" in page.text and "Assisting duty" in page.text and "不再承担" in page.text
    assert client.get(f"/areas/{TOWN_A}/duties", headers=auth(world["tok"]["sibling"])).status_code == 404
    form = {"action": "add", "duty_code": "J-001", "kind": "basic", "category": "livelihood",
            "content": "我输入的新职责", "reason": "新增理由"}  # fmt: skip
    refused = client.post(f"/areas/{TOWN_A}/duties/changes", data=form, headers=h)
    assert refused.status_code == 409 and "in the list already" in refused.text and "我输入的新职责" in refused.text
    ok = client.post(f"/areas/{TOWN_A}/duties/changes", data={**form, "duty_code": "J-003"}, headers=h,
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    api = client.get(f"/api/v1/duties/lists/{TOWN_A}", headers=h).json()
    assert api["version"] == 1 and {d["code"] for d in api["duties"]} == {"J-001", "J-002", "P-001", "S-001"}


def test_the_county_reviews_and_the_township_may_not(client, world):
    change = world["pending"].id
    street = auth(world["tok"]["street"]) | EN
    own = client.post(f"/areas/{TOWN_A}/duties/review/{change}", data={"decision": "approve"}, headers=street)
    assert own.status_code == 403 and "not by the township itself" in own.text
    county = auth(world["tok"]["county"]) | EN
    queue = client.get("/areas/220102/duties/review", headers=county)
    assert queue.status_code == 200 and "不再承担" in queue.text
    no_reason = client.post(f"/areas/220102/duties/review/{change}", data={"decision": "reject"}, headers=county)
    assert no_reason.status_code == 422 and "reason for rejecting" in no_reason.text
    done = client.post(f"/areas/220102/duties/review/{change}", data={"decision": "approve"}, headers=county,
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    api = client.get(f"/api/v1/duties/lists/{TOWN_A}", headers=county).json()
    assert api["version"] == 2 and "J-002" not in {d["code"] for d in api["duties"]}
    assert [v["approved_by"] for v in api["versions"]][-1] == "dt_county"
    report = client.get("/api/v1/duties/report", params={"area": "220102"}, headers=county).json()
    assert report["unlisted"] == [{"area_code": TOWN_A, "category_code": "0301", "category_name": "暴露垃圾",
                                   "events": 2}]  # fmt: skip
    assert [c["action"] for c in report["changes"]] == ["cancel"]
    page = client.get("/areas/220102/duties", headers=county)
    assert page.status_code == 200 and "暴露垃圾" in page.text


def test_the_workbench_lists_the_county_s_reviews_only(session, world):
    from linli.duties.todo import todos

    county = todos(session, world["p"]["county"])
    assert [(x.count, x.href) for x in county] == [(1, "/areas/220102/duties/review")]
    assert todos(session, world["p"]["street"]) == []  # the township does not review its own requests
    assert todos(session, world["p"]["community"]) == []


def test_a_township_without_a_list_is_one_line_of_the_report(session, client, world):
    """Its events of every category are outside a list: the report names it once, with their total, and
    keeps the categories' lines for the townships that have a list."""
    dispatched_events(session, "0302", 2, town="220102002")
    dispatched_events(session, "0801", 3, town="220102002")
    session.commit()
    page = client.get("/areas/220102/duties", headers=auth(world["tok"]["county"]) | EN)
    assert page.status_code == 200
    listed = page.text.split('id="unlisted"')[1].split("</table>")[0]
    without = page.text.split('id="without-list"')[1].split("</table>")[0]
    assert "暴露垃圾" in listed and "220102002" not in listed  # TOWN_A's category outside its list
    assert without.count("<tr>") == 2 and "220102002" in without and '<td class="num">5</td>' in without


def test_the_event_page_names_the_duty_of_the_township_list_or_warns_before_dispatch(session, client, world):
    """Who is responsible reads from the same list: an event of a category linked to a duty shows that
    duty; one of a category outside the list says so, and its dispatch form warns that sending it to the
    township's unit pushes a duty down without a list entry."""
    from linli.duties.schemas import LinkIn
    from linli.events.models import Event
    from linli.kit import codes
    from tests.factories import VILLAGE_A

    service.link(session, world["p"]["street"], TOWN_A, LinkIn(duty_code="J-001", event_category_code="08"))
    listed = dispatched_events(session, "0801", 1)[0]
    outside = Event(category_code="0301", state="registered", title="待派遣", lon=125.3, lat=43.8, source="api",
                    area_code=codes.pad(VILLAGE_A))  # fmt: skip
    session.add(outside)
    session.commit()
    h = auth(world["tok"]["street"]) | EN
    r = client.get(f"/events/{listed.id}", headers=h)
    assert r.status_code == 200, r.text[:300]
    page = r.text
    duty = page.split('id="responsible-duty"')[1].split("</dd>")[0]
    assert "J-001 职责J-001" in duty and f'href="/areas/{TOWN_A}/duties"' in duty
    assert 'id="unlisted-warning"' not in page
    page = client.get(f"/events/{outside.id}", headers=h).text
    duty = page.split('id="responsible-duty"')[1].split("</dd>")[0]
    assert "Not in the responsibility list of" in duty and "J-00" not in duty
    assert 'id="unlisted-warning"' in page and 'name="action" value="dispatch"' in page


def test_a_service_item_s_page_names_the_duty_its_handling_discharges(session, client, world):
    from linli.duties.schemas import LinkIn
    from linli.services import repository as services_repo
    from linli.services import seed as services_seed
    from tests.factories_services import enable

    services_seed.load_examples(session, SYSTEM, "22")
    linked = enable(session, "JF-MZ-00004")
    other = enable(session, "JF-MZ-00002")
    item = services_repo.item_by_code(session, "JF-MZ-00004")
    service.link(session, world["p"]["street"], TOWN_A, LinkIn(duty_code="J-001", service_item_id=item.id))
    session.commit()
    page = client.get(f"/services/offers/{linked.id}", headers=EN).text
    assert "J-001 职责J-001" in page.split('id="responsible-duty"')[1].split("</dd>")[0]
    assert 'id="responsible-duty"' not in client.get(f"/services/offers/{other.id}", headers=EN).text
