"""The OpenAPI 3.1 document, generated from the operations and their pydantic models, so it
cannot drift from what the API validates."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib.core.http import OPERATIONS, resolve_model
from chalicelib.core.schemas import ErrorEnvelope

_ERROR_TEXT = {
    400: "Unreadable body",
    401: "Not signed in",
    403: "Not allowed or wrong state",
    404: "Unknown (or not yours)",
    409: "Conflict or duplicate",
    413: "Body too large",
    415: "Body not sent as application/json",
    422: "Invalid fields",
    429: "Throttled or locked (see Retry-After)",
}


def _operation_id(method: str, path: str) -> str:
    return f"{method.lower()}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}"


@lru_cache(maxsize=1)
def build_document() -> dict[str, Any]:
    models: set[type[BaseModel]] = {ErrorEnvelope}
    for op in OPERATIONS:
        models.update(resolve_model(m) for m in (op.body, op.returns) if m is not None)
    request_models = {resolve_model(o.body) for o in OPERATIONS if o.body is not None}
    ordered = sorted(models, key=lambda m: m.__name__)
    for model in ordered:
        model.model_rebuild()

    def mode(model: type[BaseModel]) -> Literal["validation", "serialization"]:
        return "validation" if model in request_models else "serialization"

    refs, definitions = models_json_schema(
        [(m, mode(m)) for m in ordered], ref_template="#/components/schemas/{model}"
    )

    def _ref(model: type[BaseModel]) -> dict[str, str]:
        # The name pydantic gave the model's schema: two models of one name (a request's
        # Decision, an answer's Decision) get two names, never one dangling reference.
        return {"$ref": str(refs[(model, mode(model))]["$ref"])}

    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        operation: dict[str, Any] = {
            "summary": op.summary,
            "tags": [op.tag],
            "operationId": _operation_id(op.method, op.path),
            "responses": {},
        }
        params = re.findall(r"{(\w+)}", op.path)
        if params:
            operation["parameters"] = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                for p in params
            ]
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(resolve_model(op.body))}},
            }
        success: dict[str, Any] = {"description": "OK"}
        if op.returns is not None:
            success["content"] = {"application/json": {"schema": _ref(resolve_model(op.returns))}}
        operation["responses"][str(op.status)] = success
        codes = set(op.errors)
        if op.body is not None:
            codes |= {400, 413, 415, 422}
        if op.signed_in:
            codes |= {401}
            operation["security"] = [{"bearer": []}]
        for code in sorted(codes):
            operation["responses"][str(code)] = {
                "description": _ERROR_TEXT.get(code, "Error"),
                "content": {"application/json": {"schema": _ref(ErrorEnvelope)}},
            }
        paths.setdefault(op.path, {})[op.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Massar e-services",
            "version": "1.0.0",
            "description": "Parents', pupils', staff and operators' services of Massar.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
