"""Logs are JSON, carry the request id, and never carry personal data or secrets."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from chalicelib.core.logs import logger, redact, redact_text
from tests.conftest import Api

PERSONAL = ["AB123456", "0612345678", "+212612345678", "amina@example.ma", "2019-03-14"]


@pytest.mark.parametrize("value", PERSONAL)
def test_personal_data_in_a_message_is_masked(value: str) -> None:
    assert value not in redact_text(f"parent {value} asked")


def test_sensitive_keys_are_masked_at_any_depth() -> None:
    cleaned = redact({"child": {"birth_date": "x", "cin": "y"}, "items": [{"password": "z"}]})
    assert cleaned == {"child": {"birth_date": "***", "cin": "***"}, "items": [{"password": "***"}]}


@pytest.fixture
def log_output(monkeypatch: Any) -> io.StringIO:
    """What the Lambda would print: the logger's own stream, captured."""
    stream = io.StringIO()
    handler: Any = logger.registered_handler
    previous = handler.setStream(stream)
    yield stream  # type: ignore[misc]
    handler.setStream(previous)


def test_a_log_line_is_json_with_no_personal_data(log_output: io.StringIO) -> None:
    logger.append_keys(request_id="req-1")
    logger.info(
        "recovery asked for AB123456 via 0612345678",
        extra={"email": "amina@example.ma", "phone": "+212612345678", "school_code": "SC0001"},
    )
    logger.remove_keys(["request_id"])
    line = log_output.getvalue().strip().splitlines()[-1]
    record = json.loads(line)
    assert record["request_id"] == "req-1"
    assert record["school_code"] == "SC0001"
    for value in PERSONAL[:4]:
        assert value not in line


def test_request_logs_carry_the_request_id_and_no_secrets(
    api: Api, ops_token: str, log_output: io.StringIO, monkeypatch: Any
) -> None:
    from chalicelib.accounts.staff import service as staff

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("store down while creating staff AB123456 amina@example.ma")

    monkeypatch.setattr(staff.account_store, "create_account", broken)
    answer = api.post(
        "/v1/staff",
        {
            "username": "dir.idrissi",
            "school_code": "SC0001",
            "first_name": "Amina",
            "last_name": "Idrissi",
            "email": "amina@example.ma",
            "phone": "0612345678",
        },
        token=ops_token,
    )
    assert answer.status_code == 500
    assert answer.json_body["error"]["code"] == "internal_error"
    out = log_output.getvalue()
    lines = [json.loads(line) for line in out.strip().splitlines() if line.startswith("{")]
    assert lines, out
    assert all(line.get("request_id") == answer.headers["X-Request-Id"] for line in lines)
    for secret in ("AB123456", "amina@example.ma", "0612345678", ops_token):
        assert secret not in out
