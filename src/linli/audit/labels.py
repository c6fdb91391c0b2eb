"""What the audit log's codes mean, in words: the actions and kinds of record the domains write.

Each action a domain records (`record(session, who, "persons.reveal", "person", ...)`) has a label here;
tests/audit/test_labels.py reads every `record(...)` call of the code and fails on an action without one,
so a new action is named when it is added. An action or kind unknown here (an old entry) shows its code.
"""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

_EVENT_STEPS = {
    "report": N_("Event reported"),
    "register": N_("Event registered (立案)"),
    "reject": N_("Event not registered"),
    "cancel": N_("Event cancelled"),
    "merge": N_("Event merged"),
    "dispatch": N_("Event dispatched"),
    "accept": N_("Event accepted by the unit"),
    "return": N_("Event returned by the unit"),
    "handle": N_("Event handled"),
    "verify": N_("Event verified"),
    "close": N_("Event closed"),
    "evaluate": N_("Event evaluated"),
    "reopen": N_("Event reopened"),
    "supervise": N_("Supervision note on an event"),
    "escalate": N_("Event escalated (overdue)"),
}

ACTIONS: dict[str, str] = {
    **{f"event.{step}": label for step, label in _EVENT_STEPS.items()},
    "event.me_too": N_('Resident said "me too"'),
    "event.reveal_contact": N_("Reporter's contact shown in clear"),
    "event_category.limits": N_("Event category time limits changed"),
    "event_photo.upload": N_("Event photo uploaded"),
    "events.demo_generate": N_("Demo events generated"),
    "events.export": N_("Events exported"),
    "areas.import": N_("Areas imported"),
    "areas.import_boundaries": N_("Area boundaries imported"),
    "grid.create": N_("Grid created"),
    "grid.update": N_("Grid changed"),
    "grid.retire": N_("Grid retired"),
    "grid.assign": N_("Grid worker assigned"),
    "grid.unassign": N_("Grid worker unassigned"),
    "grids.generate": N_("Demo grids generated"),
    "buildings.create": N_("Building created"),
    "buildings.update": N_("Building changed"),
    "households.create": N_("Household registered"),
    "households.update": N_("Household changed"),
    "households.add_member": N_("Member added to a household"),
    "households.merge": N_("Households merged"),
    "households.split": N_("Household split"),
    "households.move": N_("Household moved"),
    "persons.create": N_("Person registered"),
    "persons.update": N_("Person changed"),
    "persons.reveal": N_("ID and phone numbers shown in clear"),
    "persons.tag": N_("Tag given to a person"),
    "persons.untag": N_("Tag ended"),
    "persons.move": N_("Person moved"),
    "persons.move_away": N_("Person moved away"),
    "persons.death": N_("Death recorded"),
    "persons.account_link": N_("Account linked to a person"),
    "persons.account_unlink": N_("Account unlinked from a person"),
    "persons.id_lookup": N_("ID number looked up"),
    "persons.id_review_open": N_("ID number review opened"),
    "persons.id_review_resolve": N_("ID number review resolved"),
    "persons.id_review_corrected": N_("ID number corrected after review"),
    "residents.import": N_("Residents imported"),
    "residents.export": N_("Residents exported (masked)"),
    "residents.export_revealed": N_("Residents exported in clear"),
    "residents.demo": N_("Demo residents generated"),
    "transfers.request": N_("Transfer requested"),
    "transfers.accepted": N_("Transfer accepted"),
    "transfers.rejected": N_("Transfer rejected"),
    "transfers.cancelled": N_("Transfer cancelled"),
    "notice.create": N_("Notice drafted"),
    "notice.update": N_("Notice changed"),
    "notice.attach": N_("Attachment added to a notice"),
    "notice.detach": N_("Attachment removed from a notice"),
    "notice.publish": N_("Notice published"),
    "notice.withdraw": N_("Notice withdrawn"),
    "warning.alert": N_("Warning issued"),
    "warning.update": N_("Warning updated"),
    "warning.cancel": N_("Warning lifted"),
    "warning.confirm": N_("Warning confirmed by a worker"),
    "subscription.opt_in": N_("Notifications subscribed"),
    "subscription.withdraw": N_("Notifications withdrawn"),
    "delivery.retry": N_("Delivery retried"),
    "delivery.retry_all": N_("Failed deliveries retried"),
    "routing_rule.create": N_("Routing rule created"),
    "unit.create": N_("Handling unit created"),
    "unit.member_add": N_("Member added to a handling unit"),
    "user.create": N_("Account created"),
    "user.update": N_("Account changed"),
    "user.change_password": N_("Password changed"),
    "user.reset_password": N_("Password reset"),
    "grant.create": N_("Role granted"),
    "grant.revoke": N_("Role revoked"),
    "token.create": N_("API token created"),
    "token.revoke": N_("API token revoked"),
    "keys.rotate": N_("Data key rotated"),
}

KINDS: dict[str, str] = {
    "event": N_("event"),
    "event_category": N_("event category"),
    "event_photo": N_("event photo"),
    "area": N_("area"),
    "area_import": N_("area import"),
    "boundary_import": N_("boundary import"),
    "county": N_("county"),
    "grid": N_("grid"),
    "building": N_("building"),
    "household": N_("household"),
    "person": N_("person"),
    "id_number": N_("ID number"),
    "id_review": N_("ID review"),
    "residents_import": N_("residents import"),
    "transfer": N_("transfer"),
    "notice": N_("notice"),
    "warning": N_("warning"),
    "subscription": N_("subscription"),
    "outbox": N_("delivery"),
    "routing_rule": N_("routing rule"),
    "handling_unit": N_("handling unit"),
    "user": N_("account"),
    "grant": N_("role"),
    "api_token": N_("API token"),
    "data_key": N_("data key"),
}


def action_label(action: str) -> str:
    """The action in words in the reader's language, or its code when unknown."""
    label = ACTIONS.get(action)
    return gettext(label) if label else action


def kind_label(kind: str) -> str:
    """The kind of record in words, or its code when unknown."""
    label = KINDS.get(kind)
    return gettext(label) if label else kind
