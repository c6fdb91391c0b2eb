"""Open311 GeoReport v2: the read side through the third-party `georeport` client against a live
server on localhost, the write side with plain HTTP; errors in the spec's format."""

from __future__ import annotations

import socket
import threading
import time
import xml.etree.ElementTree as ET

import pytest
import uvicorn
from georeport import GeoReport
from sqlalchemy import func, select

from linli.events import contacts
from linli.events.models import Event
from tests.factories import auth, token_for
from tests.factories_events import as_principal, events_world, report, step


@pytest.fixture
def ew(session):
    w = events_world(session)
    w["key"] = token_for(session, w["people"]["gridworker"])
    w["county_key"] = token_for(session, w["people"]["county"])
    p = w["people"]
    e = report(session, as_principal(session, p["resident"]), w["point"], title="路灯不亮", category="0102")
    closed = report(session, as_principal(session, p["resident"]), w["point"], title="垃圾", category="0301")
    street = as_principal(session, p["street"])
    step(session, street, e.id, "register")  # accepted: public; the rejected one is not
    step(session, street, closed.id, "reject", reason="重复")
    w["open_id"], w["closed_id"] = e.id, closed.id
    session.commit()
    return w


class OneAtATime:
    """The test's sessions share one database connection: the live server takes one request at a time."""

    def __init__(self, app):
        self.app = app
        self.lock = None

    async def __call__(self, scope, receive, send):
        import asyncio

        self.lock = self.lock or asyncio.Lock()
        async with self.lock:
            await self.app(scope, receive, send)


@pytest.fixture
def live(app, ew):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(
        uvicorn.Config(OneAtATime(app), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/open311/v2"
    server.should_exit = True
    thread.join(5)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_read_side_with_the_georeport_client(live, ew, fmt):
    client = GeoReport(live, output_format=fmt)
    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "0102" in codes and "01" not in codes and len(codes) == 31
    definition = client.get_service_definition("0102")
    assert definition["service_code"] == "0102"
    # Without an api_key: the accepted request only (the rejected one is not public).
    requests = client.get_service_requests()
    requests = requests if isinstance(requests, list) else [requests]  # xmltodict gives a dict for one element
    assert [r["service_request_id"] for r in requests] == [str(ew["open_id"])]
    opened = client.get_service_requests(status="open")
    opened = opened if isinstance(opened, list) else [opened]
    assert [r["service_request_id"] for r in opened] == [str(ew["open_id"])]
    one = client.get_service_request(str(ew["open_id"]))
    assert one["status"] == "open" and one["service_code"] == "0102"
    assert "reporter" not in str(one) and "resident1" not in str(one)  # the public part only
    lon, lat = ew["point"]
    assert float(one["lat"]) == round(lat, 3) and float(one["long"]) == round(lon, 3)


def test_write_side_with_plain_http(client, session, ew):
    lon, lat = ew["point"]
    form = {
        "api_key": ew["key"],
        "service_code": "0301",
        "lat": str(lat),
        "long": str(lon),
        "description": "楼下垃圾桶满了",
        "email": "li@example.cn",
        "first_name": "李",
        "attribute[severity]": "2",
    }
    r = client.post("/open311/v2/requests.json", data=form)
    assert r.status_code == 201, r.text
    rid = r.json()[0]["service_request_id"]
    event = session.get(Event, int(rid))
    assert event.source == "open311" and event.contact_name == "李"
    assert event.contact_email_enc.startswith("v1:") and contacts.email_of(event, reveal=True) == "li@example.cn"
    assert event.area_code == "220102001001001" and event.reporter_id == ew["people"]["gridworker"].id
    # Not registered yet: only an api_key whose holder reads the place sees it.
    assert client.get(f"/open311/v2/tokens/{rid}.json").status_code == 404
    key = {"api_key": ew["county_key"]}
    got = client.get(f"/open311/v2/tokens/{rid}.json", params=key).json()
    assert got == [{"service_request_id": rid, "token": rid}]
    got = client.get(f"/open311/v2/requests/{rid}.json", params=key).json()[0]
    assert got["status"] == "open" and "li@example" not in str(got) and "l***@" not in str(got)
    # Without lat/long, the address is placed at the deepest area it names (no street geocoder).
    by_address = {**form, "api_key": ew["county_key"], "lat": "", "long": "", "address_string": "长春市南关区人民大街"}
    r = client.post("/open311/v2/requests.xml", data=by_address)
    assert r.status_code == 201, r.text
    rid = ET.fromstring(r.content).find("request/service_request_id").text
    assert session.get(Event, int(rid)).area_code.startswith("220102")
    # The grid worker may not report in the county at large: the address is refused.
    r = client.post("/open311/v2/requests.json", data={**by_address, "api_key": ew["key"]})
    assert r.status_code == 400


@pytest.mark.parametrize(
    "change,status,words",
    [
        ({"api_key": None}, 403, "api_key is required"),
        ({"api_key": "lnl_wrong"}, 403, "not valid"),
        ({"service_code": "9999"}, 404, "not a service"),
        ({"service_code": None}, 400, "service_code was not provided"),
        ({"attribute[colour]": "red"}, 400, "not an attribute"),
        ({"attribute[severity]": "9"}, 400, "one of 1, 2, 3"),
        ({"lat": None, "long": None}, 400, "location is required"),
        ({"lat": "abc"}, 400, "must be a number"),
        ({"lat": "0", "long": "0"}, 400, "no area served"),
    ],
)
def test_bad_posts_get_the_spec_error_format_and_change_nothing(client, session, ew, change, status, words):
    lon, lat = ew["point"]
    form = {"api_key": ew["key"], "service_code": "0301", "lat": str(lat), "long": str(lon)}
    for k, v in change.items():
        if v is None:
            form.pop(k, None)
        else:
            form[k] = v
    before = session.scalar(select(func.count()).select_from(Event))
    r = client.post("/open311/v2/requests.json", data=form)
    assert r.status_code == status
    body = r.json()
    assert isinstance(body, list) and body[0]["code"] == status and words in body[0]["description"]
    x = client.post("/open311/v2/requests.xml", data=form)
    err = ET.fromstring(x.content)
    assert err.tag == "errors" and err.find("error/code").text == str(status)
    assert session.scalar(select(func.count()).select_from(Event)) == before


def test_get_filters_and_errors(client, ew):
    r = client.get("/open311/v2/requests.json", params={"start_date": "2020-01-01T00:00:00Z", "end_date": "2021-01-01"})
    assert r.status_code == 400 and "90 days" in r.json()[0]["description"]
    assert client.get("/open311/v2/requests.json", params={"status": "pending"}).status_code == 400
    assert client.get("/open311/v2/requests.json", params={"start_date": "yesterday"}).status_code == 400
    both = {"service_request_id": f"{ew['open_id']},{ew['closed_id']}"}
    assert len(client.get("/open311/v2/requests.json", params=both).json()) == 1  # the rejected one is not public
    assert len(client.get("/open311/v2/requests.json", params={**both, "api_key": ew["county_key"]}).json()) == 2
    assert client.get("/open311/v2/requests/999999.json").status_code == 404
    assert client.get("/open311/v2/services.yaml").status_code == 404
    d = client.get("/open311/v2/discovery.json").json()
    assert d["endpoints"][0]["url"].endswith("/open311/v2")
    assert (
        ET.fromstring(client.get("/open311/v2/discovery.xml").content).find("endpoints/endpoint/formats/format")
        is not None
    )


@pytest.fixture
def mixed(session, ew):
    """Requests the anonymous public must not see beside one it may (ew's registered open_id)."""
    p = ew["people"]
    resident, street = as_principal(session, p["resident"]), as_principal(session, p["street"])
    made = {
        "unreviewed": report(session, resident, ew["point"], title="未审核"),
        "dispute": report(session, resident, ew["point"], title="邻里吵架", category="0601"),
        "cancelled": report(session, resident, ew["point"], title="撤销的"),
        "merged": report(session, resident, ew["point"], title="重复的", category="0102"),
        "public": report(
            session, resident, ew["point"], title="井盖", description="井盖坏了 电话13912345678", address="人民大街1号"
        ),
    }
    step(session, street, made["dispute"].id, "register")
    step(session, street, made["public"].id, "register")
    step(session, street, made["cancelled"].id, "cancel", reason="误报")
    step(session, street, made["merged"].id, "merge", into_id=ew["open_id"])
    session.commit()
    return {k: e.id for k, e in made.items()} | {"rejected": ew["closed_id"], "open": ew["open_id"]}


def _ids(answer) -> set[int]:
    return {int(r["service_request_id"]) for r in answer.json()}


def test_the_anonymous_public_sees_accepted_public_requests_with_the_public_text_and_a_coarse_place(
    client, ew, mixed, monkeypatch
):
    r = client.get("/open311/v2/requests.json")
    assert r.status_code == 200 and _ids(r) == {mixed["open"], mixed["public"]}
    one = next(x for x in r.json() if x["service_request_id"] == str(mixed["public"]))
    lon, lat = ew["point"]
    assert (one["lat"], one["long"]) == (round(lat, 3), round(lon, 3)) and one["lat"] != lat
    assert "13912345678" not in str(one) and "139****5678" in one["description"]
    assert one["address"] is None and "人民大街" not in r.text
    for hidden in ("unreviewed", "dispute", "cancelled", "merged", "rejected"):
        assert client.get(f"/open311/v2/requests/{mixed[hidden]}.json").status_code == 404, hidden
        assert client.get(f"/open311/v2/tokens/{mixed[hidden]}.xml").status_code == 404, hidden
    assert client.get(f"/open311/v2/requests/{mixed['public']}.json").json()[0]["lat"] == round(lat, 3)
    # The category flag behind it, in the categories API.
    flags = {c["code"]: c["public"] for c in client.get("/api/v1/event-categories", headers=auth(ew["key"])).json()}
    assert flags["0601"] is False and flags["0704"] is False and flags["0102"] is True
    # The precision is a setting: 2 places is about a kilometre.
    from linli.config import get_settings

    monkeypatch.setenv("LINLI_OPEN311_PUBLIC_PRECISION", "2")
    get_settings.cache_clear()
    got = client.get(f"/open311/v2/requests/{mixed['public']}.json").json()[0]
    assert (got["lat"], got["long"]) == (round(lat, 2), round(lon, 2))


def test_an_api_key_reads_what_its_holder_reads_through_the_events_api(client, session, ew, mixed):
    lon, lat = ew["point"]
    everything = {v for k, v in mixed.items() if k != "merged"}
    by_param = client.get("/open311/v2/requests.json", params={"api_key": ew["county_key"]})
    by_header = client.get("/open311/v2/requests.json", headers=auth(ew["county_key"]))
    assert _ids(by_param) == _ids(by_header) == everything
    one = client.get(f"/open311/v2/requests/{mixed['public']}.json", headers=auth(ew["county_key"])).json()[0]
    assert (one["lat"], one["long"]) == (lat, lon) and one["address"] == "人民大街1号"
    assert "13912345678" in one["description"]  # staff over the place read the whole text
    # Another county's official sees none of them, and a single one reads like a missing one.
    sibling = token_for(session, ew["people"]["sibling"])
    session.commit()
    assert _ids(client.get("/open311/v2/requests.json", params={"api_key": sibling})) == set()
    for rid in everything:
        assert client.get(f"/open311/v2/requests/{rid}.json", headers=auth(sibling)).status_code == 404
    # A neighbour's key: the events of their area, others' in their public part.
    neighbour = token_for(session, ew["people"]["neighbour"])
    session.commit()
    seen = client.get(f"/open311/v2/requests/{mixed['public']}.json", params={"api_key": neighbour}).json()[0]
    assert "13912345678" not in seen["description"]
    r = client.get("/open311/v2/requests.json", params={"api_key": "lnl_wrong"})
    assert r.status_code == 403 and "not valid" in r.json()[0]["description"]


def test_no_get_returns_a_reporters_contact(client, session, ew):
    lon, lat = ew["point"]
    form = {"api_key": ew["key"], "service_code": "0301", "lat": str(lat), "long": str(lon), "email": "li@example.cn"}
    form |= {"phone": "13812345678", "first_name": "李"}
    rid = client.post("/open311/v2/requests.json", data=form).json()[0]["service_request_id"]
    step(session, as_principal(session, ew["people"]["street"]), int(rid), "register")
    session.commit()
    for key in (None, ew["key"], ew["county_key"]):
        params = {"api_key": key} if key else {}
        for url in ("/open311/v2/requests.json", f"/open311/v2/requests/{rid}.xml"):
            text_ = client.get(url, params=params).text
            assert rid in text_ and "li@" not in text_ and "l***" not in text_ and "5678" not in text_
