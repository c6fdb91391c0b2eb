"""JSON routes of events: reports, lists, steps and photos (`events`); categories and their limits,
handling units and routing rules (`catalog`); the GeoReport v2 (Open311) routes (`open311`).

`router` mounts them in this order: the event reports, the busiest API, are tried first.
"""

from fastapi import APIRouter

from linli.events.api import catalog, events, open311

router = APIRouter()
for _module in (events, catalog, open311):
    router.include_router(_module.router)
