"""Query parameters (paging, booleans), their problems worded in the caller's language."""

from __future__ import annotations

from typing import Any

from chalicelib.core.error_mapping import ApiError, worded

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def query_params(request: Any) -> dict[str, str]:
    params = request.query_params or {}
    return {str(k): str(v) for k, v in dict(params).items()}


def page_params(params: dict[str, str], language: str) -> tuple[int, str | None]:
    """`?limit=` (default 50, 1–200) and `?cursor=`."""
    raw = params.get("limit")
    limit = DEFAULT_LIMIT
    if raw is not None:
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            raise ApiError(422, "validation_failed", worded({"limit": "invalid_limit"}, language))
        limit = int(raw)
    cursor = params.get("cursor") or None
    if cursor is not None and len(cursor) > 2048:
        raise ApiError(422, "validation_failed", worded({"cursor": "invalid_cursor"}, language))
    return limit, cursor


def boolean_param(params: dict[str, str], name: str, language: str) -> bool | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise ApiError(422, "validation_failed", worded({name: "invalid_boolean"}, language))
