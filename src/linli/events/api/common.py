"""Who the events API lets in: the permissions its routes require, as route parameters
(`principal: Reader`, `session: DbSession`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from linli.authz.deps import Credentials, Require, RequireLater
from linli.authz.permissions import Permission
from linli.authz.principal import Principal

READ = Require(Permission.events_read)
REPORT = Require(Permission.events_report)
MANAGE = Require(Permission.events_manage)
MANAGE_CATEGORIES = Require(Permission.categories_manage)
# The report route checks a bearer token with the report itself, in the intake's batch (see RequireLater).
REPORT_LATER = RequireLater(Permission.events_report)

Reader = Annotated[Principal, Depends(READ)]
Reporter = Annotated[Principal, Depends(REPORT)]
Manager = Annotated[Principal, Depends(MANAGE)]
CategoryManager = Annotated[Principal, Depends(MANAGE_CATEGORIES)]
ReporterLater = Annotated[Principal | Credentials, Depends(REPORT_LATER)]
