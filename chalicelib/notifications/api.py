"""Operators: the notifications of one recipient, one notification, and resending it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.fields import page_params
from chalicelib.core.http import ApiError, Call, route
from chalicelib.notifications.rules import Language

if TYPE_CHECKING:
    pass

notifications_bp = Blueprint(__name__)


def _query(call: Call) -> dict[str, str]:
    return dict(call.request.query_params or {})


def _language(call: Call) -> Language:
    return Language(call.language) if call.language in ("ar", "fr") else Language.FR


@route(
    notifications_bp,
    "/v1/notifications",
    "GET",
    summary="Operators: the notifications sent to one email address or phone number",
    tag="notifications",
    returns="chalicelib.notifications.schemas:NotificationPage",
    signed_in=True,
    errors=(403, 422),
)
def list_notifications(call: Call) -> dict[str, Any]:
    from chalicelib.notifications.lookup import InvalidCursor, lookup

    actor = call.require(Role.OPS)
    query = _query(call)
    recipient = (query.get("recipient") or "").strip()
    if not recipient or len(recipient) > 254:
        raise ApiError(422, "validation_failed", {"recipient": "email or phone required"})
    try:
        views, cursor = lookup(
            actor, recipient, *page_params(query, call.language), _language(call)
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
    returns="chalicelib.notifications.schemas:NotificationOut",
    signed_in=True,
    errors=(403, 404),
)
def get_notification(call: Call) -> dict[str, Any]:
    from chalicelib.notifications.lookup import get_one

    actor = call.require(Role.OPS)
    return get_one(actor, call.params["notification_id"], _language(call)).as_dict()


@route(
    notifications_bp,
    "/v1/notifications/{notification_id}/resend",
    "POST",
    summary="Operators: send a notification again (a new notification; Idempotency-Key "
    "resends once); codes and recovery passwords cannot be resent",
    tag="notifications",
    returns="chalicelib.notifications.schemas:NotificationOut",
    status=202,
    signed_in=True,
    errors=(403, 404, 409, 422),
)
def resend_notification(call: Call) -> dict[str, Any]:
    from chalicelib.notifications.lookup import resend

    actor = call.require(Role.OPS)
    key = call.request.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key) <= 64:
        raise ApiError(422, "validation_failed", {"Idempotency-Key": "1..64 characters"})
    return resend(actor, call.params["notification_id"], key, _language(call)).as_dict()
