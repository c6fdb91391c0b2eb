"""Permissions, and roles as bundles of them."""

from __future__ import annotations

from enum import StrEnum

from linli.kit.i18n import N_, gettext, t


class Permission(StrEnum):
    areas_read = "areas.read"
    areas_write = "areas.write"  # import divisions and boundaries, edit area names
    grids_write = "grids.write"  # create, edit, retire grids
    grids_assign = "grids.assign"  # assign grid workers and chiefs
    users_read = "users.read"
    users_manage = "users.manage"  # create, deactivate users and grant or revoke roles
    audit_read = "audit.read"
    residents_read = "residents.read"  # buildings, households, persons (personal data masked)
    residents_write = "residents.write"  # register, edit, move, transfer, import
    residents_reveal = "residents.reveal"  # see personal data unmasked (each reveal is audited)
    events_report = "events.report"  # report a problem (grid event)
    events_read = "events.read"  # see events (residents: their own, and the public part of others)
    events_manage = "events.manage"  # register, reject, dispatch, supervise, merge events; units and routing
    events_handle = "events.handle"  # accept, return and handle events dispatched to one's unit
    events_verify = "events.verify"  # verify handled events on site
    events_reveal_contact = "events.reveal_contact"  # see a reporter's phone and e-mail in clear (audited)
    categories_manage = "categories.manage"  # edit event categories' time limits for one's area
    warnings_read = "warnings.read"  # see the warnings (预警) of one's areas, restricted and exercise ones too
    warnings_issue = "warnings.issue"  # issue, update, raise/lower and lift warnings; import CAP
    # Meteorological warning signals (气象灾害预警信号) only the meteorological service issues, updates
    # and lifts (气象灾害防御条例, Art. 29); officials relay and follow them. Needed with warnings.issue.
    warnings_issue_weather = "warnings.issue_weather"
    subscriptions_record = "subscriptions.record"  # record or withdraw a resident's consent to be notified
    deliveries_manage = "deliveries.manage"  # see delivery counts and failed deliveries, retry them
    notices_read = "notices.read"  # see all notices (通知公告) of one's areas: drafts, withdrawn, delivery counts
    notices_publish = "notices.publish"  # write, publish and withdraw notices for one's areas
    selfgov_read = "selfgov.read"  # see matters and meetings (residents: of their own village/community)
    selfgov_write = "selfgov.write"  # keep the bodies' registers, call and run meetings, take matters step by step
    selfgov_supervise = "selfgov.supervise"  # the township's supervision: suspend and resume matters
    disclosure_read = "disclosure.read"  # see disclosure boards' drafts, flags and askers' names in one's areas
    disclosure_write = "disclosure.write"  # write and publish disclosure items; answer residents' questions
    disclosure_supervise = "disclosure.supervise"  # overdue items and unanswered questions across villages; settings
    disclosure_ask = "disclosure.ask"  # ask about an item of one's own village/community in its objection window
    conventions_read = "conventions.read"  # see conventions' drafts, opinions, reviews and filings in one's areas
    conventions_write = "conventions.write"  # draft, collect opinions, record adoption, file and publish conventions
    conventions_review = "conventions.review"  # review drafts (approve or return), receive filings; settings
    conventions_comment = "conventions.comment"  # give an opinion on a draft of one's own village/community
    consultation_read = "consultation.read"  # see consultations (协商) of one's areas, proposed and declined ones too
    consultation_write = "consultation.write"  # raise, schedule, decline consultations; record outcomes and feedback
    consultation_raise = "consultation.raise"  # raise a topic and give opinions online in one's own village/community
    services_apply = "services.apply"  # apply for a service item for oneself or one's household, follow it
    services_read = "services.read"  # see the applications of one's areas and their figures
    services_handle = "services.handle"  # the counter and the steps: register, accept, return, decide, deliver
    services_manage = "services.manage"  # define items at one's level, enable and localise them, import XLSX
    orgs_read = "orgs.read"  # see organizations, alliances and their three lists, dual reporting, counts
    orgs_manage = "orgs.manage"  # register organizations and alliances, record needs, rate results, link contacts
    # Act for an organization: offer resources, claim needs, record results, log service records. An
    # org_contact does so only for the organizations they are a contact of (organizations.org_contacts).
    orgs_act = "orgs.act"
    workforce_read = "workforce.read"  # see community workers, their posts and levels, staffing against the rule
    workforce_manage = "workforce.manage"  # register workers, posts and levels, assessments, promotions; the rules
    workforce_pay = "workforce.pay"  # run a county's monthly pay (preview, confirm) and print its pay table
    socialwork_read = "socialwork.read"  # see social work stations, their staff, services, records and counts
    socialwork_manage = "socialwork.manage"  # register stations, rooms, staff and the services a station offers
    # Log service records and keep cases: only as a staff member of the station (or of its county's centre).
    socialwork_record = "socialwork.record"
    duties_read = "duties.read"  # see townships' responsibility lists, their versions, change requests and reports
    duties_write = "duties.write"  # file change requests to one's township's list; link duties to events/services
    duties_review = "duties.review"  # approve lists and review change requests (held at the county above the township)
    certificates_read = "certificates.read"  # see the certificates a community issued
    certificates_issue = "certificates.issue"  # issue a certificate on the list to a resident at the counter
    certificates_manage = "certificates.manage"  # keep the province's or city's list of certificates communities issue
    # Safety units (issue 17, item 6): police in the two committees, judges in grids, legal advisers.
    safety_read = "safety.read"  # see appointments (phones masked), mediation cases, legal sessions and counts
    safety_appoint = "safety.appoint"  # appoint police, judges and legal advisers to grids and communities, end them
    safety_record = "safety.record"  # record mediation cases (open, close) and legal-service sessions
    facilities_read = "facilities.read"  # see facilities' figures, happy-community sites, classes' enrolment lists
    facilities_manage = "facilities.manage"  # record facilities, happy-community sites, classes; desk enrolments
    facilities_enrol = "facilities.enrol"  # enrol oneself in an elderly university class of one's township
    funding_read = "funding.read"  # see villages' and communities' budget lines, payments and funding reports
    funding_manage = "funding.manage"  # enter budget lines and payments (held over the whole county)
    chiefs_read = "chiefs.read"  # see road/lane chiefs, the roads they cover, their patrols and the figures
    chiefs_manage = "chiefs.manage"  # record roads, appoint street/road/lane chiefs and end appointments
    chiefs_patrol = "chiefs.patrol"  # record one's own patrols as a road chief (only of roads one is chief of)


# What each permission lets one do, as a refusal names it ("you may not … here").
LABELS: dict[Permission, str] = {
    Permission.areas_read: N_("see these areas"),
    Permission.areas_write: N_("import or edit areas"),
    Permission.grids_write: N_("create or edit grids"),
    Permission.grids_assign: N_("assign grid workers"),
    Permission.users_read: N_("see user accounts"),
    Permission.users_manage: N_("manage user accounts and roles"),
    Permission.audit_read: N_("read the audit log"),
    Permission.residents_read: N_("see the residents register"),
    Permission.residents_write: N_("change the residents register"),
    Permission.residents_reveal: N_("see personal data unmasked"),
    Permission.events_report: N_("report events"),
    Permission.events_read: N_("see events"),
    Permission.events_manage: N_("register, dispatch and supervise events"),
    Permission.events_handle: N_("handle events for a unit"),
    Permission.events_verify: N_("verify events on site"),
    Permission.events_reveal_contact: N_("see a reporter's contact"),
    Permission.categories_manage: N_("change event categories' time limits"),
    Permission.warnings_read: N_("see warnings"),
    Permission.warnings_issue: N_("issue warnings"),
    Permission.warnings_issue_weather: N_("issue meteorological warnings"),
    Permission.subscriptions_record: N_("record residents' consent to be notified"),
    Permission.deliveries_manage: N_("follow and retry deliveries"),
    Permission.notices_read: N_("see all notices"),
    Permission.notices_publish: N_("publish notices"),
    Permission.selfgov_read: N_("see self-government matters and meetings"),
    Permission.selfgov_write: N_("run meetings and matters of self-government"),
    Permission.selfgov_supervise: N_("supervise self-government matters"),
    Permission.disclosure_read: N_("see disclosure boards' drafts and questions"),
    Permission.disclosure_write: N_("write disclosures and answer questions"),
    Permission.disclosure_supervise: N_("supervise disclosures across villages"),
    Permission.disclosure_ask: N_("ask about a disclosure"),
    Permission.conventions_read: N_("see conventions' drafts and filings"),
    Permission.conventions_write: N_("draft, adopt, file and publish conventions"),
    Permission.conventions_review: N_("review conventions and receive their filings"),
    Permission.conventions_comment: N_("give an opinion on a convention"),
    Permission.consultation_read: N_("see consultations"),
    Permission.consultation_write: N_("run consultations"),
    Permission.consultation_raise: N_("raise a topic for consultation"),
    Permission.services_apply: N_("apply for services"),
    Permission.services_read: N_("see service applications"),
    Permission.services_handle: N_("handle service applications"),
    Permission.services_manage: N_("manage the service catalogue"),
    Permission.orgs_read: N_("see organizations and alliances"),
    Permission.orgs_manage: N_("manage organizations and alliances"),
    Permission.orgs_act: N_("act for an organization"),
    Permission.workforce_read: N_("see community workers and staffing"),
    Permission.workforce_manage: N_("manage community workers and their pay rules"),
    Permission.workforce_pay: N_("run community workers' pay"),
    Permission.socialwork_read: N_("see social work stations"),
    Permission.socialwork_manage: N_("manage social work stations and their staff"),
    Permission.socialwork_record: N_("log social work services and keep cases"),
    Permission.duties_read: N_("see townships' responsibility lists"),
    Permission.duties_write: N_("request changes to a township's responsibility list"),
    Permission.duties_review: N_("review changes to townships' responsibility lists"),
    Permission.certificates_read: N_("see issued community certificates"),
    Permission.certificates_issue: N_("issue community certificates"),
    Permission.certificates_manage: N_("keep the list of certificates communities may issue"),
    Permission.safety_read: N_("see police, judges and legal advisers and mediation cases"),
    Permission.safety_appoint: N_("appoint police, judges and legal advisers"),
    Permission.safety_record: N_("record mediation cases and legal-service sessions"),
    Permission.facilities_read: N_("see service facilities and elderly classes"),
    Permission.facilities_manage: N_("record service facilities, happy-community sites and elderly classes"),
    Permission.facilities_enrol: N_("enrol in an elderly university class"),
    Permission.funding_read: N_("see budget lines and funding reports"),
    Permission.funding_manage: N_("enter budget lines and payments"),
    Permission.chiefs_read: N_("see road and lane chiefs and their patrols"),
    Permission.chiefs_manage: N_("appoint road and lane chiefs"),
    Permission.chiefs_patrol: N_("record patrols as a road chief"),
}


def refusal(permission: Permission, *, here: bool = True) -> str:
    """The message of a 403 for a missing permission: what it lets one do, in words, and its code."""
    what = gettext(LABELS[permission])
    if here:
        return t("you may not {what} here (permission {permission})", what=what, permission=permission.value)
    return t("you may not {what} (permission {permission})", what=what, permission=permission.value)


class Role(StrEnum):
    admin = "admin"
    official = "official"
    community_worker = "community_worker"
    grid_worker = "grid_worker"
    department_handler = "department_handler"
    auditor = "auditor"
    resident = "resident"
    warning_issuer = "warning_issuer"  # a warning agency's duty officer (e.g. a county meteorological bureau)
    org_contact = "org_contact"  # a member unit's contact: acts for the organizations they are linked to
    safety_appointee = "safety_appointee"  # a police officer, judge or legal adviser appointed to a grid/community


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Everything but the meteorological service's own word (see warnings_issue_weather).
    Role.admin: frozenset(Permission) - {P.warnings_issue_weather},
    Role.official: frozenset(
        {
            P.areas_read,
            P.grids_write,
            P.grids_assign,
            P.users_read,
            P.residents_read,
            P.events_report,
            P.events_read,
            P.events_manage,
            P.events_handle,
            P.events_verify,
            P.events_reveal_contact,
            P.categories_manage,
            P.warnings_read,
            P.warnings_issue,
            P.deliveries_manage,
            P.notices_read,
            P.notices_publish,
            P.selfgov_read,
            P.selfgov_supervise,
            P.disclosure_read,
            P.disclosure_supervise,
            P.conventions_read,
            P.conventions_review,
            P.consultation_read,
            P.services_read,
            P.services_handle,
            P.services_manage,
            P.orgs_read,
            P.orgs_manage,
            P.orgs_act,
            P.workforce_read,
            P.workforce_manage,
            P.workforce_pay,
            P.socialwork_read,
            P.socialwork_manage,
            P.socialwork_record,
            P.duties_read,
            P.duties_write,
            P.duties_review,
            P.certificates_read,
            P.certificates_manage,
            P.facilities_read,
            P.facilities_manage,
            P.funding_read,
            P.funding_manage,
            P.safety_read,
            P.safety_appoint,
            P.safety_record,
            P.chiefs_read,
            P.chiefs_manage,
            P.chiefs_patrol,
        }
    ),
    Role.community_worker: frozenset(
        {
            P.areas_read,
            P.grids_write,
            P.grids_assign,
            P.residents_read,
            P.residents_write,
            P.residents_reveal,
            P.events_report,
            P.events_read,
            P.events_manage,
            P.events_verify,
            P.events_reveal_contact,
            P.warnings_read,
            P.subscriptions_record,
            P.deliveries_manage,
            P.notices_read,
            P.notices_publish,
            P.selfgov_read,
            P.selfgov_write,
            P.disclosure_read,
            P.disclosure_write,
            P.conventions_read,
            P.conventions_write,
            P.consultation_read,
            P.consultation_write,
            P.services_read,
            P.services_handle,
            P.orgs_read,
            P.orgs_manage,
            P.orgs_act,
            P.socialwork_read,
            P.socialwork_record,
            P.certificates_read,
            P.certificates_issue,
            P.facilities_read,
            P.facilities_manage,
            P.funding_read,
            P.safety_read,
            P.safety_record,
            P.chiefs_read,
            P.chiefs_manage,
            P.chiefs_patrol,
        }
    ),
    Role.grid_worker: frozenset(
        {
            P.areas_read,
            P.residents_read,
            P.residents_write,
            P.events_report,
            P.events_read,
            P.events_verify,
            P.warnings_read,
            P.subscriptions_record,
            P.notices_read,
            P.orgs_read,
            P.safety_read,
            P.chiefs_read,
            P.chiefs_patrol,
        }
    ),
    # A department handler acts only for the handling units they are a member of (events.unit_members).
    # Their events.reveal_contact covers only the events dispatched to their units (events.contacts).
    Role.department_handler: frozenset(
        {P.areas_read, P.events_read, P.events_handle, P.events_reveal_contact, P.warnings_read}
    ),
    Role.auditor: frozenset(
        {
            P.areas_read,
            P.users_read,
            P.audit_read,
            P.residents_read,
            P.events_read,
            P.warnings_read,
            P.notices_read,
            P.disclosure_read,
            P.conventions_read,
            P.consultation_read,
            P.services_read,
            P.orgs_read,
            P.selfgov_read,
            P.workforce_read,
            P.socialwork_read,
            P.duties_read,
            P.certificates_read,
            P.facilities_read,
            P.funding_read,
            P.safety_read,
            P.chiefs_read,
        }
    ),
    Role.resident: frozenset(
        {
            P.areas_read,
            P.events_report,
            P.events_read,
            P.warnings_read,
            P.selfgov_read,
            P.disclosure_ask,
            P.conventions_comment,
            P.consultation_raise,
            P.services_apply,
            P.facilities_enrol,
        }
    ),
    Role.warning_issuer: frozenset({P.areas_read, P.warnings_read, P.warnings_issue, P.warnings_issue_weather}),
    # Granted at the area the unit works in (its alliance's street or community): reads there, acts only
    # for the organizations the account is linked to as a contact.
    Role.org_contact: frozenset({P.areas_read, P.orgs_read, P.orgs_act}),
    # Granted at the grid or community they are appointed to: they record its mediation cases and sessions.
    Role.safety_appointee: frozenset({P.areas_read, P.safety_read, P.safety_record}),
}


def parse_role(value: str) -> Role:
    from linli.kit.errors import InvalidInput

    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            t("unknown role {role!r}; roles are: {roles}", role=value, roles=", ".join(r.value for r in Role))
        ) from None
