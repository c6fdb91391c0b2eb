"""The catalogue: the example items, the limits (promised never above statutory), where an item may be
enabled, the public catalogue, and the XLSX in the catalogues' layout (round trip; every bad row
listed and nothing written)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from linli.kit.errors import ImportRejected, InvalidInput, NotFound
from linli.services import repository, seed, service, sheet
from linli.services.models import ServiceItem, ServiceOffer
from linli.services.schemas import OfferIn
from tests.factories import SYSTEM, VILLAGE_A, auth, token_for
from tests.factories_services import ALLOWANCE, SUBSISTENCE, VILLAGE_B, services_world


@pytest.fixture
def world(session):
    return services_world(session)


def _items(session) -> int:
    return session.scalar(select(func.count()).select_from(ServiceItem))


def test_examples_limits_and_where_items_are_enabled(session, world):
    examples = seed.example_items()
    assert len(examples) >= 25 and all(i.example for i in examples)
    assert {"居住证申领", "高龄津贴申领", "特困人员认定", "残疾人证申领", "失业登记"} <= {i.name for i in examples}
    assert _items(session) == len(examples)
    item = repository.item_by_code(session, ALLOWANCE)

    too_long = examples[3].model_copy(update={"promised_days": examples[3].statutory_days + 1})
    with pytest.raises(InvalidInput, match="may not exceed the statutory limit"):
        service.save_item(session, SYSTEM, too_long)
    with pytest.raises(InvalidInput, match="may not exceed the statutory limit"):
        service.save_offer(session, SYSTEM, OfferIn(item_id=item.id, area_code=VILLAGE_B, promised_days=21))
    bad_code = examples[3].model_copy(update={"basic_code": "GG-MZ-00004"})  # the type says JF
    with pytest.raises(InvalidInput, match="basic code must begin"):
        service.save_item(session, SYSTEM, bad_code)
    with pytest.raises(InvalidInput, match="county, a street or township, or a community"):
        service.save_offer(session, SYSTEM, OfferIn(item_id=item.id, area_code="2201"))
    # An official of the street enables it in a community beneath, not in a sibling street's.
    street = world["p"]["street"]
    offer = service.save_offer(session, street, OfferIn(item_id=item.id, area_code=VILLAGE_B, promised_days=8))
    assert offer.implementation_code == f"{VILLAGE_B}-MZ-JF-00004" and offer.promised_days == 8
    with pytest.raises(NotFound):
        service.save_offer(session, street, OfferIn(item_id=item.id, area_code="220103001001"))


def test_public_catalogue_without_signing_in(client, session, world):
    session.commit()
    r = client.get(f"/api/v1/services/catalogue/{VILLAGE_A}")
    assert r.status_code == 200
    assert {o["basic_code"] for o in r.json()} == {ALLOWANCE, SUBSISTENCE, "GG-RS-00007"}
    offer_id = world["offers"][SUBSISTENCE].id
    page = client.get(f"/services/offers/{offer_id}")
    assert page.status_code == 200 and "家庭收入和财产状况声明及授权核对书" in page.text and "区民政局" in page.text
    assert client.get(f"/services/catalogue/{VILLAGE_A}").status_code == 200
    assert client.get("/services/catalogue/999999").status_code == 404
    # The resident's home links to their community's catalogue.
    home = client.get("/", headers=auth(token_for(session, world["users"]["resident"])))
    assert f"/services/catalogue/{VILLAGE_A}" in home.text


def _workbook(session) -> Workbook:
    return load_workbook(io.BytesIO(sheet.export(session, SYSTEM, "22")))


def _save(wb: Workbook) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_xlsx_round_trip_and_bad_rows(session, world):
    wb = _workbook(session)
    assert wb.sheetnames == [sheet.ITEMS, sheet.MATERIALS, sheet.STEPS, sheet.OFFERS]
    assert wb[sheet.ITEMS].max_row == len(seed.ITEMS) + 1
    items, offers = sheet.import_file(session, SYSTEM, _save(wb))
    assert (items, offers) == (len(seed.ITEMS), 3)

    ws = wb[sheet.ITEMS]
    header = [c.value for c in ws[1]]
    col = {h: header.index(h) + 1 for h in header}
    statutory = int(ws.cell(2, col["法定办结时限（工作日）"]).value)
    ws.cell(2, col["承诺办结时限（工作日）"], str(statutory + 1))  # above the statutory limit
    last = ws.max_row + 1
    ws.append([c.value for c in ws[4]])  # a duplicate code
    ws.cell(5, col["事项类型"], "行政许可证")  # no such type
    offers_ws = wb[sheet.OFFERS]
    offers_ws.cell(2, 1, "220102001001-MZ-JF-99999")  # does not match its item
    before = (_items(session), session.scalar(select(func.count()).select_from(ServiceOffer)))
    with pytest.raises(ImportRejected) as exc:
        sheet.import_file(session, SYSTEM, _save(wb))
    rows = {(r["row"], r["reason"].split(":")[0]) for r in exc.value.rows}
    assert {(2, sheet.ITEMS), (last, sheet.ITEMS), (5, sheet.ITEMS), (2, sheet.OFFERS)} <= rows
    assert any("may not exceed" in r["reason"] for r in exc.value.rows)
    assert any("appears twice" in r["reason"] for r in exc.value.rows)
    after = (_items(session), session.scalar(select(func.count()).select_from(ServiceOffer)))
    assert after == before

    wb = _workbook(session)
    wb[sheet.STEPS].delete_cols(5)  # 时限
    with pytest.raises(InvalidInput, match="lacks the columns") as exc:
        sheet.import_file(session, SYSTEM, _save(wb))
    assert exc.value.details == ["时限（工作日）"]
    with pytest.raises(InvalidInput, match="not an .xlsx"):
        sheet.import_file(session, SYSTEM, io.BytesIO(b"not a workbook"))
    # Someone who may not define items at the province has every such row refused.
    with pytest.raises(ImportRejected):
        sheet.import_file(session, world["p"]["street"], _save(_workbook(session)))
