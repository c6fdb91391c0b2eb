"""Importing the division hierarchy and boundaries: validate every row first, write all or nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from linli.areas import geometry, locate
from linli.areas.models import Area
from linli.areas.repository import all_area_rows, boundaries_of, get_areas
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.codes import Level
from linli.kit.errors import Forbidden, ImportRejected, InvalidInput, RowError
from linli.kit.i18n import t
from linli.kit.time import utcnow

Progress = Callable[[int, int], None]  # (done, total)
DEFAULT_KIND = {
    Level.province: "province",
    Level.city: "city",
    Level.county: "county",
    Level.township: "township",
    Level.village: "village",
}


@dataclass
class ImportReport:
    total: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[RowError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)

    def summary(self) -> str:
        if not self.changed and not self.skipped:
            return f"nothing changed: all {self.unchanged} rows are already up to date"
        text = f"{self.inserted} added, {self.updated} updated, {self.unchanged} unchanged"
        return text + (f", {len(self.skipped)} bad rows skipped" if self.skipped else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": list(self.skipped),
            "summary": self.summary(),
        }


def load_json(raw: bytes | str, what: str) -> Any:
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise InvalidInput(t("the {what} file is not UTF-8 text", what=what)) from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            t(
                "the {what} file is not valid JSON: {msg} at line {lineno} column {colno}",
                what=what,
                msg=exc.msg,
                lineno=exc.lineno,
                colno=exc.colno,
            ),
            code="malformed_file",
        ) from None


def load_features(raw: bytes | str, what: str) -> list:
    """The features of a GeoJSON FeatureCollection file, or a clear error."""
    data = load_json(raw, what)
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise InvalidInput(t("the {what} file must be a GeoJSON FeatureCollection", what=what), code="malformed_file")
    return data["features"]


def _chunks(rows: list[dict], size: int = 2000):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


# --- divisions --------------------------------------------------------------------------------


def _validate_division(i: int, row: Any, seen: dict[str, int]) -> tuple[dict | None, RowError | None]:
    if not isinstance(row, dict):
        return None, RowError(i, t("a division must be an object with code, name and parent_code"))
    code = row.get("code")
    key = code if isinstance(code, str) else None
    if not isinstance(code, str):
        return None, RowError(i, t("code is missing or not a string"), key)
    try:
        level = codes.level_of(code)
    except codes.CodeError as exc:
        return None, RowError(i, str(exc), key)
    if level is Level.grid:
        return None, RowError(i, t("grids (15-digit codes) are imported with 'linli import grids'"), key)
    name = row.get("name")
    if not isinstance(name, str) or not name.strip():
        return None, RowError(i, t("name is missing"), key)
    if row.get("level") not in (None, level.value):
        return None, RowError(
            i,
            t(
                "level {given!r} does not match a {count}-digit code ({level})",
                given=row.get("level"),
                count=len(code),
                level=level,
            ),
            key,
        )
    parent = row.get("parent_code")
    if level is Level.province:
        if parent not in (None, ""):
            return None, RowError(i, t("a province has no parent"), key)
        parent = None
    elif not isinstance(parent, str) or not parent:
        return None, RowError(i, t("parent_code is missing"), key)
    elif not codes.is_ancestor(parent, code) or not codes.is_valid(parent):
        return None, RowError(i, t("code {code} is not under its parent {parent}", code=code, parent=parent), key)
    if code in seen:
        return None, RowError(i, t("duplicate code {code} (first in row {first})", code=code, first=seen[code]), key)
    seen[code] = i
    kind = row.get("kind") or DEFAULT_KIND[level]
    if not isinstance(kind, str) or len(kind) > 40:
        return None, RowError(i, t("kind must be a short string"), key)
    return {
        "code": code,
        "name": name.strip()[:200],
        "level": level.value,
        "kind": kind,
        "parent_code": parent,
    }, None


def import_divisions(
    session: Session,
    actor: Principal,
    raw: bytes | str,
    *,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a divisions file `{divisions: [{code, name, level, kind, parent_code}]}` (or a bare list)."""
    rows = _division_rows(raw)
    valid, errors = _validate_divisions(rows)
    existing = all_area_rows(session)
    valid = _drop_orphans(valid, errors, known=set(existing) | {item["code"] for _, item in valid})
    errors.sort(key=lambda e: e["row"])
    if errors and not skip_bad_rows:
        raise ImportRejected(t("{count} bad row(s); nothing was imported", count=len(errors)), errors)
    for _, item in valid:
        if not actor.can(Permission.areas_write, item["code"]):
            raise Forbidden(t("you may not import areas at {code}", code=item["code"]))
    report = ImportReport(total=len(rows), skipped=errors)
    new_rows, changed_rows = _division_changes(valid, existing, report)
    _write_divisions(session, new_rows, changed_rows, progress)
    report.inserted, report.updated = len(new_rows), len(changed_rows)
    if report.changed:
        root = min((r["code"] for r in new_rows + changed_rows), key=len)
        record(
            session,
            actor,
            "areas.import",
            "area_import",
            _digest(raw),
            root,
            after={
                "inserted": report.inserted,
                "updated": report.updated,
                "updated_codes": [r["code"] for r in changed_rows][:200],
            },
        )
    return report


def _division_rows(raw: bytes | str) -> list:
    """The rows of a divisions file, or a clear error when it holds no list of them."""
    data = load_json(raw, t("divisions"))
    rows = data.get("divisions") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise InvalidInput(
            t("the divisions file must hold a list 'divisions' of objects with code, name and parent_code")
        )
    return rows


def _validate_divisions(rows: list) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """(row number, clean row) of each valid row, and the errors of the others."""
    seen: dict[str, int] = {}
    valid: list[tuple[int, dict]] = []
    errors: list[RowError] = []
    for i, row in enumerate(rows, 1):
        item, err = _validate_division(i, row, seen)
        if err:
            errors.append(err)
        else:
            valid.append((i, item))
    return valid, errors


def _drop_orphans(valid: list[tuple[int, dict]], errors: list[RowError], known: set[str]) -> list[tuple[int, dict]]:
    """The rows whose parent exists (in the file or the database); a row whose parent was rejected is
    bad too, so this repeats until nothing more is dropped. Each dropped row adds an error."""
    changed = True
    while changed:
        changed = False
        keep = []
        for i, item in valid:
            p = item["parent_code"]
            if p is not None and p not in known:
                errors.append(RowError(i, t("unknown parent {p}", p=p), item["code"]))
                known.discard(item["code"])
                changed = True
            else:
                keep.append((i, item))
        valid = keep
    return valid


def _division_changes(
    valid: list[tuple[int, dict]], existing: dict[str, tuple], report: ImportReport
) -> tuple[list[dict], list[dict]]:
    """The rows to insert (parents first) and to update; unchanged ones are counted in the report."""
    new_rows, changed_rows = [], []
    for _, item in valid:
        old = existing.get(item["code"])
        if old is None:
            new_rows.append(item)
        elif old != (item["name"], item["level"], item["kind"], item["parent_code"]):
            changed_rows.append(item)
        else:
            report.unchanged += 1
    new_rows.sort(key=lambda r: len(r["code"]))  # parents before children (foreign key)
    return new_rows, changed_rows


def _write_divisions(
    session: Session, new_rows: list[dict], changed_rows: list[dict], progress: Progress | None
) -> None:
    now = utcnow()
    done, todo = 0, len(new_rows) + len(changed_rows)
    for chunk in _chunks(new_rows):
        session.execute(
            insert(Area),
            [{**r, "area_code": codes.pad(r["code"]), "created_at": now, "updated_at": now} for r in chunk],
        )
        done += len(chunk)
        if progress:
            progress(done, todo)
    for chunk in _chunks(changed_rows):
        session.execute(update(Area), [{**r, "updated_at": now} for r in chunk])
        done += len(chunk)
        if progress:
            progress(done, todo)


def _digest(raw: bytes | str) -> str:
    data = raw.encode() if isinstance(raw, str) else raw
    return hashlib.sha256(data).hexdigest()[:16]


# --- boundaries -------------------------------------------------------------------------------


def _feature_code(props: dict) -> str | None:
    for key in ("code", "adcode", "area_code"):
        value = props.get(key)
        if value is not None:
            return str(value)
    return None


def import_boundaries(
    session: Session,
    actor: Principal,
    raw: bytes | str,
    *,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import boundaries from a FeatureCollection whose features carry `code` or `adcode`."""
    features = load_features(raw, t("boundaries"))
    errors: list[RowError] = []
    parsed: dict[str, tuple[int, str, dict]] = {}
    for i, feat in enumerate(features, 1):
        props = (feat.get("properties") or {}) if isinstance(feat, dict) else {}
        code = _feature_code(props) if isinstance(props, dict) else None
        if code is None:
            errors.append(RowError(i, t("the feature has no 'code' or 'adcode' property")))
            continue
        if code in parsed:
            errors.append(
                RowError(
                    i, t("duplicate code {code} (first in feature {first})", code=code, first=parsed[code][0]), code
                )
            )
            continue
        try:
            geom = geometry.parse_polygonal(feat.get("geometry"))
        except geometry.GeometryError as exc:
            errors.append(RowError(i, str(exc), code))
            continue
        parsed[code] = (i, geometry.to_geojson(geom), geometry.describe(geom))
    areas = get_areas(session, list(parsed))
    for code, (i, _, _) in list(parsed.items()):
        if code not in areas:
            errors.append(RowError(i, t("unknown area code {code}", code=code), code))
            del parsed[code]
        elif areas[code].level == Level.grid.value:
            errors.append(RowError(i, t("{code} is a grid; use 'linli import grids'", code=code), code))
            del parsed[code]
    errors.sort(key=lambda e: e["row"])
    if errors and not skip_bad_rows:
        raise ImportRejected(t("{count} bad feature(s); nothing was imported", count=len(errors)), errors)
    for code in parsed:
        if not actor.can(Permission.areas_write, code):
            raise Forbidden(t("you may not import boundaries at {code}", code=code))
    report = ImportReport(total=len(features), skipped=errors)
    current = boundaries_of(session, list(parsed))
    updates = []
    for code, (_, text, desc) in parsed.items():
        if current.get(code) == text:
            report.unchanged += 1
        else:
            updates.append(
                {"code": code, "boundary": text, "boundary_generated": False, **desc, "updated_at": utcnow()}
            )
    for n, chunk in enumerate(_chunks(updates, 50), 1):
        session.execute(update(Area), chunk)
        if progress:
            progress(min(n * 50, len(updates)), len(updates))
    report.updated = len(updates)
    if updates:
        locate.mark_changed(session)
        root = min((u["code"] for u in updates), key=len)
        record(
            session,
            actor,
            "areas.import_boundaries",
            "boundary_import",
            _digest(raw),
            codes.parent_of(root) or root,
            after={"updated_codes": [u["code"] for u in updates][:200]},
        )
    return report
