"""The caller's address behind CloudFront: CloudFront-Viewer-Address is believed only with the
edge secret (X-Massar-Edge), and per-source limits then count viewers, not edges."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from chalicelib.core.client_address import (
    edge_secret,
    forget_edge_secret,
    parse_viewer_address,
    viewer_address,
)
from chalicelib.core.config import reset_settings
from tests.conftest import OPS_PASSWORD, OPS_USERNAME, Api

SECRET = "edge-secret-for-tests-0123456789"
EDGE_IP = "130.176.0.1"  # one CloudFront edge, in front of every viewer below


@dataclass
class FakeRequest:
    headers: dict[str, str] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=lambda: {"identity": {"sourceIp": EDGE_IP}})


@pytest.fixture
def edge(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("EDGE_SECRET_ARN", raising=False)
    monkeypatch.setenv("EDGE_SECRET", SECRET)
    reset_settings()
    forget_edge_secret()
    yield
    monkeypatch.delenv("EDGE_SECRET")
    reset_settings()
    forget_edge_secret()


@pytest.fixture
def no_edge(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("EDGE_SECRET", raising=False)
    monkeypatch.delenv("EDGE_SECRET_ARN", raising=False)
    reset_settings()
    forget_edge_secret()
    yield
    reset_settings()


def through_edge(address: str, secret: str | None = SECRET) -> dict[str, str]:
    headers = {"cloudfront-viewer-address": address}
    if secret is not None:
        headers["x-massar-edge"] = secret
    return headers


# ---------------------------------------------------------------------------------------
# The function
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("196.200.131.7:51234", "196.200.131.7"),
        ("2a01:cb00:1234:5600:0:0:0:1:443", "2a01:cb00:1234:5600::1"),
        ("2a01:cb00::1:443", "2a01:cb00::1"),
        ("[2a01:cb00::1]:443", "2a01:cb00::1"),
    ],
)
def test_the_viewer_address_is_used_with_the_edge_secret(
    edge: None, header: str, expected: str
) -> None:
    request = FakeRequest({"cloudfront-viewer-address": header, "x-massar-edge": SECRET})
    assert viewer_address(request) == expected


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET[:-1], SECRET + "x"])
def test_without_the_right_secret_the_header_is_ignored(edge: None, secret: str | None) -> None:
    headers = {"cloudfront-viewer-address": "196.200.131.7:51234"}
    if secret is not None:
        headers["x-massar-edge"] = secret
    assert viewer_address(FakeRequest(headers)) == EDGE_IP


def test_with_no_secret_configured_the_header_is_never_believed(no_edge: None) -> None:
    assert edge_secret() is None
    request = FakeRequest({"cloudfront-viewer-address": "196.200.131.7:1", "x-massar-edge": ""})
    assert viewer_address(request) == EDGE_IP
    forged = FakeRequest({"cloudfront-viewer-address": "196.200.131.7:1", "x-massar-edge": "None"})
    assert viewer_address(forged) == EDGE_IP


@pytest.mark.parametrize(
    "header",
    ["", "196.200.131.7", "196.200.131.7:", "196.200.131.7:https", "999.1.1.1:443", "x:1", ":443"],
)
def test_a_malformed_viewer_address_is_ignored(edge: None, header: str) -> None:
    assert parse_viewer_address(header) is None
    request = FakeRequest({"cloudfront-viewer-address": header, "x-massar-edge": SECRET})
    assert viewer_address(request) == EDGE_IP


def test_no_address_at_all_is_none(no_edge: None) -> None:
    assert viewer_address(FakeRequest(context={})) is None


def test_the_secret_comes_from_secrets_manager_once(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.core.aws_clients import client

    secrets = client("secretsmanager")
    arn = secrets.create_secret(Name="massar/dev/edge-secret", SecretString=SECRET)["ARN"]
    monkeypatch.delenv("EDGE_SECRET", raising=False)
    monkeypatch.setenv("EDGE_SECRET_ARN", arn)
    reset_settings()
    forget_edge_secret()
    try:
        request = FakeRequest(through_edge("196.200.131.7:443"))
        assert viewer_address(request) == "196.200.131.7"
        secrets.put_secret_value(SecretId=arn, SecretString="rotated")
        assert viewer_address(request) == "196.200.131.7", "kept, not read at every request"
        forget_edge_secret()
        assert viewer_address(request) == EDGE_IP
    finally:
        forget_edge_secret()


def test_an_unreadable_secret_means_the_header_is_ignored(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDGE_SECRET", raising=False)
    monkeypatch.setenv(
        "EDGE_SECRET_ARN", "arn:aws:secretsmanager:eu-west-3:123456789012:secret:missing-AbCdEf"
    )
    reset_settings()
    forget_edge_secret()
    try:
        assert viewer_address(FakeRequest(through_edge("196.200.131.7:443"))) == EDGE_IP
    finally:
        forget_edge_secret()


# ---------------------------------------------------------------------------------------
# Over HTTP: the per-source sign-in limit and the audit
# ---------------------------------------------------------------------------------------
def fail_sign_in(api: Api, n: int, headers: dict[str, str]) -> Any:
    body = {"username": f"ZZ00000{n}", "password": "wrong-password-1!"}
    return api.post("/v1/auth/login", body, headers=headers)


def test_two_viewers_behind_one_edge_have_their_own_sign_in_limit(
    api: Api, edge: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.accounts.sign_in import service as auth
    from chalicelib.core.throttling import RateLimit

    monkeypatch.setattr(auth, "SIGN_IN_FAILURES_PER_SOURCE", RateLimit("signin-src", 3))
    first = through_edge("196.200.131.7:50001")
    second = through_edge("2a01:cb00::1:443")
    for n in range(3):
        assert fail_sign_in(api, n, first).status_code == 401
    # Past its limit a source gets one failure per username, then waits (issue 13, finding 4).
    assert fail_sign_in(api, 3, first).status_code == 401
    assert fail_sign_in(api, 3, first).status_code == 429, "the first viewer is slowed"
    assert fail_sign_in(api, 4, second).status_code == 401, "not the second, on the same edge"
    assert fail_sign_in(api, 4, second).status_code == 401


def test_without_the_secret_viewers_behind_one_edge_share_its_limit(
    api: Api, edge: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.accounts.sign_in import service as auth
    from chalicelib.core.throttling import RateLimit

    monkeypatch.setattr(auth, "SIGN_IN_FAILURES_PER_SOURCE", RateLimit("signin-src", 3))
    for n in range(3):
        forged = through_edge(f"196.200.131.{n}:50001", secret="guessed")
        assert fail_sign_in(api, n, forged).status_code == 401
    unproved = through_edge("196.200.131.9:1", secret=None)
    assert fail_sign_in(api, 3, unproved).status_code == 401  # one failure per username
    assert fail_sign_in(api, 3, unproved).status_code == 429


def test_the_audit_records_the_viewer_address(api: Api, ops_token: str, edge: None) -> None:
    from chalicelib.accounts.audit.store import list_entries

    body = {"username": OPS_USERNAME, "password": OPS_PASSWORD + "-wrong"}
    headers = {**through_edge("196.200.131.7:50001"), "User-Agent": "Massar-Test/1"}
    assert api.post("/v1/auth/login", body, headers=headers).status_code == 401
    entries, _ = list_entries(OPS_USERNAME, 10, None)
    failed = [e for e in entries if e["event"] == "sign_in_failed"]
    assert failed and failed[0]["source_ip"] == "196.200.131.7"
    assert failed[0]["user_agent"] == "Massar-Test/1"
