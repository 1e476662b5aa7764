"""Field problems raised below the HTTP layer, worded in the caller's language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib.core.error_texts import field_message
from chalicelib.core.errors import InvalidFields
from chalicelib.core.http import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def translate(fields: dict[str, str], language: str) -> dict[str, str]:
    return {path: field_message(code, code, language) for path, code in fields.items()}


@contextmanager
def worded_fields(language: str) -> Iterator[None]:
    """Turn InvalidFields (problem codes) into the 422 envelope, worded."""
    try:
        yield
    except InvalidFields as error:
        raise ApiError(422, "validation_failed", translate(error.fields, language)) from error


def query_params(request: Any) -> dict[str, str]:
    params = request.query_params or {}
    return {str(k): str(v) for k, v in dict(params).items()}


def page_params(params: dict[str, str], language: str) -> tuple[int, str | None]:
    """`?limit=` (default 50, 1–200) and `?cursor=`."""
    raw = params.get("limit")
    limit = DEFAULT_LIMIT
    if raw is not None:
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            raise ApiError(
                422, "validation_failed", translate({"limit": "invalid_limit"}, language)
            )
        limit = int(raw)
    cursor = params.get("cursor") or None
    if cursor is not None and len(cursor) > 2048:
        raise ApiError(422, "validation_failed", translate({"cursor": "invalid_cursor"}, language))
    return limit, cursor


def boolean_param(params: dict[str, str], name: str, language: str) -> bool | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise ApiError(422, "validation_failed", translate({name: "invalid_boolean"}, language))
