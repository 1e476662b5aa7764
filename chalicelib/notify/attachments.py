"""Files attached to an email, built from the notification's params when it is rendered.

A template that needs one registers a builder here, in a module the deliver Lambda imports
(e.g. at the bottom of this file, or in a module imported from it):

    from chalicelib.notify.attachments import register_attachments

    def appointment_ics(notification: Notification) -> list[Attachment]:
        return [Attachment("rendez-vous.ics", "text/calendar", build_ics(notification.params))]

    register_attachments("appointment_confirmed", appointment_ics)

Builders are pure (params in, bytes out): the message is rendered again on every retry,
and what is handed to SES must be the same each time. SMS never carry attachments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from chalicelib.domain.notifications import Notification

# SES v2 accepts 40 MB messages; parents on weak connections do not: keep emails small.
MAX_ATTACHMENTS_BYTES = 1_000_000


class Attachment(NamedTuple):
    filename: str
    mime_type: str  # "text/calendar", "application/pdf"
    data: bytes


AttachmentBuilder = Callable[[Notification], list[Attachment]]

_BUILDERS: dict[str, AttachmentBuilder] = {}


def register_attachments(template: str, builder: AttachmentBuilder) -> None:
    _BUILDERS[template] = builder


def attachments_for(notification: Notification) -> tuple[Attachment, ...]:
    builder = _BUILDERS.get(notification.template)
    if builder is None:
        return ()
    built = tuple(builder(notification))
    if sum(len(a.data) for a in built) > MAX_ATTACHMENTS_BYTES:
        raise ValueError(f"attachments of {notification.template} exceed {MAX_ATTACHMENTS_BYTES}")
    return built


# Builders of the templates that carry files (imported here: templates.py renders through
# attachments_for, so the deliver path always has them).
from chalicelib.notify import ics as _ics  # noqa: E402, F401
