"""Stage settings, read lazily from the environment.

`chalice.test.Client` and Lambda both set the stage's environment variables before a
request, never at import time, so nothing here is read until `settings()` is called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    endpoint_url: str | None
    accounts_table: str
    sessions_table: str
    outbox_table: str
    audit_table: str
    throttles_table: str
    notify_queue_url: str
    media_bucket: str
    mail_from: str
    sms_sender_id: str
    jwt_secret: str | None
    jwt_secret_arn: str | None
    access_token_ttl_seconds: int
    refresh_token_ttl_seconds: int
    max_body_bytes: int


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@lru_cache(maxsize=1)
def settings() -> Settings:
    stage = _env("MASSAR_STAGE", "dev")
    return Settings(
        stage=stage,
        region=_env("MASSAR_REGION", os.environ.get("AWS_REGION") or "eu-west-3"),
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        accounts_table=_env("ACCOUNTS_TABLE", f"massar-{stage}-accounts"),
        sessions_table=_env("SESSIONS_TABLE", f"massar-{stage}-sessions"),
        outbox_table=_env("OUTBOX_TABLE", f"massar-{stage}-outbox"),
        audit_table=_env("AUDIT_TABLE", f"massar-{stage}-audit"),
        throttles_table=_env("THROTTLES_TABLE", f"massar-{stage}-throttles"),
        notify_queue_url=_env("NOTIFY_QUEUE_URL", ""),
        media_bucket=_env("MEDIA_BUCKET", f"massar-{stage}-media"),
        mail_from=_env("MAIL_FROM", "no-reply@massar.example.ma"),
        sms_sender_id=_env("SMS_SENDER_ID", "MASSAR"),
        jwt_secret=os.environ.get("MASSAR_JWT_SECRET") or None,
        jwt_secret_arn=os.environ.get("JWT_SECRET_ARN") or None,
        access_token_ttl_seconds=int(_env("ACCESS_TOKEN_TTL_SECONDS", "900")),
        refresh_token_ttl_seconds=int(_env("REFRESH_TOKEN_TTL_SECONDS", "2592000")),
        max_body_bytes=int(_env("MAX_BODY_BYTES", "262144")),
    )


def reset_settings() -> None:
    """Forget cached settings (tests and the devserver change the environment)."""
    settings.cache_clear()
