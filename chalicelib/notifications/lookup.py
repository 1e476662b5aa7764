"""Operators look up the notifications of one recipient and resend one; staff and parents
see a notification's status where it matters ("Demande refusée, envoyée par SMS,
distribuée").

Other services show a status with `notification_status(notification_id, language)`: it
follows the fallback (an email that bounced and went by SMS instead) and answers with the
latest word on it. Keep the id of the notifications you write (e.g. on the registration).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.errors import DomainError, NotAllowed, NotFound
from chalicelib.core.secrets import new_id
from chalicelib.notifications import store as outbox_store
from chalicelib.notifications.rules import (
    Channel,
    DeliveryStatus,
    Language,
    Notification,
    NotificationStatus,
    resend_id,
)
from chalicelib.notifications.store import InvalidCursor as InvalidCursor  # the route's 422
from chalicelib.notifications.store import OutboxRecord


class CannotResend(DomainError):
    """The notification carried a secret (erased once sent), or is still on its way."""

    code = "cannot_resend"


CHANNEL_WORDS = {
    Channel.EMAIL: {Language.FR: "par e-mail", Language.AR: "عبر البريد الإلكتروني"},
    Channel.SMS: {Language.FR: "par SMS", Language.AR: "عبر رسالة قصيرة"},
}
STATUS_WORDS = {
    NotificationStatus.PENDING: {
        Language.FR: "en attente d'envoi",
        Language.AR: "في انتظار الإرسال",
    },
    NotificationStatus.QUEUED: {
        Language.FR: "en attente d'envoi",
        Language.AR: "في انتظار الإرسال",
    },
    NotificationStatus.SENDING: {Language.FR: "en cours d'envoi", Language.AR: "قيد الإرسال"},
    NotificationStatus.SENT: {Language.FR: "envoyé", Language.AR: "أُرسل"},
    NotificationStatus.FAILED: {Language.FR: "non envoyé", Language.AR: "لم يُرسل"},
}
DELIVERY_WORDS = {
    DeliveryStatus.DELIVERED: {Language.FR: "distribué", Language.AR: "وصل"},
    DeliveryStatus.BOUNCED: {Language.FR: "adresse injoignable", Language.AR: "العنوان غير صالح"},
    DeliveryStatus.COMPLAINED: {
        Language.FR: "signalé comme indésirable",
        Language.AR: "صُنّف كرسالة غير مرغوب فيها",
    },
    DeliveryStatus.UNDELIVERED: {Language.FR: "non distribué", Language.AR: "لم يصل"},
}


@dataclass(frozen=True)
class NotificationView:
    """What operators (and, through `summary`, staff and parents) see of one notification.
    Never its secrets; its params only to operators."""

    id: str
    template: str
    label: str
    channel: str
    recipient: str
    language: str
    status: str
    delivery_status: str | None
    delivery_detail: str | None
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    delivery_at: datetime | None
    failure_reason: str | None
    fallback_id: str | None
    fallback_of: str | None
    resend_of: str | None
    summary: str

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.__dict__)
        for name in ("created_at", "sent_at", "delivery_at"):
            value = data[name]
            data[name] = value.isoformat() if value else None
        return {k: v for k, v in data.items() if v is not None}


def _label(template: str, language: Language) -> str:
    from chalicelib.notifications.templates import TEMPLATES

    found = TEMPLATES.get(template)
    return found.label[language] if found else template


def status_line(record: OutboxRecord, language: Language) -> str:
    """E.g. "Demande refusée : envoyé par SMS, distribué" (or in Arabic)."""
    channel = CHANNEL_WORDS[record.notification.channel][language]
    parts = [STATUS_WORDS[record.status][language]]
    if record.status is NotificationStatus.SENT:
        parts[0] = f"{parts[0]} {channel}"
        if record.delivery_status is not None:
            parts.append(DELIVERY_WORDS[record.delivery_status][language])
    elif record.status is NotificationStatus.FAILED:
        parts[0] = f"{parts[0]} {channel}"
    separator = "، " if language is Language.AR else ", "
    colon = ": " if language is Language.AR else " : "
    return _label(record.notification.template, language) + colon + separator.join(parts)


def view_of(record: OutboxRecord, language: Language) -> NotificationView:
    n = record.notification
    return NotificationView(
        id=n.id,
        template=n.template,
        label=_label(n.template, language),
        channel=n.channel.value,
        recipient=n.recipient,
        language=n.language.value,
        status=record.status.value,
        delivery_status=record.delivery_status.value if record.delivery_status else None,
        delivery_detail=record.delivery_detail,
        attempts=record.attempts,
        created_at=record.created_at,
        sent_at=record.sent_at,
        delivery_at=record.delivery_at,
        failure_reason=record.failure_reason,
        fallback_id=record.fallback_id,
        fallback_of=record.fallback_of,
        resend_of=record.resend_of,
        summary=status_line(record, language),
    )


def notification_status(notification_id: str, language: Language) -> NotificationView | None:
    """The latest word on a notification: its fallback's, when it went to the other channel
    (at most one hop). None when there is no such notification."""
    record = outbox_store.get_record(notification_id)
    if record is None:
        return None
    if record.fallback_id:
        fallback = outbox_store.get_record(record.fallback_id)
        if fallback is not None:
            record = fallback
    return view_of(record, language)


def _require_ops(actor: Principal) -> None:
    if actor.role is not Role.OPS:
        raise NotAllowed("operators only")


_PHONE_DIGITS = re.compile(r"^(?:\+|00)?(\d{9,15})$")


def recipient_key(raw: str) -> tuple[Channel, str]:
    """An email address or a phone number as the outbox stores it (`06…` → `+2126…`)."""
    value = raw.strip()
    if "@" in value:
        return Channel.EMAIL, value.lower()
    compact = re.sub(r"[\s.\-()]", "", value)
    if re.fullmatch(r"0[5-7]\d{8}", compact):
        return Channel.SMS, "+212" + compact[1:]
    match = _PHONE_DIGITS.match(compact)
    if match:
        return Channel.SMS, "+" + match.group(1)
    return Channel.SMS, compact


def lookup(
    actor: Principal, recipient: str, limit: int, cursor: str | None, language: Language
) -> tuple[Sequence[NotificationView], str | None]:
    """The notifications of one recipient (email or phone), newest first."""
    _require_ops(actor)
    channel, key = recipient_key(recipient)
    records, next_cursor = outbox_store.list_for_recipient(channel, key, limit, cursor)
    return [view_of(r, language) for r in records], next_cursor


def get_one(actor: Principal, notification_id: str, language: Language) -> NotificationView:
    _require_ops(actor)
    record = outbox_store.get_record(notification_id)
    if record is None:
        raise NotFound("notification")
    return view_of(record, language)


def resend(
    actor: Principal, notification_id: str, idempotency_key: str | None, language: Language
) -> NotificationView:
    """Queue the same message again, to the same recipient, as a new notification (its own
    id, so its own single send). The same Idempotency-Key resends once."""
    from chalicelib.notifications.templates import TEMPLATES

    _require_ops(actor)
    record = outbox_store.get_record(notification_id)
    if record is None:
        raise NotFound("notification")
    template = TEMPLATES.get(record.notification.template)
    if template is None or template.secret_params:
        # The code is erased once sent: the user asks for a new one (recovery, restore).
        raise CannotResend("carries a secret")
    if record.status not in (NotificationStatus.SENT, NotificationStatus.FAILED):
        raise CannotResend("still on its way")
    original = record.notification
    copy = Notification(
        id=resend_id(original.id, idempotency_key, new_id()),
        template=original.template,
        channel=original.channel,
        recipient=original.recipient,
        language=original.language,
        params=dict(original.params),
        fallback=original.fallback,
    )
    outbox_store.put_notification(copy, resend_of=original.id)
    written = outbox_store.get_record(copy.id)
    if written is None or written.resend_of != original.id:
        raise CannotResend("idempotency key used for another notification")
    return view_of(written, language)
