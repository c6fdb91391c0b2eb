"""Filing with the township/street, its receipt, publication (in force), and the filing period setting."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.conventions import repository as repo
from linli.conventions.models import ConventionSettings, ConventionVersion
from linli.conventions.repository import REVIEW, WRITE
from linli.conventions.service.common import entry, version
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow


def file(session: Session, principal: Principal, version_id: int, filed_on: date, *, on: date | None = None):
    """Record the filing with the township/street; after the setting's N days it is flagged late."""
    on = on or repo.today()
    v = version(session, principal, version_id, WRITE, "adopted")
    if filed_on > on or filed_on < v.adopted_on:
        raise InvalidInput(t("the filing date must be between the adoption and today"))
    v.status, v.filed_on, v.filing_late = "filed", filed_on, filed_on > v.filing_due_on
    session.flush()
    record(
        session,
        principal,
        "convention.file",
        "convention_version",
        v.id,
        v.area_code,
        **entry(v, "adopted", filed_on=filed_on.isoformat(), late=v.filing_late),
    )
    return v


def receive(session: Session, principal: Principal, version_id: int) -> ConventionVersion:
    """The township/street acknowledges the filing it received."""
    v = version(session, principal, version_id, REVIEW, "filed", "in_force")
    if v.filing_received_at is not None:
        raise Conflict(t("this filing was received already"))
    v.filing_received_at, v.filing_received_by = utcnow(), principal.audit_name
    session.flush()
    record(session, principal, "convention.receive", "convention_version", v.id, v.area_code, **entry(v, v.status))
    return v


def publish(session: Session, principal: Principal, version_id: int, *, on: date | None = None) -> ConventionVersion:
    """Publish a filed version: it comes into force, the version before it is superseded."""
    on = on or repo.today()
    v = version(session, principal, version_id, WRITE, "filed")
    c = repo.convention(session, v.convention_id)
    if c.in_force_version_id:
        old = repo.version_for_update(session, c.in_force_version_id)
        old.status, old.superseded_on = "superseded", on
    v.status, v.published_on = "in_force", on
    c.in_force_version_id = v.id
    session.flush()
    record(
        session,
        principal,
        "convention.publish",
        "convention_version",
        v.id,
        v.area_code,
        **entry(v, "filed", published_on=on.isoformat()),
    )
    return v


def save_filing_days(session: Session, principal: Principal, code: str, days: int):
    if not codes.is_valid(code) or not principal.visible.contains(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(REVIEW, code, what=t("area {code}", code=code))
    if not 1 <= days <= 365:
        raise InvalidInput(t("the filing period must be between 1 and 365 days"))
    row = repo.settings_row(session, code)
    before = row.filing_days if row else None
    if row is None:
        row = ConventionSettings(area_code=codes.pad(code), filing_days=days, updated_by=principal.audit_name)
        session.add(row)
    row.filing_days, row.updated_by = days, principal.audit_name
    session.flush()
    record(session, principal, "convention.settings", "convention_settings", row.id, row.area_code,
           before={"filing_days": before}, after={"filing_days": days})  # fmt: skip
    return row
