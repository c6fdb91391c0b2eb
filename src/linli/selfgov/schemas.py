"""Request and response shapes of the self-government API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Id, bounded_int

Step = bounded_int("Step", 0, 6)  # a step of 四议两公开: its index in models.STEPS
Body = Literal["party_committee", "villagers_committee", "representative"]
Post = Literal["secretary", "deputy_secretary", "director", "deputy_director", "member", "representative"]
MeetingKind = Literal[
    "villagers_meeting",
    "residents_meeting",
    "representatives_meeting",
    "group_meeting",
    "joint_meeting",
    "party_meeting",
]
Base = Literal["adults", "households", "members"]
Choice = Literal["yes", "no", "abstain"]
SuspensionKind = Literal["correction_order", "complaint_upheld", "court_decision"]


class MemberIn(BaseModel):
    area_code: str = Field(max_length=12, description="the village or community")
    body: Body
    person_id: Id
    post: Post
    term_from: date
    term_to: date | None = None
    households: int | None = Field(None, ge=1, le=1000, description="a representative's households")
    group_code: str | None = Field(None, max_length=15, description="the villagers' group (grid) represented")


class EndTermIn(BaseModel):
    on: date = Field(description="the last day of the term")


class MemberOut(BaseModel):
    id: int
    area_code: str
    body: str
    person_id: int
    name: str
    post: str
    term_from: date
    term_to: date | None
    households: int | None
    group_code: str | None


class MeetingIn(BaseModel):
    area_code: str = Field(max_length=15, description="the village or community (a group meeting: its grid)")
    kind: MeetingKind
    base: Base | None = Field(None, description="adults or households (villagers', residents', group meetings)")
    title: str = Field(max_length=200)
    place: str = Field("", max_length=200)
    notice_on: date
    held_on: date
    materials_on: date | None = Field(None, description="materials circulated (Party members' meeting)")
    official: str = Field("", max_length=100, description="the township official present")
    content: str = Field("", max_length=20000)
    matter_id: Id | None = None


class RescheduleIn(BaseModel):
    notice_on: date
    held_on: date


class QuorumOut(BaseModel):
    base: int
    present: int
    required: int
    met: bool
    rule_set: str
    citation: str
    words: str


class MeetingOut(BaseModel):
    id: int
    area_code: str
    kind: str
    base: str
    title: str
    place: str
    notice_on: date
    held_on: date
    materials_on: date | None
    status: str
    official: str
    content: str
    matter_id: int | None
    rescheduled_from_id: int | None
    rescheduled_to_id: int | None
    generated: bool
    quorum: QuorumOut


class SignInIn(BaseModel):
    person_ids: list[Id] = Field(max_length=20000)
    present: bool = True


class MotionIn(BaseModel):
    title: str = Field(max_length=300)


class VoteIn(BaseModel):
    person_id: Id
    choice: Choice
    proxy_for: Id | None = Field(None, description="voting for another person (refused where the rules forbid it)")


class BallotsIn(BaseModel):
    method: Literal["recorded", "paper"] = "paper"
    votes: list[VoteIn] = Field(max_length=20000)


class BatchOut(BaseModel):
    id: int
    motion_id: int
    method: str
    entered_by: str
    entered_at: datetime
    confirmed_by: str | None
    confirmed_at: datetime | None
    yes: int
    no: int
    abstain: int


class RecountIn(BaseModel):
    yes: int = Field(ge=0, le=1_000_000)
    no: int = Field(ge=0, le=1_000_000)
    abstain: int = Field(ge=0, le=1_000_000)
    note: str = Field("", max_length=300)


class RecountOut(BaseModel):
    id: int
    batch_id: int
    counted_by: str
    counted_at: datetime
    yes: int
    no: int
    abstain: int
    matches: bool
    note: str


class MotionOut(BaseModel):
    id: int
    meeting_id: int
    title: str
    result: str | None
    yes: int
    no: int
    abstain: int
    present: int
    unconfirmed: int
    majority: str


class MatterIn(BaseModel):
    area_code: str = Field(max_length=12)
    title: str = Field(max_length=200)
    description: str = Field("", max_length=20000)
    proposed_on: date = Field(description="the day the Party organisation proposed it (step 1)")


class StepIn(BaseModel):
    done_on: date
    note: str = Field("", max_length=5000)
    disclosed_on: date | None = None
    disclosure_place: str = Field("", max_length=200)
    disclosure_ref: str | None = Field(None, max_length=100)


class DiscloseIn(BaseModel):
    item_id: Id | None = Field(None, description="an item already written on the matter's board, instead of a new one")
    occurred_on: date | None = Field(None, description="step ⑥: the day the work was completed")


class SuspendIn(BaseModel):
    kind: SuspensionKind
    reason: str = Field(max_length=5000)


class ResumeIn(BaseModel):
    note: str = Field(max_length=5000)


class StepOut(BaseModel):
    step: int
    name: str
    meeting_id: int | None
    done_on: date | None
    done_by: str | None
    note: str
    disclosed_on: date | None
    disclosure_place: str
    disclosure_ref: str | None


class MatterOut(BaseModel):
    id: int
    area_code: str
    title: str
    description: str
    step: int
    next_step: str | None
    status: str
    generated: bool
    updated_at: datetime
    steps: list[StepOut] = []


class DisclosedOut(BaseModel):
    item_id: int = Field(description="the disclosure item the step names (`disclosure-item:<id>`)")
    created: bool = Field(description="written now from the matter (false: picked, or named already)")
    item_status: Literal["draft", "published"]
    matter: MatterOut = Field(description="the matter: its step is done once the item is published")


RequestBasis = Literal["villagers", "representatives", "residents"]


class RequestIn(BaseModel):
    area_code: str = Field(max_length=15, description="the village or community asked to convene a meeting")
    basis: RequestBasis = Field(description="who asks: adult villagers, villagers' representatives, adult residents")
    title: str = Field(max_length=200, description="what the meeting is asked for")
    reason: str = Field("", max_length=5000)


class SupportersIn(BaseModel):
    person_ids: list[Id] = Field(min_length=1, max_length=5000, description="persons of the register, each once")


class ConvenedIn(BaseModel):
    meeting_id: Id = Field(description="the meeting the committee called on the request")


class RequestOut(BaseModel):
    id: int
    area_code: str
    title: str
    reason: str
    basis: RequestBasis
    opened_on: date
    rule_set: str
    base: int = Field(description="those who may support it, counted on the opening day")
    required: int = Field(description="supporters the share of the day's text requires")
    supporters: int
    status: Literal["collecting", "reached", "convened"]
    reached_on: date | None
    meeting_id: int | None
    words: str
