"""Structured JSON logs (AWS Lambda Powertools) that never carry personal data or secrets.

Every line has the request id. Known sensitive keys are masked wherever they appear, and
anything in a message that looks like a CIN, a phone number, an email address, a date or
a token is masked too: a log line is read by more people than the data it describes.
"""

from __future__ import annotations

import re
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

MASK = "***"

SENSITIVE_KEYS = frozenset(
    {
        "password",
        "new_password",
        "current_password",
        "initial_code",
        "recovery_password",
        "refresh_token",
        "access_token",
        "authorization",
        "cin",
        "phone",
        "email",
        "birth_date",
        "birth_date_hijri",
        "birth_place",
        "birth_certificate_number",
        "address",
        "contact",
        "to",
        "recipient",
        "secret_params",
        "body",
    }
)

_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # email
    re.compile(r"(\+|00)?212[\s.-]?[5-7]([\s.-]?\d){8}"),  # Moroccan phone, international
    re.compile(r"\b0[5-7]([\s.-]?\d){8}\b"),  # Moroccan phone, national
    re.compile(r"\b[A-Za-z]{1,2}\d{4,8}\b"),  # CIN
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # a date (birth data)
    re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]*"),  # a JWT
]


def redact_text(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


def redact(value: Any, key: str | None = None) -> Any:
    if key is not None and key.lower() in SENSITIVE_KEYS and value not in (None, ""):
        return MASK
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact_text(str(value))  # exceptions and other objects print their text


# Keys whose values are never personal: kept as they are (a school code looks like a CIN).
_KEEP = frozenset(
    {
        "timestamp",
        "level",
        "location",
        "service",
        "request_id",
        "xray_trace_id",
        "school_code",
        "notification_id",
        "message_id",
        "path",
        "method",
        "failed",
    }
)


class RedactingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: Any) -> str:
        cleaned = {k: (v if k in _KEEP else redact(v, k)) for k, v in log.items()}
        return super().serialize(cleaned)


logger = Logger(service="massar", logger_formatter=RedactingFormatter())
