"""Domain errors: each carries an HTTP status, a stable code and a message a person understands."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Any = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details
        if code:
            self.code = code

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return {"error": body}


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"


class NotFound(DomainError):
    """Also the answer for anything outside the principal's scope: the two must be indistinguishable."""

    status = 404
    code = "not_found"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    status = 429
    code = "too_many_requests"


class RowError(dict):
    """One bad row of an imported file: its row number (1-based, as a person counts) and reasons."""

    def __init__(self, row: int, reason: str, key: str | None = None, *, name: str | None = None):
        super().__init__(row=row, key=key, reason=reason)
        if name is not None:  # the person (or thing) of the row, so that a reader finds it in their file
            self["name"] = name


class ImportRejected(InvalidInput):
    """A data file with bad rows: every bad row is listed and nothing was written."""

    code = "import_rejected"

    def __init__(self, message: str, rows: list[RowError]):
        super().__init__(message, details=list(rows))
        self.rows = rows
