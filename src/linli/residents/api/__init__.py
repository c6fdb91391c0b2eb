"""JSON API of the residents register (/api/v1/...): one router, its routes in four modules.

`files` (template, import, export), `accounts` (account links, my registration), `id_reviews` (ID
numbers registered twice) and `register` (buildings, households, persons, history, transfers, search,
stats) add their routes to `router`, in the order imported below (the order of the OpenAPI document).
"""

from typing import Annotated

from fastapi import APIRouter, Depends

from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal

READ = Require(Permission.residents_read)
WRITE = Require(Permission.residents_write)
Reader = Annotated[Principal, Depends(READ)]
Writer = Annotated[Principal, Depends(WRITE)]

router = APIRouter(prefix="/api/v1", tags=["residents"])

# isort: off
from linli.residents.api import files, accounts, id_reviews, register  # noqa: E402, F401  (their routes, in order)
