"""One row of the register file, checked on its own: the checks that need no other row nor the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from linli.kit.i18n import t
from linli.kit.phone import InvalidPhone, parse_phone
from linli.residents.idcard import IdNumber, InvalidIdNumber, parse_id
from linli.residents.kinds import (
    GENDER_LABELS,
    REGISTER_LABELS,
    RELATION_LABELS,
    TAG_LABELS,
    RegisterType,
    Relation,
    from_label,
)
from linli.residents.sheet import cell_date, cell_text

TRUE, FALSE = {"是", "y", "yes", "true", "1", "党员"}, {"否", "n", "no", "false", "0", ""}


@dataclass
class Row:
    n: int
    household_key: str
    grid: str
    register_type: str
    address: str
    relation: str
    name: str
    id_number: str
    gender: str
    birth_date: date
    ethnicity: str
    phone: str | None
    moved_in_on: date | None
    party_member: bool
    tags: list[str]


class RowProblem(ValueError):
    pass


def _date(value: Any, what: str) -> date | None:
    try:
        return cell_date(value)
    except ValueError as exc:
        raise RowProblem(f"{what}: {exc}") from None


def parse_row(n: int, raw: dict[str, Any], grids: frozenset[str], today: date) -> Row:
    """One row checked on its own (the file-wide and database checks come after): every problem of the row
    is reported, in the order of its columns, so that one correction of the file fixes them all."""
    problems: list[str] = []

    def check(fn, *args):
        try:
            return fn(*args)
        except RowProblem as exc:
            problems.append(str(exc))
            return None

    key, grid, name = check(_household_key, raw), check(_grid, raw, grids), check(_name, raw)
    parsed = check(_id_number, raw, today)
    relation, register = check(_relation, raw), check(_register_type, raw)
    if parsed is not None:
        check(_check_agrees, raw, parsed)
    phone = check(_phone, raw)
    party_text = cell_text(raw.get("party_member")).lower()
    if party_text not in TRUE | FALSE:
        problems.append(t("党员 {value!r} is not 是 or 否", value=party_text))
    tags, moved_in = check(_tags, raw), check(_date, raw.get("moved_in_on"), "迁入日期")
    if problems:
        raise RowProblem("; ".join(problems))
    assert parsed is not None and relation is not None and register is not None and tags is not None
    return Row(
        n=n,
        household_key=key,
        grid=grid,
        register_type=register.value,
        address=cell_text(raw.get("address"))[:300],
        relation=relation.value,
        name=name,
        id_number=parsed.value,
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        ethnicity=cell_text(raw.get("ethnicity"))[:20],
        phone=phone,
        moved_in_on=moved_in,
        party_member=party_text in TRUE,
        tags=sorted(set(tags)),
    )


def _household_key(raw: dict[str, Any]) -> str:
    key = cell_text(raw.get("household_key"))
    if not key or len(key) > 64:
        raise RowProblem(t("户编号 is missing (or longer than 64 characters)"))
    return key


def _grid(raw: dict[str, Any], grids: frozenset[str]) -> str:
    grid = cell_text(raw.get("grid"))
    if grid not in grids:
        raise RowProblem(
            t("grid {grid} does not exist (or is not yours to write)", grid=grid) if grid else t("网格编码 is missing")
        )
    return grid


def _name(raw: dict[str, Any]) -> str:
    name = cell_text(raw.get("name"))
    if not name or len(name) > 100:
        raise RowProblem(t("姓名 is missing") if not name else t("姓名 is longer than 100 characters"))
    return name


def _id_number(raw: dict[str, Any], today: date) -> IdNumber:
    raw_id = raw.get("id_number")
    if isinstance(raw_id, float | int) and not isinstance(raw_id, bool):
        raise RowProblem(t("公民身份号码 was stored as a number and lost digits: format the column as text"))
    try:
        return parse_id(cell_text(raw_id), today)
    except InvalidIdNumber as exc:
        raise RowProblem(t("bad ID number: {problem}", problem=exc.message)) from None


def _relation(raw: dict[str, Any]) -> Relation:
    relation = from_label(RELATION_LABELS, cell_text(raw.get("relation")))
    if relation is None:
        raise RowProblem(
            t(
                "与户主关系 {value!r} is not one of {choices}",
                value=cell_text(raw.get("relation")),
                choices="、".join(RELATION_LABELS.values()),
            )
        )
    return relation


def _register_type(raw: dict[str, Any]) -> RegisterType:
    reg_text = cell_text(raw.get("register_type"))
    register = from_label(REGISTER_LABELS, reg_text) if reg_text else RegisterType.local
    if register is None:
        raise RowProblem(
            t("户籍类型 {value!r} is not one of {choices}", value=reg_text, choices="、".join(REGISTER_LABELS.values()))
        )
    return register


def _check_agrees(raw: dict[str, Any], parsed: IdNumber) -> None:
    """A gender or birth date given must agree with the ID number."""
    gender_text = cell_text(raw.get("gender"))
    if gender_text:
        gender = from_label(GENDER_LABELS, gender_text)
        if gender is None:
            raise RowProblem(t("性别 {value!r} is not 男 or 女", value=gender_text))
        if gender.value != parsed.gender:
            raise RowProblem(t("性别 {value} does not agree with the ID number", value=gender_text))
    born = _date(raw.get("birth_date"), "出生日期")
    if born is not None and born != parsed.birth_date:
        raise RowProblem(
            t(
                "birth date {birth_date} does not agree with the ID number ({id_birth_date})",
                birth_date=born.isoformat(),
                id_birth_date=parsed.birth_date.isoformat(),
            )
        )


def _phone(raw: dict[str, Any]) -> str | None:
    phone_text = cell_text(raw.get("phone"))
    try:
        return parse_phone(phone_text) if phone_text else None
    except InvalidPhone as exc:
        raise RowProblem(t("bad phone number: {problem}", problem=exc.message)) from None


def _tags(raw: dict[str, Any]) -> list[str]:
    tags = []
    for label in cell_text(raw.get("tags")).replace(";", "、").replace("；", "、").replace(",", "、").split("、"):
        if label.strip():
            tag = from_label(TAG_LABELS, label)
            if tag is None:
                raise RowProblem(
                    t("unknown tag {tag!r}; tags are {tags}", tag=label.strip(), tags="、".join(TAG_LABELS.values()))
                )
            tags.append(tag.value)
    return tags
