"""Form posts on pages: try the service call in a savepoint, and on a refusal show the form again.

Every page that takes a form does the same three things: run the domain's service call so that a
refusal undoes only what the call did (a savepoint, not the request's whole transaction: an audit row
or a token use written before it stays), turn the refusal into the lines the form shows, and answer
with the form again (422) holding what the person typed. `attempt` is that, once:

    with attempt(session) as tried:
        notice = service.create(session, principal, NoticeIn(...))
    if tried.errors:
        return _form_page(request, ..., errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/notices/{notice.id}", status_code=303)

A refusal is a `DomainError` (the service's, or `InvalidInput` from parsing a form value) or a pydantic
`ValidationError` (a schema built from the form). Anything else is a bug and propagates: the request's
transaction is rolled back and the error page shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.kit.errors import DomainError, InvalidInput
from linli.kit.i18n import t
from linli.web.pages import error_lines

REFUSALS = (DomainError, ValidationError)


@dataclass
class Attempt:
    """What became of a form's service call: no errors, or the lines to show on the form."""

    errors: list[str] = field(default_factory=list)
    error: DomainError | ValidationError | None = None

    @property
    def refused(self) -> bool:
        return self.error is not None


@contextmanager
def attempt(session: Session) -> Iterator[Attempt]:
    """Run the block in a savepoint; a refusal rolls the savepoint back and is kept in the Attempt."""
    tried = Attempt()
    try:
        with session.begin_nested():
            yield tried
    except REFUSALS as exc:
        tried.error = exc
        tried.errors = error_lines(exc)


def date_field(value: str | None, what: str, *, required: bool = False) -> date | None:
    """A date typed in a form field (YYYY-MM-DD): empty is None (or, `required`, an error asking for
    it); anything else an error naming the field and what was typed."""
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(t("{what}: give a date", what=what))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(t("{what}: {value!r} is not a date (YYYY-MM-DD)", what=what, value=value)) from None
