"""Opinions, the draft and the township's/street's review."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import ROLE_PERMISSIONS
from linli.authz.principal import Principal
from linli.conventions import repository as repo
from linli.conventions.models import Convention, ConventionOpinion, ConventionVersion
from linli.conventions.repository import COMMENT, READ, REVIEW, WRITE
from linli.conventions.service.common import check_text, entry, version
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow


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
        convention_id=c.id, area_code=c.area_code, number=1, text=check_text(text), status="opinions",
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
    record(session, principal, "convention.revise", "convention_version", v.id, v.area_code, **entry(v, None))
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
    v = version(session, principal, version_id, WRITE, "opinions", "draft", "returned")
    before = v.status
    v.text, v.status = check_text(text), "draft"
    session.flush()
    record(
        session,
        principal,
        "convention.draft",
        "convention_version",
        v.id,
        v.area_code,
        **entry(v, before, length=len(v.text)),
    )
    return v


def submit(session: Session, principal: Principal, version_id: int) -> ConventionVersion:
    v = version(session, principal, version_id, WRITE, "draft")
    v.status, v.submitted_at = "under_review", utcnow()
    session.flush()
    record(session, principal, "convention.submit", "convention_version", v.id, v.area_code, **entry(v, "draft"))
    return v


def review(session: Session, principal: Principal, version_id: int, decision: str, note: str) -> ConventionVersion:
    """The township's/street's review: approve, or return with the reasons (required)."""
    v = version(session, principal, version_id, REVIEW, "under_review")
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
        **entry(v, "under_review"),
    )
    return v
