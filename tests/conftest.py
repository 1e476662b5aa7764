"""Shared fixtures: the app under moto, an HTTP client, the event pump, signed-in callers."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client
from moto import mock_aws

from devserver.stage import apply_stage_environment

# Production's argon2id costs ~50 ms a hash: tests hash thousands of times, so they use a
# small memory cost (test_secrets.py checks the production parameters themselves).
os.environ.setdefault("ARGON2_MEMORY_KIB", "1024")
apply_stage_environment("dev")  # before the app is imported: no test ever reaches real AWS

OPS_USERNAME = "ops.national"
OPS_PASSWORD = "Ops-password-2026!"


def reset_caches() -> None:
    from chalicelib.accounts.sign_in.tokens import forget_keys
    from chalicelib.core import store as base
    from chalicelib.core.aws_clients import forget_clients
    from chalicelib.core.config import reset_settings
    from chalicelib.core.models import ALL_MODELS
    from chalicelib.registration.campaigns.store import forget_campaigns

    reset_settings()
    forget_clients()
    forget_keys()
    base._connection.cache_clear()
    forget_campaigns()
    for model in ALL_MODELS:
        model._connection = None


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        reset_caches()
        from devserver.resources import create_local_resources

        create_local_resources()
        yield
    reset_caches()


@pytest.fixture
def app(aws: None) -> Any:
    from app import app as chalice_app

    return chalice_app


class Api:
    """A thin JSON client over chalice.test.Client."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | str | None = None,
    ) -> Any:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        return self.client.http.request(method, path, headers=sent, body=payload)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, body, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("GET", path, **kwargs)


@pytest.fixture
def api(app: Any) -> Iterator[Api]:
    with Client(app, stage_name="dev") as client:
        yield Api(client)


@pytest.fixture
def pump(app: Any) -> Any:
    from devserver.pump import EventPump

    return EventPump(app)


@pytest.fixture
def ops_token(api: Api) -> str:
    from chalicelib.accounts.sign_in.service import bootstrap_ops_account

    bootstrap_ops_account(OPS_USERNAME, OPS_PASSWORD)
    answer = api.post("/v1/auth/login", {"username": OPS_USERNAME, "password": OPS_PASSWORD})
    assert answer.status_code == 200, answer.body
    return str(answer.json_body["access_token"])


def sent_emails() -> list[dict[str, Any]]:
    from devserver.outbox import sent_messages

    return [m for m in sent_messages() if m["channel"] == "email"]
