"""Scope cases of the funding routes: budget lines, payments, the report (JSON, XLSX, PDF), the pages."""

from __future__ import annotations

from tests.factories import VILLAGE_A
from tests.factories_funding import COUNTY, YEAR, make_line, make_payment
from tests.scope_cases import Case

BASIS = "ScopeCaseBasis"


def setup(session, w) -> dict:
    line = make_line(session, basis=BASIS, amount="5000.00")
    make_payment(session, line, amount="100.00", voucher="SC-0")
    return {"fd_line": line.id}


def cases(w) -> dict:
    line = {"line_id": w["fd_line"]}
    new = {"area_code": VILLAGE_A, "year": YEAR, "kind": "office", "payer": "city", "amount": "800.00",
           "basis": "县文件"}  # fmt: skip
    payment = {"paid_on": f"{YEAR}-04-30", "amount": "10.00", "voucher": "SC-1"}
    report = {"area": COUNTY, "year": YEAR}
    return {
        ("GET", "/api/v1/funding/lines"): Case(kind="list", hidden=BASIS),
        ("POST", "/api/v1/funding/lines"): Case(body=new),
        ("GET", "/api/v1/funding/lines/{line_id}"): Case(path=line),
        ("POST", "/api/v1/funding/lines/{line_id}/payments"): Case(path=line, body=payment),
        ("GET", "/api/v1/funding/report"): Case(params=report),
        ("GET", "/api/v1/funding/report.xlsx"): Case(params=report),
        ("GET", "/api/v1/funding/report.pdf"): Case(params=report),
        ("GET", "/areas/{code}/funding"): Case(path={"code": COUNTY}, params={"year": YEAR}),
        ("POST", "/areas/{code}/funding/lines"): Case(
            path={"code": VILLAGE_A}, data={k: v for k, v in new.items() if k != "area_code"}
        ),
        ("POST", "/areas/{code}/funding/lines/{line_id}/payments"): Case(
            path={"code": VILLAGE_A, **line}, data=payment
        ),
    }
