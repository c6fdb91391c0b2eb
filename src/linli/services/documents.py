"""The two printed documents of the counter: the one-time notice of what is missing (一次性告知书),
for an application returned for correction, and the acceptance receipt (受理通知书) once accepted.
Both are in Chinese, as the counter hands them out; the page shows the same content in the reader's
language."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.kit import codes
from linli.kit.errors import Conflict
from linli.kit.i18n import t
from linli.kit.pdf import Document
from linli.kit.time import BEIJING, as_utc
from linli.services import kinds, repository
from linli.services.models import Application

ASSIST_ZH = {"none": "本人申请", "agent": "社区代办", "help": "社区帮办"}


def _day(value) -> str:
    return as_utc(value).astimezone(BEIJING).strftime("%Y年%m月%d日") if value else ""


def _parts(session: Session, app: Application):
    offer, item = repository.offer_with_item(session, app.offer_id)
    place = area_repo.names_of(session, [codes.unpad(app.area_code)]).get(codes.unpad(app.area_code), "")
    return offer, item, place


def one_time_notice(session: Session, app: Application) -> bytes:
    """一次性告知书: everything missing or to correct, at once, so one more visit is enough."""
    if app.state != "returned":
        raise Conflict(t("the one-time notice is for an application returned for correction"), code="wrong_state")
    offer, item, place = _parts(session, app)
    doc = Document("一次性告知书", subtitle=f"{place}便民服务站")
    doc.facts(
        [
            ("办件编号", app.number),
            ("申请人", app.applicant_name),
            ("申请事项", item.name),
            ("实施编码", offer.implementation_code),
            ("申请日期", _day(app.submitted_at)),
        ]
    )
    doc.paragraph(
        f"{app.applicant_name}：\n您申请的“{item.name}”，经审查，材料不齐全或不符合法定形式，请补正以下内容："
    )
    doc.table(
        ["序号", "需补正的材料或内容"],
        [(n, m) for n, m in enumerate(json.loads(app.missing or "[]"), 1)],
        widths=(1, 6),
    )
    all_materials = [
        (m.name, "原件" if m.original else "复印件", m.count, "必要" if m.required else "非必要")
        for m in kinds.materials_of(item.materials)
    ]
    doc.heading("本事项全部申请材料")
    doc.table(["材料名称", "形式", "份数", "必要性"], all_materials, widths=(5, 1.2, 1, 1.2))
    doc.paragraph(f"办理地点：{offer.place or place}\n办理时间：{offer.hours}\n咨询电话：{offer.consult_phone}")
    doc.paragraph("补齐材料后可在网上提交或到窗口办理，本事项最多跑一次。")
    doc.signature_lines(["经办人", "日期"])
    return doc.output()


def receipt(session: Session, app: Application) -> bytes:
    """受理通知书: the application is accepted, with its number and the promised date."""
    if app.accepted_at is None or app.state in ("submitted", "returned", "rejected", "withdrawn"):
        raise Conflict(t("the acceptance receipt is printed once the application is accepted"), code="wrong_state")
    offer, item, place = _parts(session, app)
    doc = Document("受理通知书", subtitle=f"{place}便民服务站")
    doc.facts(
        [
            ("办件编号", app.number),
            ("申请人", app.applicant_name),
            ("申请事项", item.name),
            ("实施编码", offer.implementation_code),
            ("受理日期", _day(app.accepted_at)),
            ("法定办结时限", f"{item.statutory_days}个工作日"),
            ("承诺办结时限", f"{offer.promised_days}个工作日（{_day(app.due_at)}前）"),
            ("办理方式", ASSIST_ZH.get(app.assist, "")),
        ]
    )
    doc.paragraph(f"{app.applicant_name}：\n您提交的“{item.name}”申请材料齐全，符合法定形式，现予受理。办理环节如下：")
    steps = [
        (s.name, s.unit, f"{s.days}个工作日" + ("" if s.counts else "（不计入时限）"))
        for s in kinds.steps_of(item.steps)
    ]
    doc.table(["环节", "实施单位", "时限"], steps, widths=(2, 3, 2))
    doc.paragraph(
        f"可凭办件编号在网上或到窗口查询办理进度。咨询电话：{offer.consult_phone}；投诉电话：{offer.complaint_phone}"
    )
    doc.signature_lines(["受理人", "日期"])
    return doc.output()
