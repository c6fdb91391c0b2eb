"""Consultations step by step: a topic raised (by a resident of the village or by the committee) →
scheduled with its content published in advance, its form (a meeting or online) and its participants →
held, the opinion formed → the implementation reported back; or declined with the reason. Residents of
the village give opinions online while it is scheduled. Every step audited; out of reach is 404.

How many days in advance the content must be published is the platform's default (`ADVANCE_DAYS`), not
a figure of law: the guidance on urban and rural community consultation asks for the content to be
made public before the consultation without fixing the days.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import ROLE_PERMISSIONS
from linli.authz.principal import Principal
from linli.consultation import kinds
from linli.consultation import repository as repo
from linli.consultation.models import (
    FORMS,
    PARTICIPANT_KINDS,
    ConsultationOpinion,
    ConsultationParticipant,
    ConsultationTopic,
)
from linli.consultation.repository import RAISE, READ, WRITE
from linli.kit import codes, refs
from linli.kit.errors import Conflict, Forbidden, InvalidInput
from linli.kit.i18n import t
from linli.selfgov import repository as selfgov_repo

ADVANCE_DAYS = 3


def resident_of(principal: Principal, code: str) -> bool:
    return principal.system or any(
        RAISE in ROLE_PERMISSIONS[role] and (c == code or codes.is_ancestor(c, code) or codes.is_ancestor(code, c))
        for role, c in principal.roles_held
    )


def _text(value: str | None, limit: int, message: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise InvalidInput(message)
    return value


def raise_topic(
    session: Session, principal: Principal, area_code: str, title: str, description: str, *,
    event_ref: str = "", matter_ref: str = "", generated: bool = False,
) -> ConsultationTopic:  # fmt: skip
    """A topic for consultation: the committee's (consultation.write) or a resident's of the village."""
    area = repo.village(session, area_code)
    staff = principal.can(WRITE, area.code)
    if not staff and not resident_of(principal, area.code):  # the village's page is public: 403, not 404
        raise Forbidden(t("only residents of this village or community and its committee may raise a topic"))
    topic = ConsultationTopic(
        area_code=codes.pad(area.code),
        title=_text(title, 200, t("give the topic a title (at most 200 characters)")),
        description=_text(description, 5000, t("describe the topic (at most 5,000 characters)")),
        raised_by="committee" if staff else "resident",
        raised_by_user=None if staff else principal.user_id,
        status="proposed",
        event_ref=(event_ref or "").strip()[:100] or None,
        matter_ref=(matter_ref or "").strip()[:100] or None,
        created_by=principal.audit_name,
        generated=generated,
    )
    session.add(topic)
    session.flush()
    record(session, principal, "consultation.raise", "consultation", topic.id, topic.area_code,
           after={"raised_by": topic.raised_by, "title": topic.title})  # fmt: skip
    return topic


def _for_writer(session: Session, principal: Principal, topic_id: int, *statuses: str) -> ConsultationTopic:
    topic = repo.topic_for_update(session, topic_id)
    if topic is None or not principal.can(READ, topic.area_code) and not principal.can(WRITE, topic.area_code):
        raise repo.missing(topic_id)
    principal.check(WRITE, topic.area_code, what=t("consultation {id}", id=topic_id))
    if topic.status not in statuses:
        step = kinds.label(kinds.STATUS_LABELS, topic.status)
        raise Conflict(t("this consultation is at the step “{step}”; this step needs another", step=step))
    return topic


def schedule(
    session: Session, principal: Principal, topic_id: int, *, form: str, held_on: date, place: str, content: str,
    participants: list[tuple], on: date | None = None,
) -> ConsultationTopic:  # fmt: skip
    """Publish the content today and set the consultation: at least ADVANCE_DAYS ahead, its form and parties.
    A participant is `(kind, name)` or `(kind, name, person_id, organization_id)`: the name as typed (what
    the public page shows) and optionally a link (`_linked`)."""
    on = on or repo.today()
    topic = _for_writer(session, principal, topic_id, "proposed")
    if form not in FORMS:
        raise InvalidInput(t("choose a meeting or online"))
    if held_on < on + timedelta(days=ADVANCE_DAYS):
        raise InvalidInput(
            t("publish the content at least {n} days before the consultation: the earliest day is {day}",
              n=ADVANCE_DAYS, day=(on + timedelta(days=ADVANCE_DAYS)).isoformat())
        )  # fmt: skip
    parties = [(p[0], p[1].strip(), *_linked(session, principal, topic, p)) for p in participants if p[1].strip()]
    if not parties:
        raise InvalidInput(t("name at least one participant"))
    if any(k not in PARTICIPANT_KINDS or len(n) > 100 for k, n, _p, _o in parties):
        raise InvalidInput(t("a participant's kind is unknown or its name longer than 100 characters"))
    topic.content = _text(content, 20000, t("write the content put to the consultation"))
    topic.form, topic.held_on, topic.published_on, topic.status = form, held_on, on, "scheduled"
    topic.place = (place or "").strip()[:200] or None
    for kind, name, person_id, org_id in parties:
        session.add(
            ConsultationParticipant(
                topic_id=topic.id, kind=kind, name=name, person_id=person_id, organization_id=org_id
            )
        )
    session.flush()
    record(session, principal, "consultation.schedule", "consultation", topic.id, topic.area_code,
           before={"status": "proposed"}, after={"status": "scheduled", "form": form, "held_on": held_on.isoformat(),
                                                 "participants": len(parties)})  # fmt: skip
    return topic


def decline(session: Session, principal: Principal, topic_id: int, reason: str) -> ConsultationTopic:
    topic = _for_writer(session, principal, topic_id, "proposed")
    topic.declined_reason = _text(reason, 5000, t("give the reason for not taking up the topic"))
    topic.status = "declined"
    session.flush()
    record(session, principal, "consultation.decline", "consultation", topic.id, topic.area_code,
           before={"status": "proposed"}, after={"status": "declined"})  # fmt: skip
    return topic


def give_opinion(session: Session, principal: Principal, topic_id: int, text: str) -> ConsultationOpinion:
    """A resident's opinion, online, while the consultation is scheduled."""
    topic = repo.public_topic(session, topic_id)
    if not resident_of(principal, codes.unpad(topic.area_code)):
        raise Forbidden(t("only residents of this village or community may give opinions here"))
    if topic.status != "scheduled":
        raise Conflict(t("the consultation was held: opinions are no longer taken"))
    opinion = ConsultationOpinion(
        topic_id=topic.id, area_code=topic.area_code, user_id=principal.user_id,
        text=_text(text, 5000, t("write the opinion (at most 5,000 characters)")),
    )  # fmt: skip
    session.add(opinion)
    session.flush()
    record(session, principal, "consultation.opinion", "consultation", topic.id, topic.area_code,
           after={"opinion_id": opinion.id, "length": len(opinion.text)})  # fmt: skip
    return opinion


def record_outcome(
    session: Session, principal: Principal, topic_id: int, *, held_on: date, present: int, opinion: str,
    on: date | None = None,
) -> ConsultationTopic:  # fmt: skip
    """The consultation was held: the day, how many took part, the opinion formed."""
    on = on or repo.today()
    topic = _for_writer(session, principal, topic_id, "scheduled")
    earliest = topic.published_on + timedelta(days=ADVANCE_DAYS)
    if held_on < earliest or held_on > on:
        raise InvalidInput(
            t("the consultation can be held from {start} (its content published {n} days before) to today",
              start=earliest.isoformat(), n=ADVANCE_DAYS)
        )  # fmt: skip
    if present < 1 or present > 100_000:
        raise InvalidInput(t("give how many took part"))
    topic.opinion = _text(opinion, 20000, t("write the opinion formed"))
    topic.held_on, topic.participants_present, topic.status = held_on, present, "held"
    session.flush()
    record(session, principal, "consultation.hold", "consultation", topic.id, topic.area_code,
           before={"status": "scheduled"},
           after={"status": "held", "held_on": held_on.isoformat(), "present": present})  # fmt: skip
    return topic


def report_back(
    session: Session, principal: Principal, topic_id: int, feedback: str, *, on: date | None = None
) -> ConsultationTopic:
    """How the opinion was carried out, reported back to the residents."""
    on = on or repo.today()
    topic = _for_writer(session, principal, topic_id, "held")
    topic.feedback = _text(feedback, 20000, t("write how the opinion was carried out"))
    topic.reported_on, topic.status = on, "reported"
    session.flush()
    record(session, principal, "consultation.report", "consultation", topic.id, topic.area_code,
           before={"status": "held"}, after={"status": "reported", "reported_on": on.isoformat()})  # fmt: skip
    return topic


def _linked(session: Session, principal: Principal, topic: ConsultationTopic, party: tuple) -> tuple:
    """(person_id, organization_id) of a participant: a person of the topic's village register, or an
    organization sited in the village (or in the street above it: a unit based there) that the principal may
    see; neither for "residents" (a group, never a list of names), not both."""
    from linli.organizations import repository as org_repo
    from linli.residents import repository as residents_repo

    person_id, org_id = (party[2], party[3]) if len(party) > 3 else (None, None)
    if person_id is None and org_id is None:
        return None, None
    name = party[1].strip()[:100]
    if party[0] == "residents":
        raise InvalidInput(t("residents take part as a group: link a person or an organization to another kind"))
    if person_id is not None and org_id is not None:
        raise InvalidInput(t("link {name} to a person or to an organization, not both", name=name))
    village = codes.unpad(topic.area_code)
    if person_id is not None:
        person = residents_repo.person_by_id(session, person_id)
        if person is None or not codes.in_subtree(person.area_code, village):
            raise InvalidInput(t("person {id} is not in the register of this village or community", id=person_id))
        return person.id, None
    org = org_repo.get_org(session, org_id, principal.visible)
    if org is None or not (codes.in_subtree(org.area_code, village) or codes.is_ancestor(codes.unpad(org.area_code),
                                                                                         village)):  # fmt: skip
        raise InvalidInput(t("organization {id} is not based in this village or community", id=org_id))
    return None, org.id


def participant_links(session: Session, parties: list) -> tuple[dict[int, str], dict[int, str]]:
    """The register names of the linked persons and the registry names of the linked organizations (staff)."""
    from linli.organizations import repository as org_repo
    from linli.residents import repository as residents_repo

    people = residents_repo.names_of(session, [p.person_id for p in parties if p.person_id])
    return people, org_repo.org_names(session, [p.organization_id for p in parties if p.organization_id])


def link_matter(session: Session, principal: Principal, topic_id: int, matter_id: int | None) -> ConsultationTopic:
    """Link the outcome of a consultation to the self-government matter it led to or informed (a matter of
    the same village or community), or unlink it (`None`). Stored as `selfgov-matter:<id>`."""
    topic = _for_writer(session, principal, topic_id, "held", "reported")
    before = topic.matter_ref
    if matter_id is None:
        topic.matter_ref = None
    else:
        matter = selfgov_repo.matter(session, matter_id)
        if matter is None or matter.area_code != topic.area_code:
            raise InvalidInput(t("matter {id} is not a matter of this village or community", id=matter_id))
        topic.matter_ref = refs.ref(refs.MATTER, matter.id)
    session.flush()
    record(
        session, principal, "consultation.link_matter", "consultation", topic.id, topic.area_code,
        before={"matter_ref": before}, after={"matter_ref": topic.matter_ref},
    )  # fmt: skip
    return topic


def matter_id_of(topic: ConsultationTopic) -> int | None:
    """The matter a topic names in the stable form (None: none, or free text typed when it was raised)."""
    return refs.parse(topic.matter_ref, refs.MATTER)


def linked_matter(session: Session, topic: ConsultationTopic):
    """The self-government matter the topic's outcome is linked to, or None."""
    matter_id = matter_id_of(topic)
    return selfgov_repo.matter(session, matter_id) if matter_id else None


def matters_to_link(session: Session, principal: Principal, topic: ConsultationTopic) -> list:
    """The matters of the topic's village the committee may link its outcome to (the latest 50)."""
    rows, _ = selfgov_repo.list_matters(session, principal, selfgov_repo.MatterFilter(area_code=topic.area_code))
    return [m for m in rows if m.area_code == topic.area_code]
