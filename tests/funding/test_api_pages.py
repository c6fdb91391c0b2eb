"""The funding API and pages by role: the county enters lines and payments, a street reads its
communities, a community worker reads its own community's lines; bad input answers 4xx keeping what
was typed."""

from __future__ import annotations

from decimal import Decimal

from linli.funding.models import FundingLine
from tests.factories import VILLAGE_A, auth, make_user, token_for
from tests.factories_funding import COUNTY, YEAR, make_line, make_payment


def _tokens(session):
    users = [
        make_user(session, "fa_county", "official", COUNTY),
        make_user(session, "fa_street", "official", "220102001"),
        make_user(session, "fa_cw", "community_worker", VILLAGE_A),
        make_user(session, "fa_sib", "official", "220103"),
    ]
    return {u.username.removeprefix("fa_"): auth(token_for(session, u)) for u in users}


def test_api_lines_payments_and_report_by_role(session, areas, client):
    own = make_line(session, basis="本社区的文件", amount="2000.00")
    other = make_line(session, area="220102001002", basis="邻社区的文件")
    make_line(session, area="220102002001", basis="另一街道的文件")
    h = _tokens(session)
    session.commit()
    body = {"area_code": VILLAGE_A, "year": YEAR, "kind": "office", "payer": "county", "amount": "12000.50",
            "basis": "县民政局文件"}  # fmt: skip
    assert client.post("/api/v1/funding/lines", json=body, headers=h["street"]).status_code == 403
    assert client.post("/api/v1/funding/lines", json=body, headers=h["sib"]).status_code == 404
    r = client.post("/api/v1/funding/lines", json=body, headers=h["county"])
    assert r.status_code == 201 and r.json()["amount"] == "12000.50" and r.json()["remaining"] == "12000.50"
    assert client.post("/api/v1/funding/lines", json=body, headers=h["county"]).status_code == 409
    for bad in ({"amount": "-1"}, {"amount": "1.234"}, {"year": 1999}, {"year": 2101}):
        assert client.post("/api/v1/funding/lines", json={**body, **bad}, headers=h["county"]).status_code == 422
    pay = {"paid_on": f"{YEAR}-06-30", "amount": "2000.01", "voucher": "财-1"}
    r = client.post(f"/api/v1/funding/lines/{own.id}/payments", json=pay, headers=h["county"])
    assert r.status_code == 422 and r.json()["error"]["details"]["remaining"] == "2000.00"
    r = client.post(f"/api/v1/funding/lines/{own.id}/payments", json={**pay, "amount": "2000"}, headers=h["county"])
    assert r.status_code == 201 and r.json()["remaining"] == "0.00" and len(r.json()["payments"]) == 1
    # The community worker reads their own community's lines only; the street its communities.
    listed = client.get("/api/v1/funding/lines", headers=h["cw"]).json()
    assert {x["basis"] for x in listed["items"]} == {"本社区的文件", "县民政局文件"}
    assert client.get(f"/api/v1/funding/lines/{other.id}", headers=h["cw"]).status_code == 404
    assert client.get(f"/api/v1/funding/lines/{other.id}", headers=h["street"]).status_code == 200
    assert (
        client.get("/api/v1/funding/report", params={"area": COUNTY, "year": YEAR}, headers=h["street"]).status_code
        == 404
    )
    r = client.get("/api/v1/funding/report", params={"area": "220102001", "year": YEAR}, headers=h["street"])
    assert r.status_code == 200 and Decimal(r.json()["budgeted"]) == Decimal("15000.50")
    r = client.get("/api/v1/funding/report.xlsx", params={"area": COUNTY, "year": YEAR}, headers=h["county"])
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_pages_county_enters_street_and_worker_read(session, areas, client):
    line = make_line(session, amount="3000.00", basis="页面文件")
    make_payment(session, line, amount="1000.00", voucher="页-1")
    h = _tokens(session)
    session.commit()
    page = client.get(f"/areas/{VILLAGE_A}/funding?year={YEAR}", headers=h["county"])
    assert page.status_code == 200 and "页面文件" in page.text and "2,000.00" in page.text
    assert 'name="voucher"' in page.text
    page = client.get(f"/areas/{VILLAGE_A}/funding?year={YEAR}", headers=h["cw"])
    assert page.status_code == 200 and "页面文件" in page.text and 'name="voucher"' not in page.text
    street = client.get(f"/areas/220102001/funding?year={YEAR}", headers=h["street"])
    assert street.status_code == 200 and "华阳社区" in street.text and "3,000.00" in street.text
    assert client.get(f"/areas/{COUNTY}/funding", headers=h["street"]).status_code == 404
    county = client.get(f"/areas/{COUNTY}/funding?year={YEAR}", headers=h["county"])
    assert county.status_code == 200 and "南岭街道" in county.text and "report.pdf" in county.text
    # Over what remains: refused with the figures, the typed amount and voucher kept.
    url = f"/areas/{VILLAGE_A}/funding/lines/{line.id}/payments"
    form = {"paid_on": f"{YEAR}-07-01", "amount": "2500.00", "voucher": "页-2"}
    refused = client.post(url, data=form, headers=h["county"])
    assert refused.status_code == 422 and "2000.00" in refused.text and 'value="2500.00"' in refused.text
    assert 'value="页-2"' in refused.text
    done = client.post(url, data={**form, "amount": "2000.00"}, headers=h["county"], follow_redirects=False)
    assert done.status_code == 303
    assert client.post(url, data=form, headers=h["street"]).status_code == 403
    bad = {"year": str(YEAR), "kind": "office", "payer": "county", "amount": "-3", "basis": "负数"}
    refused = client.post(f"/areas/{VILLAGE_A}/funding/lines", data=bad, headers=h["county"])
    assert refused.status_code == 422 and 'value="负数"' in refused.text
    assert session.query(FundingLine).filter_by(basis="负数").count() == 0
