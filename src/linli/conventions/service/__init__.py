"""Conventions (村规民约/居民公约) step by step: opinions → draft → township/street review → adoption by
the villagers'/residents' meeting → filing within N days → publication (in force). Each step checks the
one before it: a draft cannot be adopted before the township approved it, nor by a representatives'
meeting (the law names the villagers'/residents' meeting), a late filing is flagged. Every step audited.

Who: community workers (conventions.write) draft, record opinions, adoption, filing and publication;
officials (conventions.review) approve or return drafts with reasons and receive filings; residents
(conventions.comment) give opinions on drafts of their own village. Out of reach answers 404.

The writes live in parts by subject: `drafting` (create, revise, opinions, draft, submit, review),
`adoption` (by a self-government meeting or one held before the platform) and `filing` (filing, receipt,
publication, the filing setting), all named here: callers write `service.adopt(...)`.
"""

from linli.conventions.service.adoption import (
    SELFGOV_BODIES,
    adopt,
    adopt_at_meeting,
    adopting_meetings,
    meeting_id_of,
)
from linli.conventions.service.common import MAX_TEXT, STEP_NAMES
from linli.conventions.service.drafting import create, give_opinion, review, revise, save_draft, submit
from linli.conventions.service.filing import file, publish, receive, save_filing_days

__all__ = [
    "MAX_TEXT",
    "SELFGOV_BODIES",
    "STEP_NAMES",
    "adopt",
    "adopt_at_meeting",
    "adopting_meetings",
    "create",
    "file",
    "give_opinion",
    "meeting_id_of",
    "publish",
    "receive",
    "review",
    "revise",
    "save_draft",
    "save_filing_days",
    "submit",
]
