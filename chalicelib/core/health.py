"""Liveness and the API's own description."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core.http import Call, json_response, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.core.schemas import Health

health_bp = Blueprint(__name__)


@route(
    health_bp,
    "/v1/health",
    "GET",
    summary="Liveness",
    tag="system",
    returns="chalicelib.core.schemas:Health",
)
def health(call: Call) -> Health:
    from chalicelib.core.schemas import Health

    return Health()


@route(health_bp, "/v1/openapi.json", "GET", summary="This API's OpenAPI 3 document", tag="system")
def openapi_document(call: Call) -> Response:
    from chalicelib.core.openapi import build_document

    return json_response(200, build_document())
