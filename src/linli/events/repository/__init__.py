"""All SQL of the events domain, reads included. Reads of scoped rows take an AreaScope, never a
Principal: what a principal may see is decided by the callers (service, reads, the flows).

The functions live in topic modules and are all importable from here (`repository.event(...)`):

- `catalog`: categories and their limits, handling units, members and areas, routing rules;
- `events`: one event, filtered lists, a unit's queue, timeline, photos, escalation candidates;
- `counts`: the counts by village and state, and the counts per child area;
- `nearby`: the open events near places (the possible duplicates of reports).

`linli.events.repository.reads` builds on these the reads of the API and the pages, checked against
the reader (it is imported by name, not from here: it uses the service's view of an event).
"""

from linli.events.repository.catalog import (
    active_categories,
    active_subcategories,
    categories,
    category,
    dispatch_desk,
    grid_worker_ids,
    is_member,
    limit_override,
    limits_set_at,
    officials_at,
    routed_unit_id,
    rule_set_at,
    rules,
    subcategories,
    unit,
    unit_member_ids,
    unit_served_areas,
    units,
    units_of_member,
)
from linli.events.repository.counts import (
    closed_since_by_child,
    counts_by_child,
    counts_by_child_from_counts,
    move_count,
    move_counts,
    overdue_by_child,
    overdue_total,
    queue_count,
    rebuild_counts,
    state_totals,
)
from linli.events.repository.events import (
    QUEUE_STATES,
    areas_named_in,
    by_idempotency_key,
    event,
    filtered,
    generated_count,
    grid_points,
    insert_events,
    open_overdue_for_escalation,
    overdue_clause,
    page,
    photos,
    queue,
    said_me_too,
    service_request,
    service_requests,
    state_in,
    timeline,
)
from linli.events.repository.nearby import NEARBY_CAP, Probe, nearby_open

__all__ = [
    "NEARBY_CAP",
    "QUEUE_STATES",
    "Probe",
    "nearby_open",
    "active_categories",
    "active_subcategories",
    "areas_named_in",
    "by_idempotency_key",
    "categories",
    "category",
    "closed_since_by_child",
    "counts_by_child",
    "counts_by_child_from_counts",
    "dispatch_desk",
    "event",
    "filtered",
    "generated_count",
    "grid_points",
    "grid_worker_ids",
    "insert_events",
    "is_member",
    "limit_override",
    "limits_set_at",
    "move_count",
    "move_counts",
    "officials_at",
    "open_overdue_for_escalation",
    "overdue_by_child",
    "overdue_clause",
    "overdue_total",
    "page",
    "photos",
    "queue",
    "queue_count",
    "rebuild_counts",
    "routed_unit_id",
    "rule_set_at",
    "rules",
    "said_me_too",
    "service_request",
    "service_requests",
    "state_in",
    "state_totals",
    "subcategories",
    "timeline",
    "unit",
    "unit_member_ids",
    "unit_served_areas",
    "units",
    "units_of_member",
]
