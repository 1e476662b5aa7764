"""Notifications: what is sent to whom, and the states a send goes through.

A notification is written to the outbox in the same transaction as the change that
caused it; its id is the idempotency key of the send, so it is sent at most once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


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
