"""All of notify's SQL but the delivery flows' (the worker's claims, the channels' writes), in two parts:
`fanout` (fanned-out messages written by the database itself, INSERT … SELECT into the outbox, and their
progress by child area) and `reads` (failed deliveries, subscriptions, the inbox, reads checked against
the reader's reach). Both are named here, so callers write `repository.inbox_page(...)`.

Other domains do not call this package: they call `linli.notify.outbox`.
"""

from linli.notify.repository.fanout import (
    Fanned,
    backdate,
    child_of,
    copy_recipients,
    counts_by_child,
    inbox_rows,
    insert_for_subscribers,
    insert_for_users,
    ref_range,
    staff_area,
    staff_recipients,
    store_message,
    subscribed_persons,
    subscribers_by_channel,
    users_in,
)
from linli.notify.repository.reads import (
    active_subscription,
    delivery,
    failed,
    failed_in_reach,
    inbox_message,
    inbox_page,
    mark_all_read,
    person_in_reach,
    subscription,
    subscriptions_of,
    subscriptions_of_person,
    unread_count,
    user,
)

__all__ = [
    "Fanned",
    "active_subscription",
    "backdate",
    "child_of",
    "copy_recipients",
    "counts_by_child",
    "delivery",
    "failed",
    "failed_in_reach",
    "inbox_message",
    "inbox_page",
    "inbox_rows",
    "insert_for_subscribers",
    "insert_for_users",
    "mark_all_read",
    "person_in_reach",
    "ref_range",
    "staff_area",
    "staff_recipients",
    "store_message",
    "subscribed_persons",
    "subscribers_by_channel",
    "subscription",
    "subscriptions_of",
    "subscriptions_of_person",
    "unread_count",
    "user",
    "users_in",
]
