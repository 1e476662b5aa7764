"""Issue 13: the OpenAPI document (GET /v1/openapi.json) fuzzed with schemathesis, every phase
(examples, coverage, fuzzing, stateful), signed in as a national operator and as a parent with a
child, answers no 5xx.

The app runs in-process under moto: a small WSGI adapter hands each request schemathesis makes
to chalice.test.Client (the local API Gateway the devserver also uses), so the fuzzer's requests
take the same path as HTTP ones, raw path and query string included.

A short pass runs in the normal suite (a few examples an operation, a time bound); set
MASSAR_FUZZ=long (`make fuzz`) for the long one.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from chalice.test import Client
from schemathesis.engine import events

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from tests.conftest import OPS_USERNAME, Api
from tests.space_fixtures import (
    OTHER_PUPIL,
    OTHER_SCHOOL,
    PARENT,
    PUPIL,
    SCHOOL,
    seed_world,
    token,
)

LONG = os.environ.get("MASSAR_FUZZ", "").lower() == "long"
# Short: a few cases an operation and phase, 20 s a caller (a few hundred to a thousand
# requests, as the machine's load allows). Long, what `make fuzz` runs: 100 cases an operation
# and phase, 10 minutes of per-operation phases and 5 of stateful a caller, a fresh seed.
# The engine repeats the fuzzing and stateful phases until their time is up.
MAX_EXAMPLES = 100 if LONG else 3
MAX_TIME_SECONDS = 600 if LONG else 15
STATEFUL_SECONDS = 300 if LONG else 5
SEED = None if LONG else 13

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class ServerError:
    method: str
    path: str
    status: int
    body: bytes
    answer: str

    def __str__(self) -> str:
        return f"{self.status} {self.method} {self.path} body={self.body[:300]!r} -> {self.answer}"


@dataclass
class ChaliceWsgi:
    """A WSGI app in front of chalice.test.Client: what schemathesis calls in-process."""

    client: Client
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[ServerError] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ["REQUEST_METHOD"])
        path = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or "")
        if not path:
            path = quote(str(environ.get("PATH_INFO", "/")).encode("latin-1"), safe="/%")
            if environ.get("QUERY_STRING"):
                path += "?" + str(environ["QUERY_STRING"])
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = str(environ[key])
        self.requests += 1
        try:
            answer = self.client.http.request(method, path, headers=headers, body=body)
        except AttributeError:
            # chalice.test cannot encode the local gateway's own bodiless answer to a CORS
            # preflight (API Gateway answers OPTIONS itself, the Lambda never sees it).
            if method != "OPTIONS":
                raise
            start_response("200 OK", [])
            return [b""]
        status = int(answer.status_code)
        self.statuses[status] += 1
        content = answer.body if isinstance(answer.body, bytes) else str(answer.body).encode()
        if status >= 500:
            text = content[:300].decode("utf-8", "replace")
            self.server_errors.append(ServerError(method, path, status, body, text))
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        start_response(f"{status} {phrase}", [(k, str(v)) for k, v in answer.headers.items()])
        return [content]


UNIT_PHASES = ("examples", "coverage", "fuzzing")


# Path parameters take the seeded world's identifiers (tests/space_fixtures.py) most of the
# time, so the cases reach past "not found" into the handlers; the rest stay fuzzed.
KNOWN = {
    "massar": [PUPIL, OTHER_PUPIL],
    "code": [SCHOOL, OTHER_SCHOOL, "03", "03.231"],
    "class_id": ["1AC-1"],
    "username": [PARENT, PUPIL, OPS_USERNAME],
    "role": ["father", "mother"],
    "school_year": ["2025-2026", "2026-2027"],
}


def _config(phases: tuple[str, ...], max_time: int) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            **({"seed": SEED} if SEED is not None else {}),
            "dictionaries": {name: {"values": values} for name, values in KNOWN.items()},
            "parameters": {
                f"path.{name}": {"dictionary": name, "probability": 0.7} for name in KNOWN
            },
            "max-time": max_time,
            "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
            "generation": {"max-examples": MAX_EXAMPLES},
            "phases": {name: {"enabled": name in phases} for name in (*UNIT_PHASES, "stateful")},
            "suppress-health-check": ["all"],
        }
    )


def _bearer(account: Account) -> type[Any]:
    """Signs every case in as `account`, with a token renewed every minute: access tokens
    last 5 minutes, and the fuzzer's own sign-outs revoke the sessions it signs in."""

    class Bearer:
        def get(self, case: schemathesis.Case[Any], ctx: schemathesis.AuthContext) -> str:
            return issue_access_token(account)

        def set(
            self, case: schemathesis.Case[Any], data: str, ctx: schemathesis.AuthContext
        ) -> None:
            case.headers["Authorization"] = f"Bearer {data}"

    return Bearer


def _run(app: ChaliceWsgi, config: schemathesis.Config, account: Account) -> list[str]:
    """One engine run: the problems it reports (failed checks, errors)."""
    schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", app, config=config)
    schema.auth(refresh_interval=60)(_bearer(account))
    problems: list[str] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.FatalError):
            raise event.exception
        if isinstance(event, events.NonFatalError):
            problems.append(f"{event.label}: {event.value!r}")
        if isinstance(event, events.EngineFinished):
            problems.extend(f"{f.operation}: {f.title}: {f.message}" for f in event.failures)
    return problems


def test_every_reference_in_the_document_resolves(api: Api) -> None:
    """Two models named Decision (an absence's request, a registration's answer) once left
    `#/components/schemas/Decision` dangling: the fuzzer skipped those bodies."""
    answer = api.get("/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.json_body
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert refs
    assert refs <= set(document["components"]["schemas"]), refs - set(
        document["components"]["schemas"]
    )


CALLERS_ACCOUNTS = {
    "operator": Account(OPS_USERNAME, Role.OPS, AccountStatus.ACTIVE, Scope()),
    "a linked parent": Account(
        PARENT, Role.PARENT, AccountStatus.ACTIVE, Scope(), children=(PUPIL,)
    ),
}


@pytest.mark.parametrize("caller", ["operator", "a linked parent"])
def test_fuzzed_api_answers_no_server_error(api: Api, ops_token: str, caller: str) -> None:
    seed_world()  # PUPIL at SCHOOL, their parent (with a password), OTHER_PUPIL elsewhere
    signed_in = api.get("/v1/me", token=ops_token if caller == "operator" else token(caller))
    assert signed_in.status_code == 200, signed_in.body
    account = CALLERS_ACCOUNTS[caller]
    app = ChaliceWsgi(api.client)
    started = time.monotonic()
    # Two runs, so the per-operation phases cannot use up the stateful phase's time.
    problems = _run(app, _config(UNIT_PHASES, MAX_TIME_SECONDS), account)
    problems += _run(app, _config(("stateful",), STATEFUL_SECONDS), account)
    elapsed = time.monotonic() - started
    answers = ", ".join(f"{n}×{code}" for code, n in sorted(app.statuses.items()))
    print(f"\nfuzz {caller}: {app.requests} requests in {elapsed:.1f} s ({answers})")
    assert not app.server_errors, "\n".join(str(e) for e in app.server_errors[:20])
    assert not problems, "\n".join(problems[:20])
