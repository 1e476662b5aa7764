"""Every failure → its HTTP answer (API.md), in one place.

A refusal leaves as the error envelope `{"error": {"code", "message", "fields"?}}`: its
status from `STATUS_OF`, its message and field problems worded in the caller's language,
`Retry-After` when the client may try again later. The route decorator (`core/http.py`)
and the Idempotency-Key layer (`core/idempotency.py`) both answer through `error_answer`,
so a refusal reads the same whichever path it takes; views raise, they never word.
"""

from __future__ import annotations

from typing import Any

from chalice import Response
from pydantic import ValidationError

from chalicelib.core.error_texts import field_message, message, password_reasons
from chalicelib.core.errors import Busy, DomainError, TooManyAttempts, WeakPassword
from chalicelib.core.responses import json_response

# Domain refusals → HTTP status (API.md): one table, so a reader finds every mapping here.
STATUS_OF: dict[str, int] = {
    "invalid_credentials": 401,
    "invalid_token": 401,
    "activation_required": 403,
    "password_expired": 403,
    "account_disabled": 403,
    "forbidden": 403,
    "not_found": 404,
    "already_exists": 409,
    "conflict": 409,
    "weak_password": 422,
    "too_many_attempts": 429,
    "busy": 503,  # writes kept colliding (store/transactions.py): try again in a moment
    "cannot_resend": 409,  # notifications
    # Registration.
    "validation_failed": 422,
    "campaign_closed": 403,
    "no_open_campaign": 404,
    "duplicate_application": 409,
    "already_decided": 409,
    "idempotency_in_progress": 409,
    "idempotency_key_reused": 422,
    # The pupil record: a pupil of another school is reached only by a transfer.
    "pupil_enrolled_elsewhere": 409,
    "transfer_already_open": 409,
    # National and regional exams: before results_at, the same 404 for every candidate.
    "result_not_published": 404,
}


class ApiError(Exception):
    """An answer decided by the HTTP layer itself (status and code as given, `fields`
    already worded)."""

    def __init__(
        self,
        status: int,
        code: str,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.fields = fields
        self.headers = headers or {}


def worded(fields: dict[str, str], language: str) -> dict[str, str]:
    """Problem codes by JSON path (`{"limit": "invalid_limit"}`) → the texts a person reads
    beside the fields; a code without a text stays as is."""
    return {path: field_message(code, code, language) for path, code in fields.items()}


def validation_fields(error: ValidationError, language: str) -> dict[str, str]:
    """What pydantic found wrong with a body, by JSON path (`child.birth_date`), worded
    from the error's type (its English message when the type has no text)."""
    return {
        _field_path(e["loc"]): field_message(e["type"], e["msg"], language)
        for e in error.errors(include_url=False)
    }


def _field_path(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location) or "body"


def error_body(code: str, language: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message(code, language)}
    if fields:
        error["fields"] = fields
    return {"error": error}


def error_response(
    status: int,
    code: str,
    language: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return json_response(status, error_body(code, language, fields), headers)


def error_answer(error: Exception, language: str) -> Response | None:
    """The answer to an ApiError or a domain refusal (InvalidFields included: 422, its
    fields worded), or None for any other failure, a bug the route logs and answers 500."""
    if isinstance(error, ApiError):
        return error_response(error.status, error.code, language, error.fields, error.headers)
    if isinstance(error, TooManyAttempts | Busy):
        wait = {"Retry-After": str(error.retry_after_seconds)}
        return error_response(STATUS_OF[error.code], error.code, language, headers=wait)
    if not isinstance(error, DomainError):
        return None
    fields = error.fields or None
    if isinstance(error, WeakPassword) and fields:
        fields = password_reasons(fields, language)  # one entry per reason
    elif fields:
        fields = worded(fields, language)
    return error_response(STATUS_OF.get(error.code, 403), error.code, language, fields)


def refused_report(report: dict[str, Any], language: str) -> Response:
    """An import refused as a whole: 422 in the error envelope, each bad row's fields named
    `rows.<n>.<field>`, with the whole per-row report beside it."""
    fields = {
        f"rows.{row['row']}.{name}": text
        for row in report.get("rows", [])
        for name, text in (row.get("errors") or {}).items()
    }
    return json_response(422, {**error_body("validation_failed", language, fields), **report})
