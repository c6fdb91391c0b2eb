"""JSON API of organizations and social forces, in parts by subject: the registry (`registry`: /api/v1/organizations),
alliances (`alliances`: /api/v1/alliances) and their three lists (`lists`: /api/v1/org-needs, /api/v1/org-resources,
/api/v1/org-projects), dual reporting and the counts (`reporting`: /api/v1/member-reports, /api/v1/service-records,
/api/v1/service-summary, /api/v1/org-counts), pairings (`pairings`: /api/v1/pairings), an alliance's
agreements, meetings and reviews and a unit's evaluations (`records`).

`router` mounts them in this order (the first five in the order the single module had)."""

from fastapi import APIRouter

from linli.organizations.api import alliances, lists, pairings, records, registry, reporting

router = APIRouter()
for _module in (registry, alliances, lists, reporting, pairings, records):
    router.include_router(_module.router)
