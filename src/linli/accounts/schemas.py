"""Shapes of the accounts API: users and their grants, one's own password and API tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from linli.kit.types import Patch


class GrantOut(BaseModel):
    id: int
    role: str
    area_code: str


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    is_active: bool
    home_area: str
    grants: list[GrantOut] = []


class UserIn(BaseModel):
    username: str = Field(..., min_length=3, max_length=64)
    display_name: str = Field("", max_length=100)
    area_code: str = Field(..., description="the user's home area; must be inside your scope")
    password: str | None = Field(None, description="leave empty to have one generated")


class UserPatch(Patch):
    display_name: str | None = Field(None, max_length=100)
    is_active: bool | None = None


class UserCreated(UserOut):
    password: str


class GrantIn(BaseModel):
    role: str
    area_code: str


class TokenIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=100)
    expires_in_days: int | None = Field(90, description="1–3650; null for no expiry")


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(..., description="shown once; store it now")


class PasswordChange(BaseModel):
    current_password: str
    new_password: str
    revoke_tokens: bool = Field(False, description="also revoke all your API tokens (your other sessions end anyway)")


class PasswordChanged(BaseModel):
    sessions_ended: int = Field(..., description="your other browser sessions that were ended")
    tokens_revoked: int
    tokens_active: int = Field(..., description="your API tokens that still work")


class PasswordReset(BaseModel):
    password: str = Field(..., description="the generated password, shown once")
    sessions_ended: int
    tokens_revoked: int
