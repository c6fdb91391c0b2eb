"""Budget lines and payments: exact amounts, refusals that change nothing (negative, over what remains,
out of scope, duplicate, a year outside the range), the report's roll-up and its files, and the pay runs
set beside the member-pay budget."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from sqlalchemy import func, select

from linli.funding import documents, report, service
from linli.funding.models import FundingLine, FundingPayment
from linli.funding.schemas import LineIn, PaymentIn, Sums
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.workforce import payroll
from tests.factories import SYSTEM, VILLAGE_A, make_user, principal
from tests.factories_funding import COUNTY, YEAR, make_line, make_payment
from tests.factories_workforce import county_rules, make_worker

OTHER_TOWN_VILLAGE = "220102002001"


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_amounts_are_exact_yuan_and_never_negative(session, areas):
    line = make_line(session, amount="1234.56")
    assert line.amount == Decimal("1234.56") and line.paid == Decimal("0.00")
    for bad in ("-0.01", "1.005"):
        with pytest.raises(ValidationError):
            LineIn(area_code=VILLAGE_A, year=YEAR, kind="office", payer="county", amount=Decimal(bad), basis="文件")
    # A body built past the schema (another domain's call) meets the service's own check.
    forged = LineIn.model_construct(area_code=VILLAGE_A, year=YEAR, kind="office", payer="county",
                                    amount=Decimal("-5.00"), basis="文件")  # fmt: skip
    with pytest.raises(InvalidInput, match="zero or more"):
        service.add_line(session, SYSTEM, forged)
    assert _count(session, FundingLine) == 1


def test_a_payment_over_what_remains_is_refused_with_the_figures(session, areas):
    line = make_line(session, amount="1000.00")
    make_payment(session, line, amount="600.00", voucher="V1")
    with pytest.raises(InvalidInput) as refused:
        make_payment(session, line, amount="400.01", voucher="V2")
    assert "1000.00 budgeted, 600.00 paid, 400.00 remaining" in refused.value.message
    assert refused.value.details == {"amount": "400.01", "budgeted": "1000.00", "paid": "600.00", "remaining": "400.00"}
    assert line.paid == Decimal("600.00") and _count(session, FundingPayment) == 1
    make_payment(session, line, amount="400.00", voucher="V2")  # exactly what remains
    assert line.paid == line.amount
    other = make_line(session, payer="county")
    make_payment(session, other, amount="1.00", voucher="V1")  # a voucher number is unique per line
    with pytest.raises(Conflict, match="voucher V1"):
        make_payment(session, other, amount="1.00", voucher="V1")
    assert other.paid == Decimal("1.00")


def test_a_payment_by_another_payer_or_of_nothing_is_refused(session, areas):
    line = make_line(session, payer="province")
    with pytest.raises(InvalidInput, match="paid by the province"):
        service.pay(session, SYSTEM, line.id, PaymentIn(paid_on=date(YEAR, 5, 1), amount=Decimal("1"), payer="county",
                                                       voucher="X"))  # fmt: skip
    with pytest.raises(ValidationError):
        PaymentIn(paid_on=date(YEAR, 5, 1), amount=Decimal("0"), voucher="X")
    assert _count(session, FundingPayment) == 0


def test_a_line_outside_scope_or_entered_below_the_county_is_refused(session, areas):
    sibling = make_user(session, "fd_sib", "official", "220103")
    street = make_user(session, "fd_street", "official", "220102001")
    worker = make_user(session, "fd_cw", "community_worker", VILLAGE_A)
    with pytest.raises(NotFound):
        make_line(session, actor=principal(sibling, ("official", "220103")))
    with pytest.raises(Forbidden, match="county's civil-affairs staff"):
        make_line(session, actor=principal(street, ("official", "220102001")))
    with pytest.raises(Forbidden):
        make_line(session, actor=principal(worker, ("community_worker", VILLAGE_A)))
    with pytest.raises(NotFound):
        make_line(session, area="220102009009")  # no such community
    assert _count(session, FundingLine) == 0
    county = make_user(session, "fd_county", "official", COUNTY)
    line = make_line(session, actor=principal(county, ("official", COUNTY)))
    with pytest.raises(NotFound):
        make_payment(session, line, actor=principal(sibling, ("official", "220103")))
    with pytest.raises(Forbidden):
        make_payment(session, line, actor=principal(street, ("official", "220102001")))


def test_a_duplicate_line_and_a_year_outside_the_range_are_refused(session, areas):
    make_line(session)
    with pytest.raises(Conflict, match="line of two-committee members' pay paid by the province already"):
        make_line(session, amount="5.00")
    make_line(session, payer="county")  # another payer: another line
    with pytest.raises(ValidationError):
        make_line(session, year=1999)
    with pytest.raises(InvalidInput, match=f"outside 2000–{service.last_year()}"):
        make_line(session, year=service.last_year() + 1)
    assert _count(session, FundingLine) == 2


def _world(session):
    a = make_line(session, amount="3000.00")
    make_line(session, payer="county", amount="2000.00")
    make_line(session, kind="office", payer="county", amount="10000.00")
    b = make_line(session, area=OTHER_TOWN_VILLAGE, amount="3000.00")
    make_line(session, area=OTHER_TOWN_VILLAGE, kind="public_service", payer="city", amount="50000.00")
    make_line(session, area="220103002001", amount="7777.00")  # the sibling county
    make_line(session, year=YEAR - 1, amount="999.00")  # another year
    make_payment(session, a, amount="1500.00", voucher="A1")
    make_payment(session, b, amount="3000.00", voucher="B1")


def test_the_report_rolls_up_by_payer_kind_area_and_place(session, areas):
    _world(session)
    out = report.report(session, SYSTEM, COUNTY, YEAR)
    assert (out.budgeted, out.paid, out.places) == (Decimal("68000.00"), Decimal("4500.00"), 2)
    assert out.average == Decimal("34000.00")
    assert out.by_kind["member_pay"].budgeted == Decimal("8000.00")
    assert out.by_kind["member_pay"].paid == Decimal("4500.00")
    assert out.by_payer["county"].budgeted == Decimal("12000.00") and out.by_payer["collective"].budgeted == 0
    assert out.by_kind_payer["public_service"]["city"].budgeted == Decimal("50000.00")
    assert [(c.area_code, c.budgeted, c.places) for c in out.children] == [
        ("220102001", Decimal("15000.00"), 1), ("220102002", Decimal("53000.00"), 1)
    ]  # fmt: skip
    assert [(a.place_kind, a.places, a.average) for a in out.by_place_kind] == [("community", 2, Decimal("34000.00"))]
    province = report.report(session, SYSTEM, "22", YEAR)
    # The seed's figure is this: the province report's member-pay total, every payer, every place.
    assert province.by_kind["member_pay"].budgeted == Decimal("15777.00")
    assert [c.area_code for c in province.children] == ["2201"] and province.places == 3
    assert province.workforce is None
    # A city's and the province's reports read the county sums kept on every write: they agree with the
    # counties' reports, which read the lines.
    counties = [report.report(session, SYSTEM, c, YEAR) for c in (COUNTY, "220103")]
    for kind, row in province.by_kind_payer.items():
        for payer, got in row.items():
            assert got == Sums(
                budgeted=sum(c.by_kind_payer[kind][payer].budgeted for c in counties),
                paid=sum(c.by_kind_payer[kind][payer].paid for c in counties),
            ), (kind, payer)
    assert province.by_place_kind[0].places == sum(c.places for c in counties)
    assert province.by_place_kind[0].budgeted == sum(c.budgeted for c in counties)
    with pytest.raises(InvalidInput, match="a village has its lines"):
        report.report(session, SYSTEM, VILLAGE_A, YEAR)


def test_the_report_as_xlsx_and_pdf(session, areas):
    _world(session)
    out = report.report(session, SYSTEM, COUNTY, YEAR)
    sheet = load_workbook(io.BytesIO(documents.report_xlsx(session, out))).active
    values = [[c.value for c in row][:4] for row in sheet.iter_rows()]
    assert ["2", "68000.00", "4500.00", "34000.00"] in values
    assert any(row[0] == "南岭街道" for row in values)  # areas by name
    pdf = documents.report_pdf(session, out)
    assert pdf.startswith(b"%PDF")


def test_the_county_report_sets_the_two_committee_pay_runs_beside_the_budget(session, areas):
    county_rules(session)
    head = make_worker(session, post="head", level=10)
    make_worker(session, name="社工乙", level=4)  # staff: not a two-committee post
    make_line(session, amount="90000.00")
    run = payroll.confirm(session, SYSTEM, COUNTY, f"{YEAR}-03")
    out = report.report(session, SYSTEM, COUNTY, YEAR)
    head_pay = next(x.amount for x in payroll.compute(session, SYSTEM, COUNTY, f"{YEAR}-03").lines
                    if x.worker_id == head.id)  # fmt: skip
    assert out.workforce is not None and out.workforce.months == [f"{YEAR}-03"]
    assert out.workforce.two_committee_paid == head_pay < run.total
    assert out.workforce.budgeted_member_pay == Decimal("90000.00")
    assert report.report(session, SYSTEM, COUNTY, YEAR - 1).workforce is None
