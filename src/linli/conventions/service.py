"""Conventions (村规民约/居民公约) step by step: opinions → draft → township/street review → adoption by
the villagers'/residents' meeting → filing within N days → publication (in force). Each step checks the
one before it: a draft cannot be adopted before the township approved it, nor by a representatives'
meeting (the law names the villagers'/residents' meeting), a late filing is flagged. Every step audited.

Who: community workers (conventions.write) draft, record opinions, adoption, filing and publication;
officials (conventions.review) approve or return drafts with reasons and receive filings; residents
(conventions.comment) give opinions on drafts of their own village. Out of reach answers 404.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import ROLE_PERMISSIONS
from linli.authz.principal import Principal
from linli.conventions import repository as repo
from linli.conventions import rules
from linli.conventions.models import Convention, ConventionOpinion, ConventionSettings, ConventionVersion
from linli.conventions.repository import COMMENT, READ, REVIEW, WRITE
from linli.conventions.schemas import AdoptIn
from linli.kit import codes
from linli.kit import refs as selfgov_refs
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import N_, gettext, t
from linli.kit.time import BEIJING, as_utc, utcnow
from linli.selfgov import repository as selfgov_repo

MAX_TEXT = 50_000
STEP_NAMES = {
    "opinions": N_("opinion collection"),
    "draft": N_("drafting"),
    "under_review": N_("review by the township/street"),
    "returned": N_("returned by the township/street"),
    "approved": N_("approved by the township/street"),
    "adopted": N_("adopted by the meeting"),
    "filed": N_("filed"),
    "in_force": N_("in force"),
    "superseded": N_("superseded"),
}


def _entry(v: ConventionVersion, before: str | None, **after) -> dict:
    """The before/after of a version's audit entry: its step, its number and what the step recorded."""
    return {
        "before": {"status": before} if before else None,
        "after": {"status": v.status, "number": v.number, **after},
    }


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(t("write the text of the convention"))
    if len(text) > MAX_TEXT:
        raise InvalidInput(t("the text is longer than {n} characters", n=MAX_TEXT))
    return text


def create(session: Session, principal: Principal, area_code: str, title: str, text: str) -> Convention:
    """A new convention of a village, its first version open for opinions."""
    area = repo.village(session, area_code)
    if not principal.visible.contains(area.code):
        raise NotFound(t("village or community {code} does not exist", code=area_code))
    principal.check(WRITE, area.code, what=t("area {code}", code=area.code))
    if not title.strip() or len(title) > 200:
        raise InvalidInput(t("give the convention a title (at most 200 characters)"))
    c = Convention(area_code=codes.pad(area.code), title=title.strip(), created_by=principal.audit_name)
    session.add(c)
    session.flush()
    v = ConventionVersion(
        convention_id=c.id, area_code=c.area_code, number=1, text=_check_text(text), status="opinions",
        created_by=principal.audit_name, filing_late=False,
    )  # fmt: skip
    session.add(v)
    session.flush()
    record(session, principal, "convention.create", "convention", c.id, c.area_code, after={"title": c.title})
    return c


def revise(session: Session, principal: Principal, convention_id: int) -> ConventionVersion:
    """A new version of a convention, starting from the text in force, open for opinions."""
    c = repo.convention_for_staff(session, principal, convention_id)
    principal.check(WRITE, c.area_code, what=t("convention {id}", id=convention_id))
    if repo.open_version(session, c.id) is not None:
        raise Conflict(t("a revision of this convention is under way already; finish it first"))
    current = repo.version(session, c.in_force_version_id) if c.in_force_version_id else None
    v = ConventionVersion(
        convention_id=c.id, area_code=c.area_code, number=repo.last_number(session, c.id) + 1,
        text=current.text if current else "", status="opinions", created_by=principal.audit_name, filing_late=False,
    )  # fmt: skip
    session.add(v)
    session.flush()
    record(session, principal, "convention.revise", "convention_version", v.id, v.area_code, **_entry(v, None))
    return v


def _version(session: Session, principal: Principal, version_id: int, permission, *statuses: str) -> ConventionVersion:
    """The version, locked, for one holding `permission` at its village, in one of `statuses`."""
    v = repo.version_for_update(session, version_id)
    if v is None or not principal.can(READ, v.area_code) and not principal.can(permission, v.area_code):
        raise repo.version_missing(version_id)
    principal.check(permission, v.area_code, what=t("version {id}", id=version_id))
    if statuses and v.status not in statuses:
        raise Conflict(
            t(
                "version {n} is at the step “{step}”; this needs it at: {wanted}",
                n=v.number,
                step=gettext(STEP_NAMES[v.status]),
                wanted=", ".join(gettext(STEP_NAMES[s]) for s in statuses),
            )
        )
    return v


def _resident_of(principal: Principal, code: str) -> bool:
    return principal.system or any(
        COMMENT in ROLE_PERMISSIONS[role] and (c == code or codes.is_ancestor(c, code) or codes.is_ancestor(code, c))
        for role, c in principal.roles_held
    )


def give_opinion(
    session: Session, principal: Principal, version_id: int, text: str, source: str = ""
) -> ConventionOpinion:
    """An opinion during collection: staff record one with where they heard it; a resident gives their own."""
    v = repo.version_for_update(session, version_id)
    if v is None:
        raise repo.version_missing(version_id)
    # Staff record what they heard, saying where; a resident of the village gives their own.
    staff = principal.can(WRITE, v.area_code) and (
        bool(source.strip()) or not _resident_of(principal, codes.unpad(v.area_code))
    )
    if not staff and not _resident_of(principal, codes.unpad(v.area_code)):
        if not principal.can(READ, v.area_code) and v.status != "opinions":
            raise repo.version_missing(version_id)
        raise Forbidden(t("only residents of this village or community may give opinions on its conventions"))
    if v.status != "opinions":
        raise Conflict(t("opinions on this version are no longer collected"))
    text = (text or "").strip()
    if not text or len(text) > 5000:
        raise InvalidInput(t("write the opinion (at most 5,000 characters)"))
    if staff and not source.strip():
        raise InvalidInput(t("say where the opinion was given (a group meeting, the opinion box, …)"))
    o = ConventionOpinion(
        version_id=v.id, area_code=v.area_code, text=text, source=source.strip()[:100] if staff else "resident",
        user_id=None if staff else principal.user_id, recorded_by=principal.audit_name,
    )  # fmt: skip
    session.add(o)
    session.flush()
    record(session, principal, "convention.opinion", "convention_version", v.id, v.area_code,
           after={"opinion_id": o.id, "source": o.source, "length": len(text)})  # fmt: skip
    return o


def save_draft(session: Session, principal: Principal, version_id: int, text: str) -> ConventionVersion:
    """The draft's text (closing opinion collection): from opinions, a draft, or a returned draft."""
    v = _version(session, principal, version_id, WRITE, "opinions", "draft", "returned")
    before = v.status
    v.text, v.status = _check_text(text), "draft"
    session.flush()
    record(
        session,
        principal,
        "convention.draft",
        "convention_version",
        v.id,
        v.area_code,
        **_entry(v, before, length=len(v.text)),
    )
    return v


def submit(session: Session, principal: Principal, version_id: int) -> ConventionVersion:
    v = _version(session, principal, version_id, WRITE, "draft")
    v.status, v.submitted_at = "under_review", utcnow()
    session.flush()
    record(session, principal, "convention.submit", "convention_version", v.id, v.area_code, **_entry(v, "draft"))
    return v


def review(session: Session, principal: Principal, version_id: int, decision: str, note: str) -> ConventionVersion:
    """The township's/street's review: approve, or return with the reasons (required)."""
    v = _version(session, principal, version_id, REVIEW, "under_review")
    if decision not in ("approve", "return"):
        raise InvalidInput(t("approve the draft or return it"))
    if decision == "return" and not note.strip():
        raise InvalidInput(t("give the reasons for returning the draft"))
    v.status = "approved" if decision == "approve" else "returned"
    v.reviewed_at, v.reviewed_by, v.review_note = utcnow(), principal.audit_name, note.strip()[:5000] or None
    session.flush()
    record(
        session,
        principal,
        "convention.approve" if decision == "approve" else "convention.return",
        "convention_version",
        v.id,
        v.area_code,
        **_entry(v, "under_review"),
    )
    return v


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
    return _version(session, principal, version_id, WRITE, "approved")


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
    entry = _entry(v, "approved", adopted_on=v.adopted_on.isoformat(), body=v.adopted_by,
                   present=v.attendance_present, women=v.women_present, meeting=data.meeting_ref)  # fmt: skip
    record(session, principal, "convention.adopt", "convention_version", v.id, v.area_code, **entry)
    return v


def file(session: Session, principal: Principal, version_id: int, filed_on: date, *, on: date | None = None):
    """Record the filing with the township/street; after the setting's N days it is flagged late."""
    on = on or repo.today()
    v = _version(session, principal, version_id, WRITE, "adopted")
    if filed_on > on or filed_on < v.adopted_on:
        raise InvalidInput(t("the filing date must be between the adoption and today"))
    v.status, v.filed_on, v.filing_late = "filed", filed_on, filed_on > v.filing_due_on
    session.flush()
    record(
        session,
        principal,
        "convention.file",
        "convention_version",
        v.id,
        v.area_code,
        **_entry(v, "adopted", filed_on=filed_on.isoformat(), late=v.filing_late),
    )
    return v


def receive(session: Session, principal: Principal, version_id: int) -> ConventionVersion:
    """The township/street acknowledges the filing it received."""
    v = _version(session, principal, version_id, REVIEW, "filed", "in_force")
    if v.filing_received_at is not None:
        raise Conflict(t("this filing was received already"))
    v.filing_received_at, v.filing_received_by = utcnow(), principal.audit_name
    session.flush()
    record(session, principal, "convention.receive", "convention_version", v.id, v.area_code, **_entry(v, v.status))
    return v


def publish(session: Session, principal: Principal, version_id: int, *, on: date | None = None) -> ConventionVersion:
    """Publish a filed version: it comes into force, the version before it is superseded."""
    on = on or repo.today()
    v = _version(session, principal, version_id, WRITE, "filed")
    c = repo.convention(session, v.convention_id)
    if c.in_force_version_id:
        old = repo.version_for_update(session, c.in_force_version_id)
        old.status, old.superseded_on = "superseded", on
    v.status, v.published_on = "in_force", on
    c.in_force_version_id = v.id
    session.flush()
    record(
        session,
        principal,
        "convention.publish",
        "convention_version",
        v.id,
        v.area_code,
        **_entry(v, "filed", published_on=on.isoformat()),
    )
    return v


def save_filing_days(session: Session, principal: Principal, code: str, days: int):
    if not codes.is_valid(code) or not principal.visible.contains(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(REVIEW, code, what=t("area {code}", code=code))
    if not 1 <= days <= 365:
        raise InvalidInput(t("the filing period must be between 1 and 365 days"))
    row = repo.settings_row(session, code)
    before = row.filing_days if row else None
    if row is None:
        row = ConventionSettings(area_code=codes.pad(code), filing_days=days, updated_by=principal.audit_name)
        session.add(row)
    row.filing_days, row.updated_by = days, principal.audit_name
    session.flush()
    record(session, principal, "convention.settings", "convention_settings", row.id, row.area_code,
           before={"filing_days": before}, after={"filing_days": days})  # fmt: skip
    return row
