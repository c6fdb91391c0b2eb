"""Adoption by the villagers'/residents' meeting: a self-government meeting named by id, or one held before
the platform."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.conventions import repository as repo
from linli.conventions import rules
from linli.conventions.models import ConventionVersion
from linli.conventions.repository import WRITE
from linli.conventions.schemas import AdoptIn
from linli.conventions.service.common import STEP_NAMES, entry, version
from linli.kit import codes
from linli.kit import refs as selfgov_refs
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.i18n import gettext, t
from linli.kit.time import BEIJING, as_utc
from linli.selfgov import repository as selfgov_repo


def _check_adoption(area_kind: str, data: AdoptIn, on: date) -> str:
    """The rule set of the adoption's day, once the body and the attendance are lawful and sound."""
    rule_set = rules.law_for(area_kind).on(data.adopted_on)
    lawful = rule_set["adopted_by"]
    if data.body != lawful.value:
        raise InvalidInput(
            t(
                "only the {body} may adopt or amend this convention: {cite} ({words}); "
                "a representatives' meeting cannot adopt it",
                body=gettext(rules.BODY_NAMES[lawful.value]),
                cite=rule_set.cite("adopted_by"),
                words=lawful.words,
            )
        )
    if data.adopted_on > on:
        raise InvalidInput(t("the meeting cannot be in the future"))
    if data.women_present > data.attendance_present:
        raise InvalidInput(t("more women present than people present"))
    if data.attendance_expected is not None and data.attendance_present > data.attendance_expected:
        raise InvalidInput(t("more people present than entitled to attend"))
    return rule_set.name


def adopt(
    session: Session, principal: Principal, version_id: int, data: AdoptIn, *, on: date | None = None
) -> ConventionVersion:
    """Record the adoption by a meeting held before the platform recorded meetings here: its kind, date
    and figures typed, its record named in words (`meeting_ref`). A meeting the platform holds is named
    by id instead (`adopt_at_meeting`)."""
    v = _approved(session, principal, version_id)
    if data.meeting_id is not None:
        return adopt_at_meeting(session, principal, version_id, data.meeting_id, on=on)
    if data.body is None or data.adopted_on is None:
        raise InvalidInput(t("give the kind of the meeting and its date"))
    if data.attendance_present is None or data.women_present is None:
        raise InvalidInput(t("give how many were present and how many women were present"))
    _check_adoption(repo.village(session, codes.unpad(v.area_code)).kind, data, on or repo.today())
    if not (data.meeting_ref or "").strip():
        raise InvalidInput(t("name the record of the meeting held before the platform (its minutes book, page)"))
    first = selfgov_repo.first_meeting_day(session, v.area_code)
    if first is not None and data.adopted_on >= first:
        raise InvalidInput(
            t("meetings here are recorded on the platform since {day}: choose the meeting that adopted it",
              day=first.isoformat())
        )  # fmt: skip
    return _record_adoption(session, principal, v, data, on)


SELFGOV_BODIES = {
    ("village", "villagers_meeting"): "villagers_meeting",
    ("village", "representatives_meeting"): "villagers_representatives_meeting",
    ("community", "residents_meeting"): "residents_meeting",
    ("community", "representatives_meeting"): "residents_representatives_meeting",
}


def adopt_at_meeting(
    session: Session, principal: Principal, version_id: int, meeting_id: int, *, on: date | None = None
) -> ConventionVersion:
    """Record the adoption by a self-government meeting of the same village or community, held with its
    quorum: the kind, the day, the entitled (its frozen base), those present and the women present are read
    from the meeting, never typed."""
    v = _approved(session, principal, version_id)
    area = repo.village(session, codes.unpad(v.area_code))
    meeting = selfgov_repo.meeting(session, meeting_id)
    if meeting is None or meeting.area_code != v.area_code:
        raise InvalidInput(t("meeting {id} is not a meeting of {name}", id=meeting_id, name=area.name))
    body = SELFGOV_BODIES.get((area.kind, meeting.kind))
    if body is None:
        raise InvalidInput(t("meeting {id} is not a meeting that may adopt a convention", id=meeting_id))
    seen = selfgov_repo.attendance(session, meeting.id)
    if meeting.status != "held":  # selfgov records a meeting as held only with its quorum (meetings.close)
        raise InvalidInput(t("meeting {id} was not held with its quorum: it cannot adopt anything", id=meeting_id))
    data = AdoptIn(
        body=body, adopted_on=meeting.held_on, attendance_expected=seen.base or None,
        attendance_present=seen.present, women_present=seen.women_present,
        meeting_ref=selfgov_refs.ref(selfgov_refs.MEETING, meeting.id),
    )  # fmt: skip
    return _record_adoption(session, principal, v, data, on)


def adopting_meetings(session: Session, v: ConventionVersion) -> list:
    """The village's held meetings a convention may name as its adopting meeting (the representatives'
    meeting among them: choosing it is refused with the article)."""
    kinds = sorted({kind for (_, kind) in SELFGOV_BODIES})
    return selfgov_repo.held_meetings(session, v.area_code, kinds)


def meeting_id_of(v: ConventionVersion) -> int | None:
    """The self-government meeting an adoption names (None: a meeting before the platform, or none)."""
    return selfgov_refs.parse(v.meeting_ref, selfgov_refs.MEETING)


def _approved(session: Session, principal: Principal, version_id: int) -> ConventionVersion:
    v = repo.version_for_update(session, version_id)
    if v is not None and v.status in ("opinions", "draft", "under_review", "returned"):
        principal.check(WRITE, v.area_code, what=t("version {id}", id=version_id))
        raise Conflict(
            t("the township/street has not approved this draft (it is at “{step}”): submit it for review and wait "
              "for the approval before the meeting adopts it", step=gettext(STEP_NAMES[v.status]))
        )  # fmt: skip
    return version(session, principal, version_id, WRITE, "approved")


def _record_adoption(
    session: Session, principal: Principal, v: ConventionVersion, data: AdoptIn, on: date | None
) -> ConventionVersion:
    on = on or repo.today()
    area = repo.village(session, codes.unpad(v.area_code))
    rule_set = _check_adoption(area.kind, data, on)
    if v.reviewed_at is not None and data.adopted_on < as_utc(v.reviewed_at).astimezone(BEIJING).date():
        raise InvalidInput(t("the meeting is dated before the township's approval"))
    v.status, v.adopted_by, v.adopted_on, v.rules = "adopted", data.body, data.adopted_on, rule_set
    v.attendance_expected, v.attendance_present, v.women_present = (
        data.attendance_expected, data.attendance_present, data.women_present,
    )  # fmt: skip
    v.meeting_ref = (data.meeting_ref or "").strip() or None
    v.filing_due_on = data.adopted_on + timedelta(days=repo.filing_days(session, area.code))
    session.flush()
    audit = entry(v, "approved", adopted_on=v.adopted_on.isoformat(), body=v.adopted_by,
                   present=v.attendance_present, women=v.women_present, meeting=data.meeting_ref)  # fmt: skip
    record(session, principal, "convention.adopt", "convention_version", v.id, v.area_code, **audit)
    return v
