"""The new-household form (a household with its members on one page) and the household search (address,
name, room, ID and phone numbers, building, tag, register type; address order; pages)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.kit.natural import natural_key
from linli.residents.models import Household, Person, PersonTag
from tests.factories import SYSTEM, auth, make_user, token_for
from tests.factories_residents import GRID, GRID_B, make_building, make_household, make_person, make_staff, new_id


@pytest.fixture
def world(session, family, client):
    h, (head, spouse, child) = family
    other = make_household(session, GRID_B, address="远方路9号")
    make_person(session, other, name="王远", phone="13700001111")
    staff = make_staff(session, "worker", "community", "outsider")
    w = {
        "h": h.id,
        "head": head.id,
        "other": other.id,
        "worker": auth(token_for(session, staff["worker"])),
        "chief": auth(token_for(session, staff["community"])),
        "outsider": auth(token_for(session, staff["outsider"])),
    }
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def bad_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def household_form(members: list[dict], **household) -> dict:
    data = {"address": "和平路8号2单元301室", "unit": "2", "room": "301", "register_type": "resident", **household}
    data["rows"] = str(len(members))
    for n, m in enumerate(members, 1):
        for k, v in m.items():
            data[f"m{n}_{k}"] = v
    return data


def test_a_household_registered_with_its_members_on_one_page(client, session, world):
    page = client.get(f"/grids/{GRID}/households", headers=world["worker"])
    assert f'href="/grids/{GRID}/households/new"' in page.text and "Register a new household" in page.text
    assert client.get(f"/grids/{GRID}/households/new", headers=world["worker"]).status_code == 200
    members = [
        {"relation": "head", "name": "赵一", "id_number": new_id(date(1960, 1, 2)), "phone": "13911112222",
         "m_tags": "", "tags": "elderly_alone"},
        {"relation": "spouse", "name": "钱二", "id_number": new_id(date(1962, 3, 4))},
        {"relation": "child", "name": "赵三", "id_number": new_id(date(1990, 5, 6)), "ethnicity": "满族"},
    ]  # fmt: skip
    r = client.post(
        f"/grids/{GRID}/households/new", data=household_form(members), headers=world["worker"], follow_redirects=False
    )
    assert r.status_code == 303, r.text
    hid = int(r.headers["location"].split("/households/")[1].split("?")[0])
    h = session.get(Household, hid)
    assert (h.address, h.unit, h.room, h.register_type) == ("和平路8号2单元301室", "2", "301", "resident")
    people = session.scalars(select(Person).where(Person.household_id == hid).order_by(Person.id)).all()
    assert [(p.name, p.relation, p.ethnicity) for p in people] == [
        ("赵一", "head", ""), ("钱二", "spouse", ""), ("赵三", "child", "满族")
    ]  # fmt: skip
    assert h.head_person_id == people[0].id
    assert session.scalar(select(PersonTag.tag).where(PersonTag.person_id == people[0].id)) == "elderly_alone"
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.area_code.startswith(GRID))).all()
    assert actions.count("persons.create") >= 3 and "households.create" in actions
    shown = client.get(f"/households/{hid}", headers=world["worker"]).text
    assert "赵一" in shown and "139****2222" in shown and "13911112222" not in shown


def test_every_member_error_is_listed_with_its_row_and_nothing_is_written(client, session, world):
    before = (count(session, Household), count(session, Person))
    third_bad = bad_check_digit(new_id(date(1995, 7, 8)))
    members = [
        {"relation": "head", "name": "孙一", "id_number": new_id(date(1970, 1, 1))},
        {"relation": "spouse", "name": "周二", "id_number": new_id(date(1971, 1, 1)), "phone": "12345"},
        {"relation": "child", "name": "孙三", "id_number": third_bad},
        {"relation": "head", "name": "孙四", "id_number": new_id(date(1999, 1, 1))},
    ]
    r = client.post(f"/grids/{GRID}/households/new", data=household_form(members), headers=world["worker"])
    assert r.status_code == 422, r.text
    assert "Member 2: " in r.text and "phone" in r.text
    assert "Member 3: the ID number&#39;s check digit is wrong" in r.text
    assert "Member 4: a household has one head; member 1 is the head" in r.text
    assert "Member 1:" not in r.text
    # Everything typed is still there; nothing was written.
    assert f'value="{third_bad}"' in r.text and 'value="孙三"' in r.text and 'value="和平路8号2单元301室"' in r.text
    assert (count(session, Household), count(session, Person)) == before
    # In Chinese, the member's place leads the message.
    client.cookies.set("linli_lang", "zh_CN")
    r = client.post(f"/grids/{GRID}/households/new", data=household_form(members[:3]), headers=world["worker"])
    assert "第3位成员：身份证号校验位错误" in r.text


def test_no_head_no_members_and_empty_rows(client, session, world):
    url = f"/grids/{GRID}/households/new"
    members = [{"relation": "child", "name": "吴一", "id_number": new_id(date(2001, 1, 1))}]
    r = client.post(url, data=household_form(members), headers=world["worker"])
    assert r.status_code == 422 and "The household needs a head" in r.text
    r = client.post(url, data=household_form([{"relation": "head"}]), headers=world["worker"])
    assert r.status_code == 422 and "Give at least one member of the household." in r.text
    # An empty row between two filled ones is left out, and the numbering follows the rows shown.
    members = [
        {"relation": "head", "name": "吴一", "id_number": new_id(date(1961, 1, 1))},
        {"relation": ""},
        {"relation": "child", "name": "", "id_number": new_id(date(2001, 1, 1))},
    ]
    r = client.post(url, data=household_form(members), headers=world["worker"])
    assert r.status_code == 422 and "Member 2: give the name" in r.text and "Member 3:" not in r.text
    # "Another member" adds a row and saves nothing.
    before = count(session, Household)
    r = client.post(url, data={**household_form(members), "more": "1"}, headers=world["worker"])
    assert r.status_code == 200 and 'id="m4_name"' in r.text and count(session, Household) == before


def test_already_registered_person_is_named_on_the_form(client, session, world):
    head = session.get(Person, world["head"])
    from linli.residents import pii

    taken = pii.open_id(head.id_number_enc, reveal=True)
    members = [{"relation": "head", "name": "张伟", "id_number": taken}]
    r = client.post(f"/grids/{GRID}/households/new", data=household_form(members), headers=world["worker"])
    assert r.status_code == 422 and "Member 1: 张伟 (person" in r.text and "already registered" in r.text


def test_the_form_is_for_writers_of_the_grid(client, world):
    assert client.get(f"/grids/{GRID}/households/new", headers=world["outsider"]).status_code == 404
    members = [{"relation": "head", "name": "郑一", "id_number": new_id(date(1961, 1, 1))}]
    r = client.post(f"/grids/{GRID_B}/households/new", data=household_form(members), headers=world["worker"])
    assert r.status_code == 404


# --- search ---------------------------------------------------------------------------------------


@pytest.fixture
def street(session, world):
    """Households of GRID at 2-1-31, 2-1-302, 2-1-4 … (rooms and numbers that sort wrongly as text)."""
    b = make_building(session, GRID, name="和平小区2号楼")
    made = {}
    for address in ("和平路2-1-302", "和平路2-1-31", "和平路2-1-4", "和平路12-1-1", "和平路2-2-1"):
        h = make_household(session, GRID, address=address, register_type="floating")
        made[address] = h
    made["和平路2-1-31"].building_id = b.id
    make_person(session, made["和平路2-1-302"], name="陈七", phone="13600001234", tags=("subsistence",))
    session.commit()
    return {"building": b.id, **{a: h.id for a, h in made.items()}}


def _listed(text: str, names: list[str]) -> list[str]:
    return sorted((n for n in names if n in text), key=text.index)


def test_households_in_natural_address_order(client, street, world):
    r = client.get(f"/grids/{GRID}/households", params={"q": "和平路"}, headers=world["worker"])
    assert r.status_code == 200
    order = _listed(r.text, ["和平路2-1-302", "和平路2-1-31", "和平路2-1-4", "和平路12-1-1", "和平路2-2-1"])
    assert order == ["和平路2-1-4", "和平路2-1-31", "和平路2-1-302", "和平路2-2-1", "和平路12-1-1"]
    assert "5 households found" in r.text
    assert natural_key("2-1-31") < natural_key("2-1-302") < natural_key("2-1-４０２")


def test_search_by_each_condition(client, session, street, world):
    url, who = f"/grids/{GRID}/households", world["worker"]

    def found(**params) -> list[str]:
        r = client.get(url, params=params, headers=who)
        assert r.status_code == 200, r.text
        return _listed(r.text, ["和平路2-1-302", "和平路2-1-31", "和平路2-1-4", "幸福路1号"])

    assert found(q="陈七") == ["和平路2-1-302"]  # a member's name
    assert found(q="张小明") == ["幸福路1号"]
    assert found(building=str(street["building"])) == ["和平路2-1-31"]
    assert found(phone="136 0000 1234") == ["和平路2-1-302"]
    assert found(tag="subsistence") == ["和平路2-1-302"]
    assert found(tag="veteran") == ["幸福路1号"]
    assert found(register_type="local") == ["幸福路1号"]
    assert found(q="和平路2-1", register_type="floating") == ["和平路2-1-4", "和平路2-1-31", "和平路2-1-302"]
    head = session.get(Person, world["head"])
    from linli.residents import pii

    number = pii.open_id(head.id_number_enc, reveal=True)
    lookups = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "persons.id_lookup")
    before = session.scalar(lookups)
    assert found(id_number=number.lower()) == ["幸福路1号"]
    after = session.scalar(lookups)
    assert after == before + 1  # a lookup by ID number is audited


def test_room_matches_the_room_or_the_address(client, session, street, world):
    h = session.get(Household, street["和平路2-1-4"])
    h.room = "4"
    other = make_household(session, GRID, address="和平路3号302室")
    session.commit()
    r = client.get(f"/grids/{GRID}/households", params={"room": "302"}, headers=world["worker"])
    assert "和平路3号302室" in r.text and "和平路2-1-302" not in r.text
    r = client.get(f"/grids/{GRID}/households", params={"room": "4"}, headers=world["worker"])
    assert "和平路2-1-4" in r.text and other.address not in r.text


def test_bad_search_input_is_said_and_kept(client, street, world):
    url, who = f"/grids/{GRID}/households", world["worker"]
    bad = bad_check_digit(new_id())
    r = client.get(url, params={"id_number": bad, "q": "和平"}, headers=who)
    assert r.status_code == 422 and "check digit" in r.text and f'value="{bad}"' in r.text and 'value="和平"' in r.text
    r = client.get(url, params={"phone": "12"}, headers=who)
    assert r.status_code == 422 and 'value="12"' in r.text
    assert client.get(url, params={"tag": "nobody"}, headers=who).status_code == 422
    assert client.get(url, params={"building": "x1"}, headers=who).status_code == 422


def test_search_keeps_to_the_readers_areas(client, street, world):
    # A number, phone or name of another village's household finds nothing for the grid worker.
    r = client.get("/areas/220102001/households", params={"q": "王远"}, headers=world["worker"])
    assert r.status_code == 404  # the township is not theirs
    r = client.get(f"/grids/{GRID}/households", params={"phone": "13700001111"}, headers=world["worker"])
    assert "远方路9号" not in r.text and "0 households found" in r.text
    # The community worker searches the whole community; a sibling village stays outside.
    r = client.get("/areas/220102001001/households", params={"q": "和平路2-1"}, headers=world["chief"])
    assert r.status_code == 200 and "和平路2-1-31" in r.text
    assert client.get(f"/areas/{GRID_B[:12]}/households", headers=world["chief"]).status_code == 404


def test_above_a_community_the_page_waits_for_a_condition(client, session, street):
    official = make_user(session, "street1", "official", "220102001")
    session.commit()
    who = auth(token_for(session, official))
    r = client.get("/areas/220102001/households", headers=who)  # their street: no list until asked
    assert r.status_code == 200 and "Give a condition" in r.text and "和平路2-1-31" not in r.text
    r = client.get("/areas/220102001/households", params={"q": "和平路2-1-31"}, headers=who)
    assert "1 household found" in r.text and "和平路2-1-31" in r.text


def test_pages_keep_the_search(client, session, world):
    for n in range(1, 56):
        make_household(session, GRID, address=f"翻页路{n}号")
    session.commit()
    r = client.get(f"/grids/{GRID}/households", params={"q": "翻页路"}, headers=world["worker"])
    assert "55 households found" in r.text and "Page 1 of 2" in r.text
    assert "q=%E7%BF%BB%E9%A1%B5%E8%B7%AF&amp;page=2" in r.text
    assert "翻页路50号" in r.text and "翻页路51号" not in r.text
    r = client.get(f"/grids/{GRID}/households", params={"q": "翻页路", "page": 2}, headers=world["worker"])
    assert _listed(r.text, ["翻页路51号", "翻页路55号", "翻页路9号"]) == ["翻页路51号", "翻页路55号"]


def test_sort_key_follows_edits(session, world):
    from linli.residents.schemas import HouseholdPatch
    from linli.residents.service import households

    h = households.update_household(session, SYSTEM, world["h"], HouseholdPatch(address="和平路2-1-302"))
    session.flush()
    assert h.sort_key == natural_key("和平路2-1-302", h.unit, h.room)
