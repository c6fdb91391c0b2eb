"""All routers of the events issue in one: events, categories/units/routing, Open311, the inbox."""

from __future__ import annotations

from fastapi import APIRouter

from linli.events.api import router as events_router
from linli.events.catalog_api import router as catalog_router
from linli.events.open311.api import router as open311_router
from linli.notify.api import router as inbox_router

router = APIRouter()
for _r in (events_router, catalog_router, open311_router, inbox_router):
    router.include_router(_r)
