"""Notifications: what is sent to whom, and the states a send goes through.

A notification is written to the outbox in the same transaction as the change that
caused it; its id is the idempotency key of the send, so it is sent at most once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    # An integration event for other systems (e.g. the taalim.ma mailbox follows password
    # changes, seed 000), published on the events topic with the same exactly-once path.
    TOPIC = "topic"


class Language(StrEnum):
    AR = "ar"
    FR = "fr"


class NotificationStatus(StrEnum):
    PENDING = "pending"  # written with the change, not yet handed to the queue
    QUEUED = "queued"  # on the notify queue
    SENDING = "sending"  # claimed by one sender, under a lease
    SENT = "sent"
    FAILED = "failed"


# A sender may claim a notification in these states; SENDING only once its lease expired.
CLAIMABLE = frozenset({NotificationStatus.PENDING, NotificationStatus.QUEUED})


class DeliveryStatus(StrEnum):
    """What the provider said after the send (SES events, SNS SMS delivery logs)."""

    DELIVERED = "delivered"
    BOUNCED = "bounced"  # email: permanent bounce or rejected by the provider
    COMPLAINED = "complained"  # email: the recipient marked it as spam
    UNDELIVERED = "undelivered"  # SMS: the carrier could not deliver it


# Delivery outcomes after which the recipient's other channel is tried.
DELIVERY_FAILURES = frozenset({DeliveryStatus.BOUNCED, DeliveryStatus.UNDELIVERED})


@dataclass(frozen=True)
class Contact:
    channel: Channel
    recipient: str


@dataclass(frozen=True)
class Notification:
    """One message to one recipient, rendered later from `template` in `language`."""

    id: str
    template: str
    channel: Channel
    recipient: str
    language: Language
    params: dict[str, str] = field(default_factory=dict)
    # Secrets (initial codes, recovery passwords) are erased once the message is sent.
    secret_params: dict[str, str] = field(default_factory=dict)
    # The recipient's other channel: tried once when this one fails for good (invalid
    # address or number, bounce, opted out).
    fallback: Contact | None = None
    # When the secret stops working (a recovery password, a confirmation code; epoch
    # seconds): never sent after it, and an unsent item carrying it expires from the table.
    secret_until: int | None = None


def fallback_id(notification_id: str) -> str:
    """The id of the one notification that may replace `notification_id` on its fallback
    channel: derived, so that writing it twice writes it once."""
    return notification_id + "-fb"


def resend_id(notification_id: str, idempotency_key: str | None, fresh: str) -> str:
    """An operator's resend: the same Idempotency-Key gives the same id (so one resend)."""
    if not idempotency_key:
        return fresh
    digest = hashlib.sha256(f"{notification_id}\n{idempotency_key}".encode()).hexdigest()
    return "rs-" + digest[:32]


def fallback_of(notification: Notification) -> Notification | None:
    """The notification to send on the recipient's other channel, or None."""
    other = notification.fallback
    if other is None or other.channel is notification.channel or not other.recipient:
        return None
    return Notification(
        id=fallback_id(notification.id),
        template=notification.template,
        channel=other.channel,
        recipient=other.recipient,
        language=notification.language,
        params=dict(notification.params),
        secret_params=dict(notification.secret_params),
        fallback=None,  # one fallback only: never back and forth
    )


@dataclass(frozen=True)
class QuietHours:
    """Hours in which non-urgent SMS wait (local time of `zone`); start > end spans midnight."""

    start: time = time(21, 0)
    end: time = time(7, 0)
    zone: str = "Africa/Casablanca"

    @classmethod
    def parse(cls, span: str, zone: str) -> QuietHours:
        """`"21:00-07:00"`; an empty span or `"off"` means no quiet hours (start == end)."""
        if not span.strip() or span.strip().lower() == "off":
            return cls(time(0, 0), time(0, 0), zone)
        first, last = (part.strip() for part in span.split("-", 1))
        return cls(time.fromisoformat(first), time.fromisoformat(last), zone)

    def ends_at(self, moment: datetime) -> datetime | None:
        """When the quiet hours around `moment` end (aware, in UTC's instant), or None when
        `moment` is not within them."""
        if self.start == self.end:
            return None
        local = moment.astimezone(ZoneInfo(self.zone))
        clock = local.time().replace(tzinfo=None)
        if self.start < self.end:
            inside = self.start <= clock < self.end
        else:
            inside = clock >= self.start or clock < self.end
        if not inside:
            return None
        end_day = local.date()
        if self.start > self.end and clock >= self.start:
            end_day += timedelta(days=1)
        # Built from the wall clock, so a DST or Ramadan change in between is honoured.
        return datetime.combine(end_day, self.end, tzinfo=ZoneInfo(self.zone))


def pick_language(preferred: str | None, accept_language: str | None) -> Language:
    """The recipient's preference, else the language of the request that caused it, else French."""
    for candidate in (preferred, _first_language(accept_language)):
        if candidate in (Language.AR, Language.FR):
            return Language(candidate)
    return Language.FR


def _first_language(header: str | None) -> str | None:
    if not header:
        return None
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        primary = tag.split("-")[0]
        if primary in ("ar", "fr"):
            return primary
    return None
