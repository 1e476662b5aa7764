"""`Idempotency-Key` for creating POSTs (API.md), as an option of `route`.

Written here rather than with Powertools' idempotency utility: that utility keeps its
records through its own boto3 persistence layer (a table shape outside ALL_MODELS, so
outside the CDK stack and the local resources), wraps a function rather than an HTTP
answer (status + body to replay), and adds its import to every cold start; what is
needed is one conditional put, one update and the HTTP rules below.

- No header: the request runs as usual.
- A header of 1–64 visible ASCII characters, else 422.
- The key is scoped to the caller and the route with its path parameters; the body is
  compared through a SHA-256 of its canonical JSON. A caller not signed in has no name to
  scope by: the body's SHA-256 is the scope, so a key someone else sent with their own
  application never replays their answer (tracking code included) nor blocks this one.
- Same key, same body: the first answer again (status and body, header
  `Idempotent-Replayed: true`), nothing created. Same key, other body: 422
  `idempotency_key_reused`. First request still running: 409 `idempotency_in_progress`.
- Answers are stored only once the view ran: unreadable or invalid bodies (400/413/422
  before the view) and 401 are not, and neither are 5xx nor 429, so the client may retry.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.core import idempotency_store as store
from chalicelib.core.error_mapping import ApiError, error_answer, worded
from chalicelib.core.responses import JSON_TYPE, view_response

if TYPE_CHECKING:  # the route decorator calls this layer; this layer never imports it back
    from chalicelib.core.http import Call

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")


def body_hash(call: Call) -> str:
    raw = call.request.raw_body or b""
    if isinstance(raw, str):
        raw = raw.encode()
    try:
        canonical = json.dumps(
            json.loads(raw) if raw.strip() else {}, sort_keys=True, separators=(",", ":")
        )
    except ValueError:
        canonical = raw.decode("utf-8", "replace")
    return hashlib.sha256(canonical.encode()).hexdigest()


def _answer(view: Callable[[Call], Any], call: Call, status: int) -> Response:
    """What the route would answer, as a Response (refusals of the view included, through
    the one error mapping). A bug is raised on: the route logs it and answers 500."""
    try:
        return view_response(view(call), status)
    except Exception as error:
        answer = error_answer(error, call.language)
        if answer is None:
            raise
        return answer


def idempotent_view(
    view: Callable[[Call], Any], method: str, path: str, status: int
) -> Callable[[Call], Any]:
    def run(call: Call) -> Any:
        raw_key = call.request.headers.get(HEADER.lower())
        if raw_key is None:
            return view(call)
        if not _KEY.match(raw_key):
            raise ApiError(
                422,
                "validation_failed",
                worded({f"headers.{HEADER}": "invalid_idempotency_key"}, call.language),
            )
        digest = body_hash(call)
        caller = call.principal.username if call.principal else f"anonymous:{digest}"
        params = "&".join(f"{k}={v}" for k, v in sorted(call.params.items()))
        key = f"{caller}#{method} {path}?{params}#{raw_key}"
        held = store.begin(key, digest)
        if held is not None:
            if held.body_hash != digest:
                raise ApiError(422, "idempotency_key_reused")
            if held.state == store.DONE and held.status_code is not None:
                return Response(
                    body=held.response_body or "",
                    status_code=held.status_code,
                    headers={
                        "Content-Type": JSON_TYPE,
                        "Cache-Control": "no-store",
                        REPLAY_HEADER: "true",
                    },
                )
            raise ApiError(409, "idempotency_in_progress")
        try:
            response = _answer(view, call, status)
        except BaseException:
            store.abandon(key, digest)
            raise
        if response.status_code >= 500 or response.status_code == 429:
            store.abandon(key, digest)
        else:
            body = response.body if isinstance(response.body, str) else json.dumps(response.body)
            store.finish(key, digest, response.status_code, body)
        return response

    run.__name__ = view.__name__
    return run
