"""The facilities' pages and API: the public page (no sign-in) with opening hours, the staff's form
(a refusal keeps what was typed), a photo uploaded and shown publicly, a resident enrolling from their
classes page (full and duplicate refused with the page again)."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.facilities.models import Enrolment, Facility
from tests.factories import VILLAGE_A, auth, make_user, token_for
from tests.factories_facilities import make_class, make_facility

PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 64


def test_the_public_page_shows_opening_hours_without_sign_in(session, areas, client):
    make_facility(session, name="华阳社区党群服务中心")
    make_class(session, capacity=12)
    session.commit()
    page = client.get(f"/public/facilities/{VILLAGE_A}")
    assert page.status_code == 200 and "华阳社区党群服务中心" in page.text
    assert "08:30–17:00" in page.text and "书法" in page.text
    assert client.get("/public/facilities/220102001999").status_code == 404
    api = client.get(f"/api/v1/public/places/{VILLAGE_A}/facilities").json()
    assert api[0]["hours"][0] == {"weekday": 0, "opens": "08:30", "closes": "17:00"}


def test_the_form_refuses_an_absurd_area_and_closing_before_opening_keeping_what_was_typed(session, areas, client):
    cw = make_user(session, "facp_cw", "community_worker", VILLAGE_A)
    tok = token_for(session, cw)
    session.commit()
    form = {"name": "我的设施", "floor_area": "0", "opens_0": "08:00", "closes_0": "17:00", "room_name_0": "大厅"}
    r = client.post(f"/areas/{VILLAGE_A}/facilities/new", data=form, headers=auth(tok))
    assert r.status_code == 422 and "我的设施" in r.text and "大厅" in r.text
    r = client.post(f"/areas/{VILLAGE_A}/facilities/new", data={**form, "floor_area": "1,500,000"}, headers=auth(tok))
    assert r.status_code == 422 and "100,000" in r.text
    r = client.post(f"/areas/{VILLAGE_A}/facilities/new", data={**form, "floor_area": "600", "closes_0": "07:00"},
                    headers=auth(tok))  # fmt: skip
    assert r.status_code == 422 and "07:00" in r.text
    assert session.scalar(select(func.count()).select_from(Facility)) == 0
    done = client.post(f"/areas/{VILLAGE_A}/facilities/new", data={**form, "floor_area": "600"}, headers=auth(tok),
                       follow_redirects=True)  # fmt: skip
    assert done.status_code == 200 and "600.0" in done.text
    other = client.post("/areas/220102001002/facilities/new", data=form, headers=auth(tok))
    assert other.status_code == 404  # the neighbouring community: outside the worker's reach


def test_a_photo_is_uploaded_and_shown_to_anyone(session, areas, client):
    facility = make_facility(session)
    cw = make_user(session, "facp_cw2", "community_worker", VILLAGE_A)
    tok = token_for(session, cw)
    session.commit()
    bad = client.post(f"/api/v1/facilities/{facility.id}/photos", files={"file": ("x.txt", b"hello", "image/png")},
                      headers=auth(tok))  # fmt: skip
    assert bad.status_code == 422 and "JPEG or PNG" in bad.text
    r = client.post(f"/api/v1/facilities/{facility.id}/photos", files={"file": ("front.png", PNG, "image/png")},
                    headers=auth(tok))  # fmt: skip
    assert r.status_code == 201
    url = r.json()["photos"][0]["url"]
    shown = client.get(url)
    assert shown.status_code == 200 and shown.content == PNG and shown.headers["content-type"] == "image/png"
    assert url in client.get(f"/public/facilities/{VILLAGE_A}").text


def test_a_resident_enrols_from_their_page_and_a_full_class_refuses(session, areas, client):
    _, klass = make_class(session, capacity=1)
    residents = [make_user(session, f"facp_res{i}", "resident", VILLAGE_A) for i in (1, 2)]
    toks = [token_for(session, u) for u in residents]
    session.commit()
    home = client.get("/", headers=auth(toks[0]))
    assert 'href="/facilities/classes"' in home.text and f'href="/public/facilities/{VILLAGE_A}"' in home.text
    page = client.get("/facilities/classes", headers=auth(toks[0]))
    assert page.status_code == 200 and f"/facilities/classes/{klass.id}/enrol" in page.text
    done = client.post(f"/facilities/classes/{klass.id}/enrol", headers=auth(toks[0]), follow_redirects=True)
    assert done.status_code == 200 and f"/facilities/classes/{klass.id}/withdraw" in done.text
    again = client.post(f"/api/v1/elder-classes/{klass.id}/enrol", headers=auth(toks[0]))
    assert again.status_code == 409 and again.json()["error"]["code"] == "enrolled_already"
    full = client.post(f"/facilities/classes/{klass.id}/enrol", headers=auth(toks[1]))
    assert full.status_code == 409 and "班级已满：1 个名额已报 1 人" in full.text
    assert session.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_the_api_refuses_bad_input_with_a_clear_message_and_changes_nothing(session, areas, client):
    cw = make_user(session, "facp_cw3", "community_worker", VILLAGE_A)
    tok = token_for(session, cw)
    session.commit()
    body = {"area_code": VILLAGE_A, "name": "设施", "floor_area": "0"}
    for area, words in (("0", "above 0 m²"), ("-5", "above 0 m²"), ("250000", "at most 100,000 m²")):
        r = client.post("/api/v1/facilities", json={**body, "floor_area": area}, headers=auth(tok))
        assert r.status_code == 422 and words in r.json()["error"]["message"], r.text
    late = {**body, "floor_area": "300", "hours": [{"weekday": 6, "opens": "18:00", "closes": "09:00"}]}
    r = client.post("/api/v1/facilities", json=late, headers=auth(tok))
    assert r.status_code == 422 and "Sunday: closing time 09:00" in r.json()["error"]["message"]
    r = client.post("/api/v1/facilities", json={**body, "floor_area": "300", "area_code": "220103002001"},
                    headers=auth(tok))  # fmt: skip
    assert r.status_code == 404
    assert session.scalar(select(func.count()).select_from(Facility)) == 0


def test_the_desk_enrols_until_the_class_is_full_keeping_the_name_typed(session, areas, client):
    _, klass = make_class(session, capacity=1)
    cw = make_user(session, "facp_cw4", "community_worker", VILLAGE_A)
    tok = token_for(session, cw)
    session.commit()
    url = f"/facilities/elder-classes/{klass.id}"
    done = client.post(f"{url}/enrolments", data={"name": "张大爷"}, headers=auth(tok), follow_redirects=True)
    assert done.status_code == 200 and "张大爷" in done.text
    full = client.post(f"{url}/enrolments", data={"name": "李奶奶"}, headers=auth(tok))
    assert full.status_code == 409 and 'value="李奶奶"' in full.text and "班级已满" in full.text
    sibling = make_user(session, "facp_sib", "community_worker", "220103002001")
    sib = token_for(session, sibling)
    session.commit()
    assert client.get(url, headers=auth(sib)).status_code == 404
    assert session.scalar(select(func.count()).select_from(Enrolment)) == 1
