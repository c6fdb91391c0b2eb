"""An ID number registered where the worker cannot read answers exactly like a free one (the same
statements: the review is opened by the worker's check), goes to the supervisors of both areas for
review, and every lookup by ID number is audited, refused ones too (issue 12, finding 3)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.authn.models import User
from linli.notify.models import InboxMessage
from linli.notify.worker import deliver_due
from linli.residents.id_checks import run_checks
from linli.residents.idcard import make_id
from linli.residents.models import IdCheck, IdReview, Person
from tests.factories import TOWN_A, Statements, auth, make_user, token_for
from tests.factories_residents import GRID, GRID_B, SIBLING_GRID, make_grids, make_household, make_person

BORN = date(1985, 6, 1)
# Same birth date and gender (odd sequence: male): a free number and a registered one differ in nothing else.
FREE, TAKEN, FREE2, IN_SCOPE = (make_id("220102", BORN, n) for n in (101, 103, 105, 107))
HEADER = "户编号,网格编码,与户主关系,姓名,公民身份号码"


@pytest.fixture
def world(session, areas, client):
    make_grids(session, SIBLING_GRID, load_areas=False)
    elsewhere = make_household(session, GRID_B, address="远方路9号")
    other = make_person(session, elsewhere, name="王远", id_number=TAKEN)  # in another village of the township
    home = make_household(session, GRID)
    mine = make_person(session, home, name="张伟", id_number=IN_SCOPE)
    users = {
        "worker": make_user(session, "gw1", "grid_worker", GRID),
        "reviewer": make_user(session, "tw1", "community_worker", TOWN_A),  # the township: both villages
        "ancestor": make_user(session, "admin_anc", "admin", "2201"),
        "sibling": make_user(session, "admin_sib", "admin", "220103"),
        "other_village": make_user(session, "cw2", "community_worker", GRID_B[:12]),
    }
    tokens = {k: auth(token_for(session, u)) for k, u in users.items()}
    session.commit()
    client.cookies.set("linli_lang", "en")
    return {"home": home.id, "other": other.id, "mine": mine.id, **tokens}


def audits(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def checked(session) -> int:
    """Run the worker's job of ID checks (as `linli worker` does) and commit; returns reviews opened."""
    opened = run_checks(session)
    session.commit()
    return opened


def _comparable(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in ("id", "id_number")}


def _create(client, world, number):
    body = {"household_id": world["home"], "relation": "child", "name": "李明", "id_number": number}
    return client.post("/api/v1/persons", json=body, headers=world["worker"])


def test_a_number_registered_elsewhere_answers_like_a_free_one(client, session, connection, world):
    before = len(audits(session, "persons.id_lookup"))  # the fixture's own registrations
    with Statements(connection) as free_sql:
        free = _create(client, world, FREE)
    with Statements(connection) as taken_sql:
        taken = _create(client, world, TAKEN)
    assert free.status_code == taken.status_code == 201, taken.text
    assert _comparable(free.json()) == _comparable(taken.json())
    assert set(free.headers) == set(taken.headers)
    # The same statements: each queues one ID check, and no review is written by the request.
    assert taken_sql.seen == free_sql.seen, (
        "\n".join(f"{a!r:.150}\n  {b!r:.150}" for a, b in zip(taken_sql.seen, free_sql.seen, strict=False) if a != b)
        + f"\n{len(taken_sql.seen)} vs {len(free_sql.seen)}"
    )
    assert sum("INSERT INTO id_checks" in s for s in free_sql.seen) == 1
    assert not any("id_reviews" in s and s.startswith("INSERT") for s in taken_sql.seen)
    # The worker's own reads do not tell them either.
    for r in (free, taken):
        got = client.get(f"/api/v1/persons/{r.json()['id']}", headers=world["worker"])
        assert got.status_code == 200 and _comparable(got.json()) == _comparable(free.json())
    page = client.get(f"/households/{world['home']}", headers=world["worker"])
    assert page.status_code == 200 and "李明" in page.text
    assert "review" not in page.text.lower() and "registered elsewhere" not in page.text
    listed = client.get("/api/v1/id-reviews", headers=world["worker"])
    assert listed.status_code == 200 and listed.json()["total"] == 0
    assert checked(session) == 1  # the worker's check: a review for the taken number only
    review = session.scalar(select(IdReview))
    assert (review.person_id, review.existing_person_id) == (taken.json()["id"], world["other"])
    # Every lookup by ID number is audited, for the free number as for the taken one.
    assert [e.entity_id for e in audits(session, "persons.id_lookup")][before:] == ["register", "register"]


def test_a_number_registered_in_scope_is_refused_naming_the_entry(client, session, world):
    before = len(audits(session, "persons.id_lookup"))
    checked(session)  # the fixture's own entries
    r = _create(client, world, IN_SCOPE)
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "id_registered" and "张伟" in error["message"] and str(world["mine"]) in error["message"]
    assert "household" not in error["message"] or str(world["home"]) not in error["message"]
    # The refusal answered a lookup: it is audited though the request rolled back, and nothing else stays.
    lookups = audits(session, "persons.id_lookup")[before:]
    assert [(e.entity_id, e.actor) for e in lookups] == [("register", "gw1")]
    assert session.scalar(select(func.count()).select_from(Person).where(Person.name == "李明")) == 0
    assert session.scalar(select(func.count()).select_from(IdCheck)) == 0


def test_editing_to_a_number_registered_elsewhere_answers_like_a_free_one(client, session, world):
    a = _create(client, world, FREE).json()["id"]
    b = _create(client, world, FREE2).json()["id"]
    free = client.patch(
        f"/api/v1/persons/{a}", json={"id_number": make_id("220102", BORN, 109)}, headers=world["worker"]
    )
    taken = client.patch(f"/api/v1/persons/{b}", json={"id_number": TAKEN}, headers=world["worker"])
    assert free.status_code == taken.status_code == 200, taken.text
    assert _comparable(free.json()) == _comparable(taken.json())
    assert checked(session) == 1 and session.scalar(select(func.count()).select_from(IdReview)) == 1
    mine = client.patch(f"/api/v1/persons/{a}", json={"id_number": IN_SCOPE}, headers=world["worker"])
    assert mine.status_code == 409 and "张伟" in mine.json()["error"]["message"]
    purposes = [e.entity_id for e in audits(session, "persons.id_lookup")]
    assert purposes.count("update") == 3  # the refused one too: its answer named an entry
    session.expire_all()
    assert session.get(Person, a).name == "李明" and checked(session) == 0  # nothing else of it was kept


def _dry_run(client, world, number):
    body = f"{HEADER}\nX1,{GRID},户主,新人,{number}\n".encode()
    return client.post(
        "/api/v1/residents/import?dry_run=true&filename=f.csv",
        content=body,
        headers={**world["worker"], "content-type": "text/csv"},
    )


def test_a_dry_run_does_not_tell_a_number_registered_elsewhere_and_is_audited(client, session, world):
    before = len(audits(session, "persons.id_lookup"))
    free, taken = _dry_run(client, world, FREE), _dry_run(client, world, TAKEN)
    assert free.status_code == taken.status_code == 200, taken.text
    assert free.json() == taken.json()
    assert "another household" not in taken.text and "registered" not in taken.json()["summary"].split(",")[0]
    lookups = audits(session, "persons.id_lookup")[before:]
    assert [e.entity_id for e in lookups] == ["import_dry_run", "import_dry_run"]
    # A rejected file (here: the number registered in the worker's own grid) is audited too.
    bad = _dry_run(client, world, IN_SCOPE)
    assert bad.status_code == 422 and len(audits(session, "persons.id_lookup")[before:]) == 3


def test_an_import_of_a_number_registered_elsewhere_opens_a_review(client, session, world):
    body = f"{HEADER}\nX1,{GRID},户主,新人,{TAKEN}\n".encode()
    r = client.post(
        "/api/v1/residents/import?filename=f.csv", content=body, headers={**world["worker"], "content-type": "text/csv"}
    )
    assert r.status_code == 200 and r.json()["persons_added"] == 1, r.text
    assert session.scalar(select(IdReview)) is None  # opened by the worker, not the request
    assert checked(session) == 1
    review = session.scalar(select(IdReview))
    assert review.existing_person_id == world["other"] and review.area_code == TOWN_A.ljust(15, "0")
    new = session.get(Person, review.person_id)
    assert new.name == "新人" and new.area_code == GRID


def test_exact_id_search_is_audited_and_finds_the_provisional_entry(client, session, world):
    created = _create(client, world, TAKEN).json()
    r = client.post("/api/v1/persons/search", json={"area_code": GRID, "id_number": TAKEN}, headers=world["worker"])
    assert r.status_code == 200 and [p["id"] for p in r.json()["items"]] == [created["id"]]
    assert [e.entity_id for e in audits(session, "persons.id_lookup")][-1] == "search"


def _review(client, session, world):
    new = _create(client, world, TAKEN).json()["id"]
    checked(session)
    listed = client.get("/api/v1/id-reviews", headers=world["reviewer"]).json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["person"]["id"] == new and item["existing_person"]["id"] == world["other"]
    return item["id"], new


def test_the_review_is_seen_at_the_common_area_and_above_only(client, session, world):
    rid, _ = _review(client, session, world)
    assert client.get(f"/api/v1/id-reviews/{rid}", headers=world["ancestor"]).status_code == 200
    for who in ("sibling", "worker", "other_village"):  # each side alone does not reach both entries
        assert client.get(f"/api/v1/id-reviews/{rid}", headers=world[who]).status_code == 404, who
        assert client.get("/api/v1/id-reviews", headers=world[who]).json()["total"] == 0, who
        r = client.post(f"/api/v1/id-reviews/{rid}/resolve", json={"outcome": "moved"}, headers=world[who])
        assert r.status_code == 404, who
    page = client.get("/id-reviews", headers=world["reviewer"])
    assert page.status_code == 200 and "王远" in page.text and "李明" in page.text
    assert "王远" not in client.get("/id-reviews", headers=world["sibling"]).text


def test_moved_moves_the_older_entry_away_and_the_new_one_keeps_the_number(client, session, world):
    rid, new = _review(client, session, world)
    r = client.post(f"/api/v1/id-reviews/{rid}/resolve", json={"outcome": "moved"}, headers=world["reviewer"])
    assert r.status_code == 200 and r.json()["status"] == "moved", r.text
    session.expire_all()
    assert session.get(Person, world["other"]).status == "moved_out"
    assert session.get(Person, new).status == "present"
    history = client.get(f"/api/v1/persons/{world['other']}/history", headers=world["reviewer"]).json()
    assert "moved_away" in [e["kind"] for e in history]
    # Both entries are still found by the number; the review is decided once.
    found = client.post(
        "/api/v1/persons/search", json={"area_code": TOWN_A, "id_number": TAKEN, "status": "moved_out"},
        headers=world["reviewer"],
    ).json()  # fmt: skip
    assert [p["id"] for p in found["items"]] == [world["other"]]
    again = client.post(f"/api/v1/id-reviews/{rid}/resolve", json={"outcome": "moved"}, headers=world["reviewer"])
    assert again.status_code == 409
    assert [e.after for e in audits(session, "persons.id_review_resolve")][0].count("moved") >= 1


def test_not_moved_withdraws_the_new_entry_and_keeps_its_history(client, session, world):
    rid, new = _review(client, session, world)
    r = client.post(
        f"/api/v1/id-reviews/{rid}/resolve",
        json={"outcome": "not_moved", "note": "查证未迁"},
        headers=world["reviewer"],
    )
    assert r.status_code == 200, r.text
    session.expire_all()
    assert session.get(Person, new).status == "withdrawn" and session.get(Person, world["other"]).status == "present"
    kinds = [e["kind"] for e in client.get(f"/api/v1/persons/{new}/history", headers=world["reviewer"]).json()]
    assert "withdrawn" in kinds and "registered" in kinds
    assert len(audits(session, "persons.id_review_resolve")) == 1


def test_different_people_wait_for_the_creator_to_correct_the_number(client, session, world):
    rid, new = _review(client, session, world)
    r = client.post(f"/api/v1/id-reviews/{rid}/resolve", json={"outcome": "different"}, headers=world["reviewer"])
    assert r.status_code == 200
    fixed = client.patch(f"/api/v1/persons/{new}", json={"id_number": FREE}, headers=world["worker"])
    assert fixed.status_code == 200, fixed.text
    session.expire_all()
    assert session.get(IdReview, rid).status == "corrected"
    assert len(audits(session, "persons.id_review_corrected")) == 1


def test_a_review_across_counties_goes_to_the_city(client, session, world):
    sib_worker = auth(token_for(session, make_user(session, "gw_sib", "grid_worker", SIBLING_GRID)))
    session.commit()
    body = {"area_code": SIBLING_GRID, "name": "远亲", "id_number": TAKEN}
    r = client.post("/api/v1/persons", json=body, headers=sib_worker)
    assert r.status_code == 201, r.text
    checked(session)
    review = session.scalar(select(IdReview))
    assert review.area_code == "2201".ljust(15, "0")
    assert client.get("/api/v1/id-reviews", headers=world["reviewer"]).json()["total"] == 0  # a township: too low
    assert client.get("/api/v1/id-reviews", headers=world["ancestor"]).json()["total"] == 1


def test_the_review_page_decides(client, session, world):
    rid, new = _review(client, session, world)
    r = client.post(f"/id-reviews/{rid}/resolve", data={"outcome": ""}, headers=world["reviewer"])
    assert r.status_code == 422 and "Choose what the two entries are." in r.text
    r = client.post(
        f"/id-reviews/{rid}/resolve", data={"outcome": "not_moved"}, headers=world["reviewer"], follow_redirects=False
    )
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Person, new).status == "withdrawn"


# --- the worker's check (the review is opened there, not in the request) ----------------------------


def test_every_number_set_queues_one_check_in_the_request_and_the_job_is_idempotent(client, session, world):
    checked(session)  # the fixture's own entries
    free, taken = _create(client, world, FREE).json()["id"], _create(client, world, TAKEN).json()["id"]
    # Written with the entry (one transaction: a crash loses neither or both), the same row for both.
    rows = session.execute(select(IdCheck.person_id, IdCheck.id_number_bidx, IdCheck.created_by)).all()
    assert sorted(r.person_id for r in rows) == sorted([free, taken]) and {r.created_by for r in rows} == {"gw1"}
    assert session.get(Person, world["other"]).id_number_bidx in {r.id_number_bidx for r in rows}
    # Until the check has run, the provisional entry counts as registered with its number.
    again = _create(client, world, TAKEN)
    assert again.status_code == 409 and str(taken) in again.json()["error"]["message"]
    assert checked(session) == 1 and checked(session) == 0
    assert session.scalar(select(func.count()).select_from(IdCheck)) == 0
    # A check seen again (a replayed row) opens no second review.
    session.add(IdCheck(person_id=taken, id_number_bidx=rows[0].id_number_bidx, created_by="gw1"))
    session.add_all(IdCheck(person_id=r.person_id, id_number_bidx=r.id_number_bidx, created_by="gw1") for r in rows)
    session.commit()
    assert checked(session) == 0 and session.scalar(select(func.count()).select_from(IdReview)) == 1
    opened = audits(session, "persons.id_review_open")
    assert len(opened) == 1 and opened[0].actor == "worker:id_checks" and "gw1" in opened[0].after
    assert session.scalar(select(IdReview.created_by)) == "gw1"


def test_a_check_of_a_number_changed_meanwhile_opens_nothing(client, session, world):
    taken2 = make_id("220102", BORN, 111)
    far = make_person(session, make_household(session, GRID_B), name="赵远", id_number=taken2)
    checked(session)
    a = _create(client, world, TAKEN).json()["id"]
    fixed = client.patch(f"/api/v1/persons/{a}", json={"id_number": FREE}, headers=world["worker"])
    assert fixed.status_code == 200, fixed.text
    assert checked(session) == 0  # now free
    b = _create(client, world, TAKEN).json()["id"]
    moved = client.patch(f"/api/v1/persons/{b}", json={"id_number": taken2}, headers=world["worker"])
    assert moved.status_code == 200, moved.text
    assert checked(session) == 1  # for the number it has now, not the one it had
    review = session.scalar(select(IdReview))
    assert (review.person_id, review.existing_person_id) == (b, far.id)


def test_a_refused_edit_and_a_refused_form_keep_their_lookup_audited(client, session, world):
    before = len(audits(session, "persons.id_lookup"))
    a = _create(client, world, FREE).json()["id"]
    r = client.patch(f"/api/v1/persons/{a}", json={"id_number": IN_SCOPE}, headers=world["worker"])
    assert r.status_code == 409
    form = {"name": "李明", "id_number": IN_SCOPE, "relation": "child"}
    page = client.post(f"/households/{world['home']}/persons/new", data=form, headers=world["worker"])
    assert page.status_code == 409 and "张伟" in page.text
    edit = client.post(f"/persons/{a}/edit", data={"name": "李明", "id_number": IN_SCOPE}, headers=world["worker"])
    assert edit.status_code == 409
    purposes = [e.entity_id for e in audits(session, "persons.id_lookup")[before:]]
    assert purposes == ["register", "update", "register", "update"]


def test_not_moved_tells_the_withdrawn_entrys_area_and_nothing_of_the_other(client, session, world):
    make_user(session, "cw1", "community_worker", GRID[:12])  # the community of the new entry's grid
    session.commit()
    rid, new = _review(client, session, world)
    r = client.post(f"/api/v1/id-reviews/{rid}/resolve", json={"outcome": "not_moved"}, headers=world["reviewer"])
    assert r.status_code == 200, r.text
    deliver_due(session)
    session.commit()
    told = list(session.scalars(select(InboxMessage).where(InboxMessage.kind == "residents.withdrawn")))
    names = set(session.scalars(select(User.username).where(User.id.in_([m.user_id for m in told]))))
    assert "cw1" in names and not names & {"cw2", "tw1", "admin_anc"}  # the entry's area only
    for m in told:
        text = m.title + m.body + (m.link or "")
        assert "李明" in text and str(new) in text
        other = world["other"]  # the other entry's person id (as the message would write one: "person N", "人员 N")
        assert "王远" not in text and "远方路" not in text and GRID_B not in text
        assert f"person {other}" not in text and f"人员 {other}" not in text and f"/persons/{other}" not in text


# --- the command line: `linli worker --once` opens the review; a rejected import keeps its lookups --------


def test_linli_worker_opens_the_review_and_a_rejected_cli_import_is_audited(cli):
    from linli.authz.principal import principal_for
    from linli.residents import service
    from linli.residents.schemas import PersonIn

    assert cli("init").exit_code == 0
    with cli.db() as s:
        make_grids(s)
        make_person(s, make_household(s, GRID_B), name="王远", id_number=TAKEN)
        worker = make_user(s, "gw1", "grid_worker", GRID)
        home = make_household(s, GRID)
        p = principal_for(worker.id, "gw1", [("grid_worker", GRID)])
        service.register_person(s, p, PersonIn(household_id=home.id, relation="head", name="李明", id_number=TAKEN))
        s.commit()
    assert cli.count(IdReview) == 0
    for _ in range(2):  # run twice: one review
        r = cli("worker", "--once")
        assert r.exit_code == 0, r.output
        assert cli.count(IdReview) == 1 and cli.count(IdCheck) == 0
    # The operator's import of a file naming a registered number is rejected; its lookups stay audited.
    path = cli.write("r.csv", f"{HEADER}\nX1,{GRID},户主,新人,{TAKEN}\n")
    r = cli("residents", "import", path)
    assert r.exit_code == 2 and "row 2" in r.output, r.output
    assert cli.count(AuditEntry, AuditEntry.action == "persons.id_lookup", AuditEntry.entity_id == "import") == 1


def test_importing_the_same_file_again_changes_nothing_for_a_number_registered_elsewhere(client, session, world):
    def imported(number):
        body = f"{HEADER}\n{'X1' if number == FREE else 'X2'},{GRID},户主,新人,{number}\n".encode()
        url = "/api/v1/residents/import?filename=f.csv"
        r = client.post(url, content=body, headers={**world["worker"], "content-type": "text/csv"})
        assert r.status_code == 200, r.text
        return r.json()

    assert imported(FREE) == imported(TAKEN)
    again_free, again_taken = imported(FREE), imported(TAKEN)  # before the worker's check, and after it
    assert again_free == again_taken and again_taken["unchanged"] == 1 and again_taken["persons_added"] == 0
    checked(session)
    assert imported(TAKEN) == again_taken
    assert session.scalar(select(func.count()).select_from(Person).where(Person.name == "新人")) == 2
    assert session.scalar(select(func.count()).select_from(IdReview)) == 1
