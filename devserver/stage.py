"""The dev stage's environment, read from .chalice/config.json (the one source of truth)."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".chalice" / "config.json"

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def stage_environment(stage: str = "dev") -> dict[str, str]:
    config = json.loads(CONFIG.read_text())
    env = dict(config.get("environment_variables", {}))
    env.update(config["stages"][stage].get("environment_variables", {}))
    return env


def apply_stage_environment(stage: str = "dev", *, fake_credentials: bool = True) -> None:
    """Put the stage's variables in this process's environment, and keep it off real AWS."""
    env = stage_environment(stage)
    for key, value in env.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", env.get("MASSAR_REGION", "eu-west-3"))
    # Current botocore sends DynamoDB Streams calls to an account-specific host moto ignores.
    os.environ["AWS_ACCOUNT_ID_ENDPOINT_MODE"] = "disabled"
    if fake_credentials:
        for key, value in FAKE_CREDENTIALS.items():
            os.environ[key] = value
    from chalicelib.core.aws_clients import forget_clients
    from chalicelib.core.config import reset_settings

    reset_settings()
    forget_clients()
