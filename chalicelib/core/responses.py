"""JSON answers as API.md has them: UTF-8 JSON, never cached."""

from __future__ import annotations

import json
from typing import Any

from chalice import Response
from pydantic import BaseModel

JSON_TYPE = "application/json; charset=utf-8"


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    body = (
        None if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    )
    return Response(
        body=body or "",
        status_code=status,
        headers={"Content-Type": JSON_TYPE, "Cache-Control": "no-store", **(headers or {})},
    )


def view_response(result: Any, status: int) -> Response:
    """What a view returned, as the answer: a Response as is, a pydantic model or a dict as
    JSON with the route's status, None as no body."""
    if isinstance(result, Response):
        return result
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json", exclude_none=True)
    return json_response(status, result)
