"""Community certificates (社区证明): the province's or city's list of certificates communities may issue,
and each certificate a community issued to a resident.

A `CertificateKind` is an entry of the list, defined at a province or city (a county may add local entries)
for its subtree: its legal basis, what it is for, the sample text the certificate is printed from and the
handling time. A `Certificate` is one issued: to a person of the register, by a community (`area_code`),
with the text as printed, so a later change of the sample never changes a certificate already given.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow


class CertificateKind(Base, AreaScoped, Timestamped):
    __tablename__ = "certificate_kinds"
    __table_args__ = (UniqueConstraint("area_code", "code", name="uq_certificate_kinds_area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # the list's area (its unique constraint)
    code: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False)
    purpose: Mapped[str] = mapped_column(Text, nullable=False)
    sample_text: Mapped[str] = mapped_column(Text, nullable=False)  # {name}, {community}, {purpose}, {details}
    handling_time: Mapped[str] = mapped_column(String(100), nullable=False)
    example: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # a seed to localise
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    changed_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Certificate(Base, AreaScoped):
    """A certificate a community issued; area_code is the community."""

    __tablename__ = "certificates"
    __table_args__ = (Index("ix_certificates_area_issued", "area_code", "issued_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # indexed by ix_certificates_area_issued
    kind_id: Mapped[int] = mapped_column(ForeignKey("certificate_kinds.id"), nullable=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    person_name: Mapped[str] = mapped_column(String(100), nullable=False)
    purpose: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # the text as printed
    issued_by: Mapped[str] = mapped_column(String(64), nullable=False)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    generated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    @property
    def number(self) -> str:
        """The number printed on the certificate: 证明编号."""
        return f"ZM{self.id:08d}"
