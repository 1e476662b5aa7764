"""The HTTP conventions of API.md, in one place.

`route` declares an operation once: Chalice gets the view, the OpenAPI document gets its
request and answer models, and every failure leaves as the error envelope
`{"error": {"code", "message", "fields"?}}` (worded by `core/error_mapping.py`) with the
request id in the headers.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from chalice import Blueprint, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from chalicelib.accounts.audit.rules import Origin
from chalicelib.accounts.rules import Role, Scope
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.clock import epoch
from chalicelib.core.config import settings
from chalicelib.core.error_mapping import ApiError as ApiError
from chalicelib.core.error_mapping import error_answer, error_response, validation_fields
from chalicelib.core.error_mapping import error_body as error_body
from chalicelib.core.error_texts import language_of
from chalicelib.core.idempotency import idempotent_view
from chalicelib.core.logs import logger
from chalicelib.core.responses import JSON_TYPE as JSON_TYPE
from chalicelib.core.responses import json_response as json_response
from chalicelib.core.responses import view_response
from chalicelib.core.text import clean_input

# A body is read only when labelled application/json (else 415): a browser sends text/plain
# and form bodies from any web page without asking first (no CORS preflight), so reading
# them as JSON let any page fire sign-ins and submissions from its visitors' browsers.
# Chalice's own check would answer outside the envelope: it lets all through, `route` checks.
CONTENT_TYPES = ["*/*"]
JSON_MEDIA_TYPE = "application/json"
# Nothing in the API nests deeper than a few levels; 2,000 levels raised RecursionError (500).
MAX_JSON_DEPTH = 64


@dataclass
class Call:
    """What a view gets: the parsed body, the caller, the path parameters, the language."""

    request: Request
    body: Any
    principal: Principal | None
    params: dict[str, str]
    language: str

    @property
    def accept_language(self) -> str | None:
        return self.request.headers.get("accept-language")

    @property
    def origin(self) -> Origin:
        from chalicelib.core.client_address import viewer_address

        return Origin(
            source_ip=viewer_address(self.request) or "unknown",
            # Shown to operators in the audit trail: cleaned as any input.
            user_agent=clean_input(str(self.request.headers.get("user-agent") or ""))[:200],
        )

    def param(self, name: str) -> str:
        return str(self.params[name])

    def query(self, name: str) -> str | None:
        params: dict[str, Any] = dict(self.request.query_params or {})
        value = params.get(name)
        return clean_input(str(value)) if value is not None else None

    def require(self, *roles: Role) -> Principal:
        if self.principal is None:
            raise ApiError(401, "not_signed_in")
        if roles and self.principal.role not in roles:
            raise ApiError(403, "forbidden")
        return self.principal


# A request or answer model, or "module:Class" (a dotted module path), imported on first use:
# a cold start then pays only for the schemas of the route it serves.
ModelRef = type[BaseModel] | str


@lru_cache(maxsize=256)
def _import_model(ref: str) -> type[BaseModel]:
    module, _, name = ref.partition(":")
    model: type[BaseModel] = getattr(importlib.import_module(module), name)
    return model


def resolve_model(ref: ModelRef) -> type[BaseModel]:
    return _import_model(ref) if isinstance(ref, str) else ref


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    body: ModelRef | None
    returns: ModelRef | None
    status: int
    signed_in: bool
    errors: tuple[int, ...] = field(default=())


OPERATIONS: list[Operation] = []


def require_json_body(request: Request) -> None:
    """Refuse a body not labelled application/json (a request without a body is fine)."""
    if not request.raw_body:
        return
    label = str(request.headers.get("content-type") or "")
    if label.split(";", 1)[0].strip().lower() != JSON_MEDIA_TYPE:
        raise ApiError(415, "unsupported_media_type")


def json_depth(data: Any) -> int:
    """How deep arrays and objects nest (a scalar: 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


# Secrets are kept as typed: they are compared with hashes of what was typed before, and
# never shown, so what cleaning protects against cannot happen with them.
_SECRET_FIELDS = ("password", "initial_code", "refresh_token")


def cleaned(data: Any, key: str = "") -> Any:
    """Every string of a parsed body through `clean_input` (NUL, direction overrides and
    zero-width characters out), but secrets."""
    if isinstance(data, str):
        return data if key.endswith(_SECRET_FIELDS) else clean_input(data)
    if isinstance(data, dict):
        return {name: cleaned(value, str(name)) for name, value in data.items()}
    if isinstance(data, list):
        return [cleaned(value, key) for value in data]
    return data


def parse_body(request: Request, model: type[BaseModel], language: str) -> BaseModel:
    raw = request.raw_body or b""
    if len(raw) > settings().max_body_bytes:
        raise ApiError(413, "payload_too_large")
    try:
        data = json.loads(raw) if raw.strip() else {}
    except RecursionError as error:
        raise ApiError(400, "too_deeply_nested") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, "invalid_json") from error
    if json_depth(data) > MAX_JSON_DEPTH:
        raise ApiError(400, "too_deeply_nested")
    data = cleaned(data)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ApiError(422, "validation_failed", validation_fields(error, language)) from error


def principal_of(request: Request) -> Principal | None:
    """The caller as the authorizer saw it (no database read), or None when not signed in."""
    context = (request.context or {}).get("authorizer") or {}
    username = context.get("username")
    role = context.get("role")
    expires = context.get("exp")
    # The gateway caches the authorizer's answer: an expired token must still be refused.
    if not username or not role or not expires or int(expires) < epoch():
        return None
    return Principal(
        username=str(username),
        role=Role(role),
        scope=Scope(
            context.get("school_code") or None,
            context.get("academy") or None,
            context.get("province") or None,
        ),
        children=tuple(c for c in str(context.get("children") or "").split(",") if c),
    )


def route(
    bp: Blueprint,
    path: str,
    method: str,
    *,
    summary: str,
    tag: str,
    body: ModelRef | None = None,
    returns: ModelRef | None = None,
    status: int = 200,
    signed_in: bool = False,
    errors: tuple[int, ...] = (),
    idempotent: bool = False,
) -> Callable[[Callable[[Call], Any]], Callable[[Call], Any]]:
    """Declare one operation. The view returns a pydantic model, a dict or None (no body)."""

    def decorate(view: Callable[[Call], Any]) -> Callable[[Call], Any]:
        OPERATIONS.append(
            Operation(method, path, summary, tag, body, returns, status, signed_in, errors)
        )
        call_view = view
        if idempotent:  # Idempotency-Key (API.md): see core/idempotency.py
            call_view = idempotent_view(view, method, path, status)
        authorizer = None
        if signed_in:
            from chalicelib.accounts.sign_in.authorizer import jwt_authorizer

            authorizer = jwt_authorizer

        def chalice_view(**params: str) -> Response:
            request = bp.current_request
            language = language_of(request.headers.get("accept-language"))
            try:
                require_json_body(request)
                parsed = (
                    parse_body(request, resolve_model(body), language) if body is not None else None
                )
                call = Call(request, parsed, principal_of(request), params, language)
                if signed_in and call.principal is None:
                    raise ApiError(401, "not_signed_in")
                result = call_view(call)
            except Exception as error:
                answer = error_answer(error, language)
                if answer is None:
                    logger.exception("unhandled error", extra={"path": path, "method": method})
                    return error_response(500, "internal_error", language)
                return answer
            return view_response(result, status)

        chalice_view.__name__ = view.__name__
        bp.route(path, methods=[method], authorizer=authorizer, content_types=CONTENT_TYPES)(
            chalice_view
        )
        return view

    return decorate


def request_id_middleware(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Every response and every log line of a request carry its id."""
    context = event.context or {}
    request_id = context.get("requestId") or getattr(
        event.lambda_context, "aws_request_id", "local"
    )
    logger.append_keys(request_id=request_id)
    try:
        response = get_response(event)
    finally:
        logger.remove_keys(["request_id"])
    response.headers["X-Request-Id"] = str(request_id)
    return response


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def register_method_fallbacks(bp: Blueprint, known: dict[str, set[str]]) -> None:
    """Answer 405 (with `Allow`) for the methods a path does not have, instead of the
    gateway's 403 "Missing Authentication Token"."""
    for path, methods in known.items():
        missing = [m for m in _METHODS if m not in methods]
        if not missing:
            continue
        allow = ", ".join(sorted(methods))

        def method_not_allowed(allow: str = allow, **params: str) -> Response:
            language = language_of(bp.current_request.headers.get("accept-language"))
            return error_response(405, "method_not_allowed", language, headers={"Allow": allow})

        method_not_allowed.__name__ = "method_not_allowed"
        bp.route(path, methods=missing)(method_not_allowed)


def operations_by_path() -> dict[str, set[str]]:
    known: dict[str, set[str]] = {}
    for op in OPERATIONS:
        known.setdefault(op.path, set()).add(op.method)
    return known
