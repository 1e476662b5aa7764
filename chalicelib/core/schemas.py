"""The bases of every request and answer body, the error envelope and the health answer.
Each feature's bodies are in its own `schemas.py`; they validate requests and generate the
OpenAPI document.

Request models forbid unknown fields: a client can never set `status`, `school_code`
or `decided_by` by adding them to a body (mass assignment). Schemas are built on first
use (`defer_build`), not at cold start.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    FieldSerializationInfo,
    SerializerFunctionWrapHandler,
    field_serializer,
)

CASABLANCA = ZoneInfo("Africa/Casablanca")


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


def on_casablanca_clock(value: Any) -> Any:
    """An instant as ISO 8601 with the offset of the Africa/Casablanca clock on that date
    (API.md), from the tz database: the wall time in the string is Morocco's, so a client
    can show it as is (Debian's Chromium has Casablanca an hour off from late 2026)."""
    moment = value
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(CASABLANCA).isoformat()
    return value


class AnswerBody(BaseModel):
    model_config = ConfigDict(defer_build=True)

    @field_serializer("*", mode="wrap", when_used="json")
    def _times_on_casablanca_clock(
        self, value: Any, next_: SerializerFunctionWrapHandler, info: FieldSerializationInfo
    ) -> Any:
        if isinstance(value, datetime) or (
            isinstance(value, str) and (info.field_name or "").endswith("_at")
        ):
            return on_casablanca_clock(value)
        return next_(value)


class Health(AnswerBody):
    status: Literal["ok"] = "ok"


class ErrorDetail(AnswerBody):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorEnvelope(AnswerBody):
    error: ErrorDetail
