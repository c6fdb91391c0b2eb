"""The facility form of the staff's pages: the fields as typed (to show again on a refusal) and the
FacilityIn they make. Seven weekdays of opening hours and a few rooms, all optional but the name and area."""

from __future__ import annotations

from datetime import time

from starlette.datastructures import FormData

from linli.facilities.kinds import WEEKDAYS
from linli.facilities.schemas import FacilityIn
from linli.facilities.service import area_problem
from linli.kit.errors import InvalidInput
from linli.kit.i18n import gettext, t

ROOMS = 4
FIELDS = ("name", "floor_area", "address", "phone", "lon", "lat", "note")


def typed(form: FormData) -> dict:
    """What the person typed, as the template shows it again."""
    out = {k: str(form.get(k, "")) for k in FIELDS}
    for day in range(7):
        out[f"opens_{day}"], out[f"closes_{day}"] = (
            str(form.get(f"opens_{day}", "")),
            str(form.get(f"closes_{day}", "")),
        )
    for i in range(ROOMS):
        for part in ("room_name", "room_function", "room_area"):
            out[f"{part}_{i}"] = str(form.get(f"{part}_{i}", ""))
    out["accessibility"] = [str(v) for v in form.getlist("accessibility")]
    return out


def _time(value: str, what: str) -> time:
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(t("{what}: {value!r} is not a time (HH:MM)", what=what, value=value)) from None


def _hours(form: dict) -> list[dict]:
    out = []
    for day, name in enumerate(WEEKDAYS):
        opens, closes = form[f"opens_{day}"].strip(), form[f"closes_{day}"].strip()
        if not opens and not closes:
            continue
        if not opens or not closes:
            raise InvalidInput(t("{day}: give both the opening and the closing time, or neither", day=gettext(name)))
        out.append({"weekday": day, "opens": _time(opens, gettext(name)), "closes": _time(closes, gettext(name))})
    return out


def _number(value: str) -> str | None:
    return value.strip().replace(",", "").replace("，", "") or None


def facility_in(area_code: str, form: dict) -> FacilityIn:
    """The body of the form; InvalidInput or a ValidationError when a field cannot be one."""
    rooms = [
        {"name": form[f"room_name_{i}"].strip(), "function": form[f"room_function_{i}"] or "other",
         "floor_area": _number(form[f"room_area_{i}"])}
        for i in range(ROOMS) if form[f"room_name_{i}"].strip()
    ]  # fmt: skip
    area = _number(form["floor_area"])
    if area is None:
        raise InvalidInput(t("give the floor area in m²"))
    problem = area_problem(area, t("the floor area"))
    if problem:
        raise InvalidInput(problem)
    return FacilityIn(
        area_code=area_code, name=form["name"], floor_area=area, address=form["address"],
        phone=form["phone"].strip() or None, lon=_number(form["lon"]), lat=_number(form["lat"]), note=form["note"],
        accessibility=form["accessibility"], rooms=rooms, hours=_hours(form),
    )  # fmt: skip
