"""Applications, one door: submitted (online by the resident, or at the counter by a worker acting for
them) → accepted, or returned for correction with what is missing, or not accepted with a reason →
in process at each step's unit → decided → delivered.

Rules: the item must be enabled in the applicant's community; a resident applies for themself or a
member of their household (anyone else only through a worker at the counter, who is recorded as
agent 代办 or helper 帮办); acceptance needs every required material (uploaded, or its original seen
at the counter); a step is taken by a handler of its unit's level (the community accepts and
delivers; a street or county unit does its own steps); each transition is allowed only from its
states. Every change is logged, audited and told to the applicant through the outbox.
"""

from __future__ import annotations

from linli.services.workflow.common import APPLY, FROM, HANDLE, SECONDS_PER_DAY
from linli.services.workflow.intake import is_own, mark_seen, missing_materials, submit, upload_material
from linli.services.workflow.steps import STEPS, allowed, transition

__all__ = [
    "APPLY",
    "FROM",
    "HANDLE",
    "SECONDS_PER_DAY",
    "STEPS",
    "allowed",
    "is_own",
    "mark_seen",
    "missing_materials",
    "submit",
    "transition",
    "upload_material",
]
