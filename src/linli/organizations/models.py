"""Organizations and the social forces around a community: the registry of organizations, party-building
alliances (党建联盟) with their member units and the three lists (needs, resources, projects), the people
who act for a member unit (org_contact accounts), dual reporting (双报到) with its service records, and
co-construction pairings (结对共建) of organizations with communities and their activities; an alliance's
co-construction agreements (the signed file and its dates), meetings and annual reviews; the community's
annual evaluation of a unit reported to it.

Every row is area-scoped: an organization by the place it sits, an alliance by the area it covers (a
street or community), a member row and a resource by the alliance's and the unit's area, a need and its
project by the place the need was raised, a report and a service record by the community reported to.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped


class Organization(Base, AreaScoped, Timestamped):
    """An organization in the registry (kinds in linli.organizations.kinds); `area_code` is where it sits."""

    __tablename__ = "organizations"
    __table_args__ = (
        Index("ix_organizations_area_kind", "area_code", "kind"),
        # Counts by kind (social organizations per area): one range of the index per child area.
        Index("ix_organizations_kind_status_area", "kind", "status", "area_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    # A Party organization's higher organization (a branch's general branch or committee).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    # 统一社会信用代码 (GB 32100), checked with its check digit; unique where given.
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    # The organization's office contact (a work phone, shown in full: it is the unit's, not a person's).
    contact_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    contact_phone: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    # Social organizations only: registered (登记) or filed (备案), type, field of service, rating (nA, 1–5).
    registration: Mapped[str | None] = mapped_column(String(12))
    social_type: Mapped[str | None] = mapped_column(String(24))
    service_field: Mapped[str | None] = mapped_column(String(24))
    rating: Mapped[int | None] = mapped_column(Integer)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class OrgContact(Base):
    """An account acting for an organization (role org_contact): it offers resources, claims needs and
    logs service records for this organization only."""

    __tablename__ = "org_contacts"
    __table_args__ = (UniqueConstraint("organization_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)


class Alliance(Base, AreaScoped, Timestamped):
    """A party-building alliance; `area_code` is the area it covers (a street, a community)."""

    __tablename__ = "alliances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    lead_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    # The co-construction agreement (共建协议).
    signed_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class AllianceMember(Base, AreaScoped):
    """A member unit of an alliance; `area_code` is the alliance's (counts roll up by it)."""

    __tablename__ = "alliance_members"
    __table_args__ = (UniqueConstraint("alliance_id", "organization_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliances.id"), nullable=False, index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="member")
    joined_on: Mapped[date | None] = mapped_column(Date)
    # Set when the unit sits outside the alliance's area and was admitted on purpose.
    cross_area: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Need(Base, AreaScoped, Timestamped):
    """A need (需求清单) raised by residents, a grid or a community; `area_code` is where it was raised."""

    __tablename__ = "org_needs"
    # Counts and to-dos by state: one range of the index per state and area.
    __table_args__ = (Index("ix_org_needs_status_area", "status", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category: Mapped[str] = mapped_column(String(24), nullable=False)
    raised_by: Mapped[str] = mapped_column(String(12), nullable=False)  # resident, grid, community
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="open")  # open claimed met closed
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Resource(Base, AreaScoped, Timestamped):
    """A resource (资源清单) a member unit offers in an alliance; `area_code` is the unit's."""

    __tablename__ = "org_resources"
    __table_args__ = (Index("ix_org_resources_area_type", "area_code", "resource_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliances.id"), nullable=False, index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    resource_type: Mapped[str] = mapped_column(String(24), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)  # people (or times) per period
    availability: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")  # active, withdrawn
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Project(Base, AreaScoped, Timestamped):
    """A project (项目清单): a unit claims a need with one of its resources; `area_code` is the need's."""

    __tablename__ = "org_projects"
    __table_args__ = (Index("ix_org_projects_status_area", "status", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliances.id"), nullable=False, index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("org_needs.id"), nullable=False, index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("org_resources.id"), nullable=False, index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="claimed")  # claimed done dropped
    result: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date)
    rating: Mapped[int | None] = mapped_column(Integer)  # residents' rating 1–5, after the result
    rated_by: Mapped[str | None] = mapped_column(String(64))
    claimed_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class UnitReport(Base, AreaScoped, Timestamped):
    """Dual reporting (双报到): a unit reports to the community where it sits (`area_code`, 12 digits)."""

    __tablename__ = "org_unit_reports"
    __table_args__ = (UniqueConstraint("organization_id", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    reported_on: Mapped[date] = mapped_column(Date, nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class MemberReport(Base, AreaScoped, Timestamped):
    """An in-service Party member (a person of the register) reports to the community where they live
    (`area_code`); `organization_id` is the unit they work for."""

    __tablename__ = "org_member_reports"
    __table_args__ = (UniqueConstraint("person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    reported_on: Mapped[date] = mapped_column(Date, nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class ServiceRecord(Base, AreaScoped, Timestamped):
    """A service a reported unit or member gave in the community (`area_code`): date, hours, content and
    the beneficiaries' rating (1–5, optional)."""

    __tablename__ = "org_service_records"
    __table_args__ = (Index("ix_org_service_records_org_date", "organization_id", "served_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False)
    member_report_id: Mapped[int | None] = mapped_column(ForeignKey("org_member_reports.id"), index=True)
    served_on: Mapped[date] = mapped_column(Date, nullable=False)
    hours: Mapped[float] = mapped_column(Float, nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    rating: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Pairing(Base, AreaScoped, Timestamped):
    """A co-construction pairing (结对共建) of an organization with a community (`area_code`, the community's):
    one-to-one (the community's only pairing), or many-to-one (one of several units paired with it)."""

    __tablename__ = "org_pairings"
    __table_args__ = (Index("ix_org_pairings_status_area", "status", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)  # one_to_one, many_to_one
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")  # active, ended
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class PairingActivity(Base, AreaScoped, Timestamped):
    """An activity of a pairing (the community's `area_code`): when, what, how many took part."""

    __tablename__ = "org_pairing_activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("org_pairings.id"), nullable=False, index=True)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    participants: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


GRADES = ("excellent", "good", "fair", "poor")  # 优秀 / 良好 / 一般 / 较差


class Agreement(Base, AreaScoped, Timestamped):
    """A co-construction agreement (共建协议) of an alliance (the alliance's `area_code`): its term and the
    signed file, stored by its SHA-256 (linli.organizations.files)."""

    __tablename__ = "org_agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliances.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    signed_on: Mapped[date] = mapped_column(Date, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_type: Mapped[str | None] = mapped_column(String(40))
    file_size: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class AllianceMeeting(Base, AreaScoped, Timestamped):
    """A meeting of an alliance (联席会议; the alliance's `area_code`): when, how many attended, the minutes."""

    __tablename__ = "org_alliance_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliances.id"), nullable=False, index=True)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    attendees: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    minutes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class AllianceReview(Base, AreaScoped, Timestamped):
    """An alliance's annual review (年度评议), once a year: a grade and what the year brought."""

    __tablename__ = "org_alliance_reviews"
    __table_args__ = (UniqueConstraint("alliance_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliances.id"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    grade: Mapped[str] = mapped_column(String(12), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class UnitEvaluation(Base, AreaScoped, Timestamped):
    """The community's (`area_code`) annual evaluation of a unit reported to it (双报到), fed back to the unit."""

    __tablename__ = "org_unit_evaluations"
    __table_args__ = (UniqueConstraint("organization_id", "area_code", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    grade: Mapped[str] = mapped_column(String(12), nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
