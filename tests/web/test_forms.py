"""linli.web.forms.attempt: a refusal undoes only the service call and becomes the form's lines."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select

from linli.areas.models import Area
from linli.kit.errors import InvalidInput
from linli.web.forms import attempt


def _area(code: str, name: str) -> Area:
    return Area(code=code, area_code=code.ljust(15, "0"), name=name, level="province", kind="province")


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Area).where(Area.code.in_(["91", "92"])))


def test_a_refusal_undoes_the_call_only_and_gives_the_lines(session):
    session.add(_area("91", "before"))
    session.flush()
    with attempt(session) as tried:
        session.add(_area("92", "inside"))
        session.flush()
        raise InvalidInput("the name is taken", details=["name: taken", "code: taken"])
    assert tried.refused
    assert tried.errors == ["name: taken", "code: taken"]
    assert _count(session) == 1  # what came before the call stays; the call's row is gone


def test_a_schema_refusal_names_the_field(session):
    class Body(BaseModel):
        size: int

    with attempt(session) as tried:
        Body(size="big")
    assert isinstance(tried.error, ValidationError)
    assert tried.errors[0].startswith("size: ")


def test_success_keeps_the_work_and_no_errors(session):
    with attempt(session) as tried:
        session.add(_area("92", "inside"))
    assert not tried.refused and tried.errors == []
    assert _count(session) == 1


def test_a_bug_is_not_a_refusal(session):
    with pytest.raises(KeyError), attempt(session):
        raise KeyError("bug")
