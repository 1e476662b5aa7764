"""Files attached to an email, built from the notification's params when it is rendered.

A template that needs one gets a builder in `_BUILDERS` below; the file formats themselves
(e.g. `ics.py`) know nothing of notifications.

Builders are pure (params in, bytes out): the message is rendered again on every retry,
and what is handed to SES must be the same each time. SMS never carry attachments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from chalicelib.notifications import ics
from chalicelib.notifications.rules import Notification

# SES v2 accepts 40 MB messages; parents on weak connections do not: keep emails small.
MAX_ATTACHMENTS_BYTES = 1_000_000


class Attachment(NamedTuple):
    filename: str
    mime_type: str  # "text/calendar", "application/pdf"
    data: bytes


AttachmentBuilder = Callable[[Notification], list[Attachment]]


def appointment_ics(notification: Notification) -> list[Attachment]:
    data = ics.build_ics(notification.params, notification.language.value)
    return [Attachment("rendez-vous.ics", "text/calendar", data)]


_BUILDERS: dict[str, AttachmentBuilder] = {"appointment_confirmed": appointment_ics}


def attachments_for(notification: Notification) -> tuple[Attachment, ...]:
    builder = _BUILDERS.get(notification.template)
    if builder is None:
        return ()
    built = tuple(builder(notification))
    if sum(len(a.data) for a in built) > MAX_ATTACHMENTS_BYTES:
        raise ValueError(f"attachments of {notification.template} exceed {MAX_ATTACHMENTS_BYTES}")
    return built
