"""What the API's parts share: the permission aliases, the query parameters and the answers' builders."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.organizations.models import (
    Alliance,
    Need,
    Organization,
    Project,
    Resource,
    ServiceRecord,
)
from linli.organizations.schemas import (
    AllianceOut,
    NeedOut,
    OrganizationOut,
    ProjectOut,
    ResourceOut,
    ServiceRecordOut,
)

Reader = Annotated[Principal, Depends(Require(Permission.orgs_read))]
Manager = Annotated[Principal, Depends(Require(Permission.orgs_manage))]
Actor = Annotated[Principal, Depends(Require(Permission.orgs_act))]
AREA = Query(None, max_length=15, description="area code: rows at it or beneath it")
YEAR = Query(None, ge=2000, le=2100, description="the year (default: this year)")


def org_out(o: Organization) -> OrganizationOut:
    fields = {k: getattr(o, k) for k in OrganizationOut.model_fields if k != "area_code"}
    return OrganizationOut(area_code=codes.unpad(o.area_code), **fields)


def alliance_out(a: Alliance, members: int) -> AllianceOut:
    return AllianceOut(
        id=a.id, area_code=codes.unpad(a.area_code), name=a.name, lead_org_id=a.lead_org_id, signed_on=a.signed_on,
        ends_on=a.ends_on, status=a.status, members=members, generated=a.generated,
    )  # fmt: skip


def out_of(model, row, **extra):
    fields = {k: getattr(row, k) for k in model.model_fields if k not in ("area_code", *extra)}
    return model(area_code=codes.unpad(row.area_code), **fields, **extra)


def need_out(n: Need) -> NeedOut:
    return out_of(NeedOut, n)


def resource_out(r: Resource) -> ResourceOut:
    return out_of(ResourceOut, r)


def project_out(p: Project) -> ProjectOut:
    return out_of(ProjectOut, p)


def record_out(r: ServiceRecord) -> ServiceRecordOut:
    return out_of(ServiceRecordOut, r)
