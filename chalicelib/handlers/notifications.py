"""Operators: the notifications of one recipient, one notification, and resending it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict

from chalicelib.domain.accounts import Role
from chalicelib.domain.notifications import Language
from chalicelib.handlers.http import ApiError, Call, route

notifications_bp = Blueprint(__name__)

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


class NotificationOut(BaseModel):
    model_config = ConfigDict(defer_build=True)

    id: str
    template: str
    label: str
    channel: str
    recipient: str
    language: str
    status: str  # pending, queued, sending, sent, failed
    delivery_status: str | None = None  # delivered, bounced, complained, undelivered
    delivery_detail: str | None = None
    attempts: int
    created_at: datetime
    sent_at: datetime | None = None
    delivery_at: datetime | None = None
    failure_reason: str | None = None
    fallback_id: str | None = None
    fallback_of: str | None = None
    resend_of: str | None = None
    summary: str  # "Demande refusée : envoyé par SMS, distribué"


class NotificationPage(BaseModel):
    model_config = ConfigDict(defer_build=True)

    items: list[NotificationOut]
    next_cursor: str | None


def _query(call: Call) -> dict[str, str]:
    return dict(call.request.query_params or {})


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(422, "validation_failed", {"limit": f"1..{MAX_LIMIT}"})
    return int(raw)


def _language(call: Call) -> Language:
    return Language(call.language) if call.language in ("ar", "fr") else Language.FR


@route(
    notifications_bp,
    "/v1/notifications",
    "GET",
    summary="Operators: the notifications sent to one email address or phone number",
    tag="notifications",
    returns=NotificationPage,
    signed_in=True,
    errors=(403, 422),
)
def list_notifications(call: Call) -> dict[str, Any]:
    from chalicelib.services.notification_ops import lookup
    from chalicelib.store.outbox import InvalidCursor

    actor = call.require(Role.OPS)
    query = _query(call)
    recipient = (query.get("recipient") or "").strip()
    if not recipient or len(recipient) > 254:
        raise ApiError(422, "validation_failed", {"recipient": "email or phone required"})
    try:
        views, cursor = lookup(
            actor, recipient, _limit(query.get("limit")), query.get("cursor"), _language(call)
        )
    except InvalidCursor as error:
        raise ApiError(422, "validation_failed", {"cursor": "invalid cursor"}) from error
    return {"items": [v.as_dict() for v in views], "next_cursor": cursor}


@route(
    notifications_bp,
    "/v1/notifications/{notification_id}",
    "GET",
    summary="Operators: one notification, its status and delivery",
    tag="notifications",
    returns=NotificationOut,
    signed_in=True,
    errors=(403, 404),
)
def get_notification(call: Call) -> dict[str, Any]:
    from chalicelib.services.notification_ops import get_one

    actor = call.require(Role.OPS)
    return get_one(actor, call.params["notification_id"], _language(call)).as_dict()


@route(
    notifications_bp,
    "/v1/notifications/{notification_id}/resend",
    "POST",
    summary="Operators: send a notification again (a new notification; Idempotency-Key "
    "resends once); codes and recovery passwords cannot be resent",
    tag="notifications",
    returns=NotificationOut,
    status=202,
    signed_in=True,
    errors=(403, 404, 409, 422),
)
def resend_notification(call: Call) -> dict[str, Any]:
    from chalicelib.services.notification_ops import resend

    actor = call.require(Role.OPS)
    key = call.request.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= 64:
        raise ApiError(422, "validation_failed", {"Idempotency-Key": "1..64 characters"})
    return resend(actor, call.params["notification_id"], key, _language(call)).as_dict()
