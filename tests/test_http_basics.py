"""The conventions of API.md that every route shares."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api


def test_health_answers_ok_with_a_request_id(api: Api) -> None:
    answer = api.get("/v1/health")
    assert answer.status_code == 200
    assert answer.json_body == {"status": "ok"}
    assert answer.headers["X-Request-Id"]


def test_every_response_carries_a_distinct_request_id(api: Api) -> None:
    first = api.get("/v1/health").headers["X-Request-Id"]
    second = api.post("/v1/auth/login", raw=b"{").headers["X-Request-Id"]
    assert first and second and first != second


def test_unreadable_json_is_400_in_the_envelope(api: Api) -> None:
    answer = api.post("/v1/auth/login", raw=b'{"username": ')
    assert answer.status_code == 400
    assert answer.json_body["error"]["code"] == "invalid_json"
    assert answer.json_body["error"]["message"]


def test_invalid_fields_are_422_with_each_field_named(api: Api) -> None:
    answer = api.post("/v1/auth/login", {"username": ""})
    assert answer.status_code == 422
    error = answer.json_body["error"]
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"username", "password"}


def test_unknown_fields_are_refused_so_clients_cannot_set_protected_ones(
    api: Api, ops_token: str
) -> None:
    body = {
        "username": "dir.alami",
        "school_code": "SC1234",
        "first_name": "Amina",
        "last_name": "Alami",
        "email": "amina@example.ma",
        "status": "active",
        "role": "ops",
    }
    answer = api.post("/v1/staff", body, token=ops_token)
    assert answer.status_code == 422
    assert set(answer.json_body["error"]["fields"]) == {"status", "role"}
    again = api.post("/v1/auth/login", {"username": "dir.alami", "password": "whatever-123"})
    assert again.status_code == 401  # nothing was created


def test_errors_speak_arabic_when_asked(api: Api) -> None:
    answer = api.post("/v1/auth/login", {}, headers={"Accept-Language": "ar-MA,ar;q=0.9"})
    assert answer.status_code == 422
    assert answer.json_body["error"]["message"] == "بعض الحقول غير صالحة."
    assert answer.json_body["error"]["fields"]["username"] == "حقل إلزامي"
    french = api.post("/v1/auth/login", {})
    assert french.json_body["error"]["fields"]["username"] == "champ obligatoire"


def test_body_over_the_limit_is_413(api: Api) -> None:
    big = '{"username": "' + "a" * 300_000 + '", "password": "x"}'
    answer = api.post("/v1/auth/login", raw=big)
    assert answer.status_code == 413
    assert answer.json_body["error"]["code"] == "payload_too_large"


def test_wrong_method_is_405_with_allow(api: Api) -> None:
    answer = api.call("DELETE", "/v1/health")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET"
    assert answer.json_body["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "raw",
    [
        b"null",
        b"[]",
        b'"text"',
        b"42",
        b'{"username": 5, "password": []}',
        b'{"username": "\\u0000", "password": "\\ud800"}',
        '{"username": "ÿ", "password": "€"}'.encode(),
        b"\xff\xfe",
        b'{"username": {"$ne": null}, "password": {"$gt": ""}}',
    ],
)
def test_bad_input_never_yields_a_5xx(api: Api, raw: bytes) -> None:
    answer = api.post("/v1/auth/login", raw=raw)
    assert 400 <= answer.status_code < 500, answer.body
    assert "error" in answer.json_body


def test_openapi_documents_every_route_with_its_schemas(api: Api, app: Any) -> None:
    answer = api.get("/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.json_body
    assert document["openapi"].startswith("3.")
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            if entry.view_name == "method_not_allowed":
                continue
            assert method.lower() in document["paths"][path], (method, path)
    login = document["paths"]["/v1/auth/login"]["post"]
    schema_ref = login["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"username", "password"}
    assert "422" in login["responses"] and "401" in login["responses"]


def _nested(depth: int) -> bytes:
    return b'{"a":' * (depth - 1) + b"[]" + b"}" * (depth - 1)


def test_deep_nesting_is_400_on_every_json_route(api: Api, app: Any, ops_token: str) -> None:
    """Issue 13: JSON nested 2,000 deep answered 500 (RecursionError) on every JSON route."""
    from chalicelib.core.http import OPERATIONS

    for op in [o for o in OPERATIONS if o.body is not None]:
        path = op.path.replace("{", "").replace("}", "")  # any value for the path's parameters
        for raw in (_nested(2000), b"[" * 2000 + b"]" * 2000, _nested(65)):
            answer = api.call(op.method, path, token=ops_token, raw=raw)
            assert answer.status_code == 400, (op.method, op.path, answer.body)
            assert answer.json_body["error"]["code"] == "too_deeply_nested"
    at_the_limit = api.post("/v1/auth/login", raw=_nested(64))
    assert at_the_limit.status_code == 422  # read, then refused by the schema


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "", "*/*"],
)
def test_a_body_not_sent_as_json_is_415(api: Api, content_type: str) -> None:
    """Issue 13: text/plain and form bodies (what any web page may send cross-site without
    a preflight) were read as JSON, so a page could sign its visitors in somewhere."""
    body = '{"username": "ops.admin", "password": "Massar-dev-2026!"}'
    answer = api.post("/v1/auth/login", raw=body, headers={"Content-Type": content_type})
    assert answer.status_code == 415, answer.body
    assert answer.json_body["error"]["code"] == "unsupported_media_type"
    assert answer.json_body["error"]["message"]


def test_json_bodies_with_parameters_and_bodyless_requests_are_read(
    api: Api, ops_token: str
) -> None:
    labelled = api.post(
        "/v1/auth/login",
        {"username": "nobody.here", "password": "not-the-password-2026"},
        headers={"Content-Type": "Application/JSON; charset=utf-8"},
    )
    assert labelled.status_code == 401  # read and checked
    bodyless = api.call("GET", "/v1/me", token=ops_token, headers={"Content-Type": "text/plain"})
    assert bodyless.status_code == 200
