"""Rules a reader can check: layers point down, no Scan on a request path, API-path
timeouts fit API Gateway, the API Lambda's size, and no SES/SNS client on the API path."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from chalicelib.core.models import ALL_MODELS
from chalicelib.core.store import CONNECT_TIMEOUT_SECONDS, MAX_RETRY_ATTEMPTS, READ_TIMEOUT_SECONDS
from tests.conftest import Api

ROOT = Path(__file__).resolve().parent.parent
INFRASTRUCTURE = {"boto3", "botocore", "pynamodb", "chalice"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_domain_imports_no_infrastructure() -> None:
    for path in (ROOT / "chalicelib" / "domain").rglob("*.py"):
        assert not imported_roots(path) & INFRASTRUCTURE, path


def test_no_scan_anywhere_in_the_app() -> None:
    for path in (ROOT / "chalicelib").rglob("*.py"):
        tree = ast.parse(path.read_text())
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "scan"
        ]
        assert not calls, path


def test_dynamodb_timeouts_fit_api_gateway() -> None:
    assert CONNECT_TIMEOUT_SECONDS == 1
    assert READ_TIMEOUT_SECONDS == 2
    assert MAX_RETRY_ATTEMPTS == 2
    for model in ALL_MODELS:
        meta: Any = model.Meta
        assert meta.connect_timeout_seconds == 1
        assert meta.read_timeout_seconds == 2
        assert meta.max_retry_attempts == 2


def test_sdk_clients_have_the_api_path_timeouts(aws: None) -> None:
    from chalicelib.core.aws_clients import client

    config = client("sqs").meta.config
    assert config.connect_timeout == 1
    assert config.read_timeout == 2
    assert config.retries["total_max_attempts"] == 3  # the first try and two retries


def test_the_api_lambda_fits_the_gateway_and_has_cpu_for_argon2() -> None:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    api = config["lambda_functions"]["api_handler"]
    assert api["lambda_timeout"] <= 10
    assert api["lambda_memory_size"] >= 1024


def test_the_api_path_never_builds_ses_or_sns_clients(api: Api, ops_token: str) -> None:
    from chalicelib.core import aws_clients

    aws_clients.forget_clients()
    answer = api.post(
        "/v1/staff",
        {
            "username": "dir.sebti",
            "school_code": "SC0003",
            "first_name": "N",
            "last_name": "S",
            "email": "n@example.ma",
        },
        token=ops_token,
    )
    assert answer.status_code == 201
    assert not aws_clients.built_services() & {"ses", "sesv2", "sns"}
