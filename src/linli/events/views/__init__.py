"""Web pages of grid events: an area's list, counts and map; handling units and their work queues; an
event page with its timeline, map, steps, supervision note and "me too"; the report form."""

from fastapi import APIRouter

from linli.events.views import area, event, report, units

router = APIRouter(include_in_schema=False)
for _module in (area, units, event, report):
    router.include_router(_module.router)
