"""Request and response shapes of the certificates API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from linli.kit.types import Id


class RefusedOut(BaseModel):
    code: str
    number: int
    name: str
    channel: str = Field(description="where the resident goes instead")
    channel_verified: bool = Field(description="whether the channel was checked against the list's annex")


class NegativeListOut(BaseModel):
    source: str
    items: list[RefusedOut]


class KindIn(BaseModel):
    area_code: str = Field(max_length=15, description="the province or city whose list it is on (a county: local)")
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=100)
    legal_basis: str = Field(min_length=1, max_length=2000)
    purpose: str = Field(min_length=1, max_length=2000)
    sample_text: str = Field(
        min_length=1, max_length=4000, description="the text printed: {name}, {community}, {purpose}, {details}"
    )
    handling_time: str = Field(min_length=1, max_length=100, description="e.g. 即时办结, 3个工作日")
    example: bool = False
    active: bool = True


class KindOut(KindIn):
    id: int
    generated: bool


class CertificateIn(BaseModel):
    area_code: str = Field(max_length=15, description="the community issuing it")
    kind: str = Field(max_length=100, description="the code of a kind on the list (or what the resident asks for)")
    person_id: Id
    purpose: str = Field(min_length=1, max_length=200, description="what the resident needs it for")
    details: str = Field("", max_length=2000, description="the facts the certificate states, as checked")


class CertificateOut(BaseModel):
    id: int
    number: str
    area_code: str
    kind_id: int
    kind_name: str
    person_id: int
    person_name: str
    purpose: str
    body: str
    issued_by: str
    issued_at: datetime
    generated: bool
