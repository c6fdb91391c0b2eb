"""The catalogue as an XLSX workbook in the layout of the provinces' catalogues: one sheet of items
(事项目录), one of materials (申请材料) and one of steps (办理环节), joined by the basic code, and one of
where each item is offered (实施清单), by implementation code. Headers are matched by their Chinese
names, in any order. An import checks every row of every sheet first; any bad row rejects the whole
file with every bad row listed (sheet, row number, reason) and nothing written.
"""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from typing import IO, Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import ImportRejected, InvalidInput, RowError
from linli.kit.i18n import gettext, t
from linli.kit.sheets import text_cell
from linli.services import kinds, repository, service
from linli.services.schemas import ItemIn, MaterialIn, OfferIn, StepIn

ITEMS = "事项目录"
MATERIALS = "申请材料"
STEPS = "办理环节"
OFFERS = "实施清单"
# (header, key) of each sheet, in the order written.
COLUMNS = {
    ITEMS: (
        ("基本编码", "basic_code"), ("主项名称", "main_name"), ("子项名称", "sub_name"), ("办理项名称", "name"),
        ("事项类型", "item_type"), ("主管部门", "department"), ("部门编码", "department_code"),
        ("实施主体", "implementing_unit"), ("行使层级", "level"), ("设定依据", "legal_basis"),
        ("受理条件", "conditions"), ("法定办结时限（工作日）", "statutory_days"),
        ("承诺办结时限（工作日）", "promised_days"), ("收费标准", "fee"), ("收费依据", "fee_basis"),
        ("网办深度", "online_depth"), ("到办事现场次数", "max_visits"), ("咨询电话", "consult_phone"),
        ("监督投诉电话", "complaint_phone"), ("社区职能", "community_role"), ("定义区划代码", "area_code"),
        ("示例待本地化", "example"),
    ),
    MATERIALS: (
        ("基本编码", "basic_code"), ("材料名称", "name"), ("材料形式", "original"), ("份数", "count"),
        ("必要性", "required"), ("空表样表", "template"),
    ),
    STEPS: (
        ("基本编码", "basic_code"), ("环节名称", "name"), ("实施单位", "unit"), ("单位层级", "level"),
        ("时限（工作日）", "days"), ("是否计入时限", "counts"),
    ),
    OFFERS: (
        ("实施编码", "implementation_code"), ("基本编码", "basic_code"), ("实施区划代码", "area_code"),
        ("承诺办结时限（工作日）", "promised_days"), ("办理地点", "place"), ("办理时间", "hours"),
        ("咨询电话", "consult_phone"), ("监督投诉电话", "complaint_phone"), ("是否启用", "enabled"),
    ),
}  # fmt: skip
ITEM_TYPE_ZH = {"XK": "行政许可", "JF": "行政给付", "QR": "行政确认", "JL": "行政奖励", "CJ": "行政裁决",
                "QT": "其他行政权力", "GG": "公共服务"}  # fmt: skip
LEVEL_ZH = {"community": "社区（村）", "township": "街道（乡镇）", "county": "县（区）"}
DEPTH_ZH = {"info": "信息公开", "apply": "网上申报", "full": "全程网办"}
ROLE_ZH = {"accept": "受理", "agent": "代办", "help": "帮办"}
YES, NO = "是", "否"
MAX_ROWS = 20000


# --- export ----------------------------------------------------------------------------------------


def _item_row(i) -> list[Any]:
    return [
        i.basic_code, i.main_name, i.sub_name, i.name, ITEM_TYPE_ZH[i.item_type], i.department, i.department_code,
        i.implementing_unit, LEVEL_ZH[i.level], i.legal_basis, i.conditions, i.statutory_days, i.promised_days,
        i.fee, i.fee_basis, DEPTH_ZH[i.online_depth], i.max_visits, i.consult_phone, i.complaint_phone,
        ROLE_ZH[i.community_role], codes.unpad(i.area_code), YES if i.example else NO,
    ]  # fmt: skip


def export(session: Session, principal: Principal, area_code: str) -> bytes:
    """The items an area may enable and every offer in its subtree, as a workbook."""
    service._check_definer(session, principal, area_code)
    from openpyxl import Workbook

    items = repository.items_for_area(session, area_code)
    offers = repository.offers_under(session, area_code)
    wb = Workbook(write_only=True)
    sheets = {name: wb.create_sheet(name) for name in COLUMNS}
    for name, ws in sheets.items():
        ws.append([text_cell(ws, h) for h, _ in COLUMNS[name]])
    for i in items:
        sheets[ITEMS].append([text_cell(sheets[ITEMS], v) for v in _item_row(i)])
        for m in kinds.materials_of(i.materials):
            row = [
                i.basic_code,
                m.name,
                "原件" if m.original else "复印件",
                m.count,
                "必要" if m.required else "非必要",
                m.template,
            ]
            sheets[MATERIALS].append([text_cell(sheets[MATERIALS], v) for v in row])
        for s in kinds.steps_of(i.steps):
            row = [i.basic_code, s.name, s.unit, LEVEL_ZH[s.level], s.days, YES if s.counts else NO]
            sheets[STEPS].append([text_cell(sheets[STEPS], v) for v in row])
    for o, i in offers:
        row = [
            o.implementation_code, i.basic_code, codes.unpad(o.area_code), o.promised_days, o.place, o.hours,
            o.consult_phone, o.complaint_phone, YES if o.enabled else NO,
        ]  # fmt: skip
        sheets[OFFERS].append([text_cell(sheets[OFFERS], v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- import ----------------------------------------------------------------------------------------


def _read(fh: IO[bytes]) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """{sheet: [(row number, {key: text})]}; a missing sheet or column refuses the file."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput(t("the file is not an .xlsx workbook"), code="not_xlsx") from None
    try:
        out = {}
        for name, columns in COLUMNS.items():
            if name not in wb.sheetnames:
                if name == OFFERS:
                    out[name] = []
                    continue
                raise InvalidInput(t("the workbook has no sheet “{sheet}”", sheet=name), code="missing_sheet")
            out[name] = _sheet_rows(wb[name], name, columns)
        return out
    finally:
        wb.close()


def _sheet_rows(ws, name: str, columns) -> list[tuple[int, dict[str, str]]]:
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    lacking = [h for h, _ in columns if h not in header]
    if lacking:
        raise InvalidInput(
            t("sheet “{sheet}” lacks the columns: {columns}", sheet=name, columns="、".join(lacking)),
            details=lacking,
            code="missing_columns",
        )
    where = {key: header.index(h) for h, key in columns}
    out = []
    for n, values in enumerate(rows, start=2):
        if n > MAX_ROWS:
            raise InvalidInput(t("a sheet may have at most {n} rows", n=MAX_ROWS))
        if not any(v not in (None, "") for v in values):
            continue
        cell = {k: "" if i >= len(values) or values[i] is None else str(values[i]).strip() for k, i in where.items()}
        out.append((n, cell))
    return out


def _reverse(table: dict[str, str], value: str, what: str) -> str:
    for key, word in table.items():
        if value in (key, word):
            return key
    raise ValueError(
        t("{what} “{value}” is unknown; use one of: {words}", what=what, value=value, words="、".join(table.values()))
    )


def _int(value: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        raise ValueError(t("“{value}” is not a number", value=value)) from None


def _yes(value: str) -> bool:
    return value in (YES, "必要", "原件", "1", "true", "True", "")


def _validation(exc: ValidationError) -> str:
    e = exc.errors()[0]
    return f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}"


def _items(rows, materials, steps, bad) -> tuple[dict[str, ItemIn], dict[str, int]]:
    out: dict[str, ItemIn] = {}
    rows_of: dict[str, int] = {}
    for n, c in rows[ITEMS]:
        try:
            if c["basic_code"] in out:
                raise ValueError(t("basic code {code} appears twice", code=c["basic_code"]))
            values = {
                **c,
                "item_type": _reverse(ITEM_TYPE_ZH, c["item_type"], gettext("item type")),
                "level": _reverse(LEVEL_ZH, c["level"], gettext("level")),
                "online_depth": _reverse(DEPTH_ZH, c["online_depth"], gettext("online depth")),
                "community_role": _reverse(ROLE_ZH, c["community_role"], gettext("community role")),
                "statutory_days": _int(c["statutory_days"]),
                "promised_days": _int(c["promised_days"]),
                "max_visits": _int(c["max_visits"] or "1"),
                "example": c["example"] == YES,
                "materials": materials.get(c["basic_code"], []),
                "steps": steps.get(c["basic_code"], []),
            }
            item = ItemIn(**values)
            problems = service.item_problems(item)
            if problems:
                raise ValueError("; ".join(problems))
            out[item.basic_code] = item
            rows_of[item.basic_code] = n
        except ValidationError as exc:
            bad.append(RowError(n, f"{ITEMS}: {_validation(exc)}", c.get("basic_code")))
        except ValueError as exc:
            bad.append(RowError(n, f"{ITEMS}: {exc}", c.get("basic_code")))
    return out, rows_of


def _children(rows, sheet: str, make, bad) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for n, c in rows[sheet]:
        try:
            out[c["basic_code"]].append(make(c))
        except ValidationError as exc:
            bad.append(RowError(n, f"{sheet}: {_validation(exc)}", c.get("basic_code")))
        except ValueError as exc:
            bad.append(RowError(n, f"{sheet}: {exc}", c.get("basic_code")))
    return out


def _material(c) -> MaterialIn:
    original = _reverse({"1": "原件", "0": "复印件"}, c["original"], gettext("material form")) == "1"
    required = _reverse({"1": "必要", "0": "非必要"}, c["required"], gettext("necessity")) == "1"
    return MaterialIn(
        name=c["name"], original=original, count=_int(c["count"] or "1"), required=required, template=c["template"]
    )


def _step(c) -> StepIn:
    level = _reverse(LEVEL_ZH, c["level"], gettext("level"))
    return StepIn(name=c["name"], unit=c["unit"], level=level, days=_int(c["days"]), counts=c["counts"] != NO)


def _offers(rows, items: dict[str, ItemIn], bad) -> list[tuple[int, str, dict]]:
    out, seen = [], set()
    for n, c in rows[OFFERS]:
        try:
            if c["implementation_code"] in seen:
                raise ValueError(t("implementation code {code} appears twice", code=c["implementation_code"]))
            seen.add(c["implementation_code"])
            why = kinds.implementation_code_problem(c["implementation_code"], c["area_code"], c["basic_code"])
            if why:
                raise ValueError(gettext(why))
            item = items.get(c["basic_code"])
            promised = _int(c["promised_days"]) if c["promised_days"] else None
            if item is not None and promised is not None and promised > item.statutory_days:
                raise ValueError(
                    t("the promised limit ({promised} working days) may not exceed the statutory limit ({statutory})",
                      promised=promised, statutory=item.statutory_days)
                )  # fmt: skip
            values = {k: c[k] for k in ("area_code", "place", "hours", "consult_phone", "complaint_phone")}
            out.append((n, c["basic_code"], {**values, "promised_days": promised, "enabled": c["enabled"] != NO}))
        except ValueError as exc:
            bad.append(RowError(n, f"{OFFERS}: {exc}", c.get("implementation_code")))
    return out


def _check_reach(principal: Principal, items: dict[str, ItemIn], rows_of: dict[str, int], offers, bad) -> None:
    manage = Permission.services_manage
    for code, item in items.items():
        why = _out_of_reach(principal, item.area_code, manage)
        if why:
            bad.append(RowError(rows_of.get(code, 0), f"{ITEMS}: {why}", code))
    for n, _, o in offers:
        why = _out_of_reach(principal, o["area_code"], manage)
        if why:
            bad.append(RowError(n, f"{OFFERS}: {why}", o["area_code"]))


def _out_of_reach(principal: Principal, code: str, manage: Permission) -> str | None:
    """Why a row's area is refused: unknown or out of sight reads like a missing area (404's words)."""
    if not codes.is_valid(code) or not principal.visible.contains(code):
        return t("area {code} does not exist", code=code)
    if not principal.can(manage, code):
        return t("you may not change the catalogue of area {code}", code=code)
    return None


def import_file(session: Session, principal: Principal, fh: IO[bytes]) -> tuple[int, int]:
    """Import a catalogue workbook: every row checked first, then all of it saved, or none."""
    rows = _read(fh)
    bad: list[RowError] = []
    materials = _children(rows, MATERIALS, _material, bad)
    steps = _children(rows, STEPS, _step, bad)
    items, rows_of = _items(rows, materials, steps, bad)
    offers = _offers(rows, items, bad)
    known = {**repository.items_by_code(session, [b for _, b, _ in offers if b not in items])}
    for n, basic, _ in offers:
        if basic not in items and basic not in known:
            bad.append(RowError(n, f"{OFFERS}: " + t("basic code {code} is not in the catalogue", code=basic)))
    _check_reach(principal, items, rows_of, offers, bad)
    if bad:
        bad.sort(key=lambda r: (r["row"], r.get("reason", "")))
        raise ImportRejected(t("{n} rows are wrong; nothing was imported", n=len(bad)), bad)
    if not items and not offers:
        raise InvalidInput(t("the workbook has no items and no offers"))
    saved = {code: service.save_item(session, principal, item) for code, item in items.items()}
    for _, basic, o in offers:
        item_id = saved[basic].id if basic in saved else known[basic].id
        service.save_offer(session, principal, OfferIn(item_id=item_id, **o))
    first = next(iter(items.values())).area_code if items else offers[0][2]["area_code"]
    record(
        session, principal, "services.catalogue_import", "service_catalogue", "xlsx", codes.pad(first),
        after={"items": len(items), "offers": len(offers)},
    )  # fmt: skip
    return len(items), len(offers)
