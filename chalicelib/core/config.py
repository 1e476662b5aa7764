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
    # Where browsers POST uploads and GET files when S3 is not reachable by its own URLs
    # (the devserver's in-process moto); None in AWS, where presigned S3 URLs are used.
    media_upload_url: str | None
    media_download_url: str | None
    mail_from: str
    sms_sender_id: str
    jwt_secret: str | None
    jwt_secret_arn: str | None
    # The HMAC key of random secrets' hashes (services/secrets.py): in clear on a developer's
    # machine only; deployed stages name the Secrets Manager secret.
    secret_hash_key: str | None
    secret_hash_key_arn: str | None
    access_token_ttl_seconds: int
    refresh_token_ttl_seconds: int
    max_body_bytes: int
    # Notifications: per-second sending budgets, shared by at most
    # notify_max_concurrency deliver invocations (the SQS event source's MaximumConcurrency).
    ses_configuration_set: str = ""
    events_topic_arn: str = ""
    email_rate_per_second: float = 14.0
    sms_rate_per_second: float = 20.0
    notify_max_concurrency: int = 10
    notify_retry_base_seconds: int = 60
    quiet_hours: str = "21:00-07:00"
    quiet_hours_zone: str = "Africa/Casablanca"
    # A drop in marks tells the parents when a subject's semester average falls below this
    # (out of 20), or this many points under the previous semester's (school_life/marks).
    marks_alert_below: str = "10"
    marks_alert_drop: str = "3"
    # Registration.
    schools_table: str = "massar-dev-schools"
    school_areas_table: str = "massar-dev-school-areas"
    campaigns_table: str = "massar-dev-campaigns"
    registrations_table: str = "massar-dev-registrations"
    registration_terms_table: str = "massar-dev-registration-terms"
    pupils_table: str = "massar-dev-pupils"
    counters_table: str = "massar-dev-counters"
    idempotency_table: str = "massar-dev-idempotency"
    campaign_timezone: str = "Africa/Casablanca"
    photo_max_bytes: int = 1_048_576
    # The ministry's composition rule (letters, digits, symbols): a switch, on by default.
    jobs_table: str = "massar-dev-jobs"
    jobs_queue_url: str = ""
    # argon2id memory cost; tests lower it (ARGON2_MEMORY_KIB) to stay fast, the hashes
    # carry their own parameters so any stored hash still verifies.
    argon2_memory_kib: int = 47_104
    password_require_mix: bool = True
    recovery_ttl_seconds: int = 600
    # Every forgot-password answer takes at least this long, whether a message is sent or
    # not (the sending path writes more), so timing tells nothing about accounts.
    recovery_floor_seconds: float = 0.3
    # The value CloudFront sends as X-Massar-Edge (an origin custom header): only then is its
    # CloudFront-Viewer-Address believed (handlers/client_address.py). EDGE_SECRET on a
    # developer's machine, EDGE_SECRET_ARN (Secrets Manager, read on first need) in AWS;
    # neither set: the header is never believed.
    edge_secret: str | None = None
    edge_secret_arn: str | None = None


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
        media_upload_url=os.environ.get("MEDIA_UPLOAD_URL") or None,
        media_download_url=os.environ.get("MEDIA_DOWNLOAD_URL") or None,
        mail_from=_env("MAIL_FROM", "no-reply@massar.example.ma"),
        sms_sender_id=_env("SMS_SENDER_ID", "MASSAR"),
        jwt_secret=os.environ.get("MASSAR_JWT_SECRET") or None,
        jwt_secret_arn=os.environ.get("JWT_SECRET_ARN") or None,
        secret_hash_key=os.environ.get("MASSAR_SECRET_HASH_KEY") or None,
        secret_hash_key_arn=os.environ.get("SECRET_HASH_KEY_ARN") or None,
        # 5 minutes: a token outlives a logout, a password change or a restored code by at
        # most this long (the authorizer reads no database); the client refreshes on 401.
        access_token_ttl_seconds=int(_env("ACCESS_TOKEN_TTL_SECONDS", "300")),
        refresh_token_ttl_seconds=int(_env("REFRESH_TOKEN_TTL_SECONDS", "2592000")),
        max_body_bytes=int(_env("MAX_BODY_BYTES", "262144")),
        ses_configuration_set=os.environ.get("SES_CONFIGURATION_SET", ""),
        events_topic_arn=os.environ.get("EVENTS_TOPIC_ARN", ""),
        email_rate_per_second=float(_env("NOTIFY_EMAIL_RATE", "14")),
        sms_rate_per_second=float(_env("NOTIFY_SMS_RATE", "20")),
        notify_max_concurrency=int(_env("NOTIFY_MAX_CONCURRENCY", "10")),
        notify_retry_base_seconds=int(_env("NOTIFY_RETRY_BASE_SECONDS", "60")),
        # "off" disables them; the zone is the schools' wall clock.
        quiet_hours=os.environ.get("QUIET_HOURS", "21:00-07:00"),
        quiet_hours_zone=_env("QUIET_HOURS_ZONE", "Africa/Casablanca"),
        marks_alert_below=_env("MARKS_ALERT_BELOW", "10"),
        marks_alert_drop=_env("MARKS_ALERT_DROP", "3"),
        schools_table=_env("SCHOOLS_TABLE", f"massar-{stage}-schools"),
        school_areas_table=_env("SCHOOL_AREAS_TABLE", f"massar-{stage}-school-areas"),
        campaigns_table=_env("CAMPAIGNS_TABLE", f"massar-{stage}-campaigns"),
        registrations_table=_env("REGISTRATIONS_TABLE", f"massar-{stage}-registrations"),
        registration_terms_table=_env(
            "REGISTRATION_TERMS_TABLE", f"massar-{stage}-registration-terms"
        ),
        pupils_table=_env("PUPILS_TABLE", f"massar-{stage}-pupils"),
        counters_table=_env("COUNTERS_TABLE", f"massar-{stage}-counters"),
        idempotency_table=_env("IDEMPOTENCY_TABLE", f"massar-{stage}-idempotency"),
        campaign_timezone=_env("CAMPAIGN_TIMEZONE", "Africa/Casablanca"),
        photo_max_bytes=int(_env("PHOTO_MAX_BYTES", "1048576")),
        jobs_table=_env("JOBS_TABLE", f"massar-{stage}-jobs"),
        jobs_queue_url=_env("JOBS_QUEUE_URL", ""),
        argon2_memory_kib=int(_env("ARGON2_MEMORY_KIB", "47104")),
        password_require_mix=_env("PASSWORD_REQUIRE_MIX", "true").lower() not in ("0", "false"),
        recovery_ttl_seconds=int(_env("RECOVERY_TTL_SECONDS", "600")),
        recovery_floor_seconds=int(_env("RECOVERY_FLOOR_MS", "300")) / 1000,
        edge_secret=os.environ.get("EDGE_SECRET") or None,
        edge_secret_arn=os.environ.get("EDGE_SECRET_ARN") or None,
    )


def reset_settings() -> None:
    """Forget cached settings (tests and the devserver change the environment)."""
    settings.cache_clear()
