"""The reads of the API and the pages, checked against the reader: an area out of reach and a row out of
scope answer 404 like a missing one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.organizations import counts as org_counts
from linli.organizations import files, matching
from linli.organizations import repository as repo
from linli.organizations.models import (
    Agreement,
    Alliance,
    AllianceMeeting,
    AllianceMember,
    AllianceReview,
    Need,
    Organization,
    Pairing,
    PairingActivity,
    Project,
    Resource,
    ServiceRecord,
    UnitEvaluation,
)
from linli.organizations.service import pairings as pairing_service
from linli.organizations.service.common import (
    READ,
    area_in,
    visible_alliance,
    visible_need,
    visible_org,
    visible_project,
)
from linli.residents import repository as residents_repo

organization = visible_org
alliance = visible_alliance
need = visible_need
project = visible_project


def organizations(
    session: Session,
    principal: Principal,
    area: str | None,
    *,
    kind: str | None = None,
    q: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Organization], int]:
    if area:
        area_in(session, principal, area, READ)
    scope = principal.scope(READ)
    return repo.orgs_in(session, scope, area_code=area, kind=kind, q=q, status=status, offset=offset, limit=limit)


def contacts(session: Session, principal: Principal, org_id: int) -> list[tuple[int, str, str]]:
    return repo.contacts_of(session, visible_org(session, principal, org_id).id)


def alliances(
    session: Session, principal: Principal, area: str | None, *, offset: int = 0, limit: int = 50
) -> tuple[list[Alliance], int, dict[int, int]]:
    if area:
        area_in(session, principal, area, READ)
    items, total = repo.alliances_in(session, principal.scope(READ), area_code=area, offset=offset, limit=limit)
    return items, total, repo.member_counts(session, [a.id for a in items])


def members(session: Session, principal: Principal, alliance_id: int) -> list[tuple[AllianceMember, Organization]]:
    return repo.members_of(session, visible_alliance(session, principal, alliance_id).id)


def needs(
    session: Session, principal: Principal, area: str, *, status: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[Need], int]:
    area_in(session, principal, area, READ)
    return repo.needs_in(session, principal.scope(READ), area, status=status, offset=offset, limit=limit)


def alliance_needs(
    session: Session,
    principal: Principal,
    alliance_id: int,
    *,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Need], int]:
    """The needs in an alliance's area that the reader may see (from a community: its own)."""
    a = visible_alliance(session, principal, alliance_id)
    scope = principal.scope(READ)
    return repo.needs_in(session, scope, codes.unpad(a.area_code), status=status, offset=offset, limit=limit)


def resources(session: Session, principal: Principal, alliance_id: int) -> list[Resource]:
    return repo.resources_of(session, visible_alliance(session, principal, alliance_id).id)


def projects(session: Session, principal: Principal, alliance_id: int) -> list[Project]:
    scope = principal.scope(READ)
    rows = repo.projects_of(session, alliance_id=visible_alliance(session, principal, alliance_id).id)
    return [p for p in rows if scope.contains(p.area_code)]


def suggestions(
    session: Session, principal: Principal, *, alliance_id: int | None = None, area_code: str | None = None
) -> list[matching.Suggestion]:
    """For an alliance (needs in its area, its resources) or for an area (every alliance covering it)."""
    scope = principal.scope(READ)
    if alliance_id is not None:
        a = visible_alliance(session, principal, alliance_id)
        return matching.suggest(session, scope, codes.unpad(a.area_code), alliance=a)
    area_in(session, principal, area_code or "", READ)
    return matching.suggest(session, scope, area_code)


def service_records(session: Session, principal: Principal, org_id: int, year: int) -> list[ServiceRecord]:
    org = visible_org(session, principal, org_id)
    return repo.service_records_of(session, org.id, principal.scope(READ), year)


@dataclass(frozen=True)
class Summary:
    organization_id: int
    organization_name: str
    member_report_id: int | None
    member_name: str | None
    records: int
    hours: float
    average_rating: float | None


def summary(session: Session, principal: Principal, area: str, year: int) -> list[Summary]:
    """The year's service in communities under `area`, by unit and by reported member. A member's name is
    shown to those who may read the register there; others see the member's report number."""
    area_in(session, principal, area, READ)
    rows = repo.yearly_summary(session, principal.scope(READ), area, year)
    orgs = repo.org_names(session, [r[0] for r in rows])
    member_ids = [r[1] for r in rows if r[1] is not None]
    persons = repo.member_persons(session, member_ids)
    readable = {m: p for m, (p, code) in persons.items() if principal.can(Permission.residents_read, code)}
    names = residents_repo.names_of(session, list(readable.values()))
    out = []
    for org_id, member, n, hours, avg in rows:
        name = names.get(readable.get(member)) if member is not None else None
        out.append(
            Summary(
                org_id,
                orgs.get(org_id, ""),
                member,
                name,
                n,
                round(float(hours or 0), 1),
                None if avg is None else round(float(avg), 2),
            )
        )
    return out


def counts(session: Session, principal: Principal, area: str) -> tuple[list[org_counts.Row], org_counts.Row]:
    area_in(session, principal, area, READ)
    return org_counts.by_child(session, principal.scope(READ), area)


def pairings(
    session: Session, principal: Principal, area: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[Pairing], int, dict[int, int]]:
    """The pairings of communities under `area`, with their numbers of activities."""
    area_in(session, principal, area, READ)
    items, total = repo.pairings_in(session, principal.scope(READ), area, offset=offset, limit=limit)
    return items, total, repo.activity_counts(session, [p.id for p in items])


def pairing(session: Session, principal: Principal, pairing_id: int) -> Pairing:
    return pairing_service.visible_pairing(session, principal, pairing_id)


def activities(session: Session, principal: Principal, pairing_id: int) -> list[PairingActivity]:
    return repo.activities_of(session, pairing(session, principal, pairing_id).id)


# --- an alliance's agreements, meetings and reviews; a unit's evaluations ---------------------------


def agreements(session: Session, principal: Principal, alliance_id: int) -> list[Agreement]:
    return repo.agreements_of(session, visible_alliance(session, principal, alliance_id).id)


def agreement_file(session: Session, principal: Principal, agreement_id: int) -> tuple[Path, str, str]:
    """(path, file name, media type) of an agreement's signed file; 404 when out of reach or without one."""
    row = repo.get_agreement(session, agreement_id, principal.scope(READ))
    if row is None or row.file_sha256 is None or not files.path_of(row.file_sha256).exists():
        raise NotFound(t("the file of agreement {id} does not exist", id=agreement_id))
    return files.path_of(row.file_sha256), row.file_name or "agreement", row.file_type or "application/octet-stream"


def meetings(session: Session, principal: Principal, alliance_id: int) -> list[AllianceMeeting]:
    return repo.meetings_of(session, visible_alliance(session, principal, alliance_id).id)


def reviews(session: Session, principal: Principal, alliance_id: int) -> list[AllianceReview]:
    return repo.reviews_of(session, visible_alliance(session, principal, alliance_id).id)


def evaluations(session: Session, principal: Principal, org_id: int) -> list[UnitEvaluation]:
    """A unit's evaluations by the communities the reader sees (its contact sees those of its place)."""
    return repo.evaluations_of(session, visible_org(session, principal, org_id).id, principal.scope(READ))
