"""Builders of the funding domain's rows: a budget line, a payment against it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from linli.funding import service
from linli.funding.schemas import LineIn, PaymentIn
from tests.factories import SYSTEM, VILLAGE_A

COUNTY = "220102"
YEAR = 2026


def make_line(session, *, area=VILLAGE_A, year=YEAR, kind="member_pay", payer="province", amount="1000.00",
              basis="测试县财政文件", actor=SYSTEM):  # fmt: skip
    data = LineIn(area_code=area, year=year, kind=kind, payer=payer, amount=Decimal(amount), basis=basis)
    return service.add_line(session, actor, data)


def make_payment(session, line, amount="100.00", voucher="凭证-001", on=date(YEAR, 3, 31), actor=SYSTEM):
    return service.pay(session, actor, line.id, PaymentIn(paid_on=on, amount=Decimal(amount), voucher=voucher))
