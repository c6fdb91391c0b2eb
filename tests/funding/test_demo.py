"""The demo funding: every place of the demo counties budgeted for the demo year, marked generated, paid
within the lines, the report's member-pay figure computed from them."""

from __future__ import annotations

from sqlalchemy import select

from linli.funding import demo, report
from linli.funding.models import FundingLine, FundingPayment
from tests.factories import SYSTEM


def test_demo_lines_payments_and_the_member_pay_figure(session, areas):
    said = []
    demo.step(session, SYSTEM, said.append)
    lines = session.scalars(select(FundingLine)).all()
    assert lines and all(x.generated and "生成" in x.basis and 0 <= x.paid <= x.amount for x in lines)
    payments = session.scalars(select(FundingPayment)).all()
    assert payments and all(p.generated for p in payments)
    assert sum(p.amount for p in payments) == sum(x.paid for x in lines)
    out = report.report(session, SYSTEM, "22", demo.YEAR)
    member = sum(x.amount for x in lines if x.kind == "member_pay")
    assert out.by_kind["member_pay"].budgeted == member > 0
    demo.step(session, SYSTEM, said.append)  # a second run adds nothing
    assert len(session.scalars(select(FundingLine)).all()) == len(lines)
