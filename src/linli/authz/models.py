"""Role grants: (user, role, area). A user's reach is the union of their grants."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped


class Grant(Base, AreaScoped, Timestamped):
    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(32), nullable=False)
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def code(self) -> str:
        from linli.kit.codes import unpad

        return unpad(self.area_code)
