"""What SES and SNS were asked to send, read from the embedded moto's backends: each email
as the raw MIME message handed to SES (subject, plain-text and HTML parts, attachments,
the notification id header), each SMS as the text handed to SNS with its billed parts."""

from __future__ import annotations

import email
import os
import threading
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from chalicelib.core.config import settings
from chalicelib.notifications.senders import NOTIFICATION_HEADER
from chalicelib.notifications.sms import sms_size

# With an outside emulator (AWS_ENDPOINT_URL) what was sent is in that emulator, which has
# no common way to list it: this module would read the empty in-process moto backends and
# show an empty outbox as if nothing had been sent. It says so instead.
OFF_NOTE = (
    "/dev/outbox and delivery feedback are off: AWS_ENDPOINT_URL points at an outside "
    "emulator, and what SES and SNS sent is in that emulator (unset it to run moto in process)"
)


def readable() -> bool:
    """Whether sent messages are in this process's moto (False with an outside emulator)."""
    return not os.environ.get("AWS_ENDPOINT_URL")


_first_seen: dict[str, str] = {}
_lock = threading.Lock()


def _stamp(message_id: str) -> str:
    # moto keeps no send time: the pump looks here after every pass, so first sight is close.
    with _lock:
        return _first_seen.setdefault(message_id, datetime.now(UTC).isoformat(timespec="seconds"))


def _part(mime: Message, content_type: str) -> str | None:
    for part in mime.walk():
        if part.get_content_type() == content_type and part.get_filename() is None:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8")
    return None


def _text_part(mime: Message) -> str:
    return _part(mime, "text/plain") or ""


def _attachments(mime: Message) -> list[dict[str, Any]]:
    found = []
    for part in mime.walk():
        filename = part.get_filename()
        if filename:
            payload = part.get_payload(decode=True)
            size = len(payload) if isinstance(payload, bytes) else 0
            found.append({"filename": filename, "mime_type": part.get_content_type(), "size": size})
    return found


def _emails(account: str, region: str) -> list[dict[str, Any]]:
    from moto.ses.models import RawMessage, ses_backends

    found = []
    for sent in ses_backends[account][region].sent_messages:
        if isinstance(sent, RawMessage):
            mime = email.message_from_string(sent.raw_data)
            subject = str(
                email.header.make_header(email.header.decode_header(mime["Subject"] or ""))
            )
            found.append(
                {
                    "id": sent.id,
                    "channel": "email",
                    "to": ", ".join(dict.fromkeys(sent.destinations)),  # moto repeats the To header
                    "subject": subject,
                    "body": _text_part(mime),
                    "html": _part(mime, "text/html"),
                    "attachments": _attachments(mime),
                    "notification_id": mime.get(NOTIFICATION_HEADER),
                    "sent_at": _stamp(sent.id),
                }
            )
        else:
            to = [a for addresses in sent.destinations.values() for a in addresses]
            found.append(
                {
                    "id": sent.id,
                    "channel": "email",
                    "to": ", ".join(to),
                    "subject": sent.subject,
                    "body": sent.body,
                    "sent_at": _stamp(sent.id),
                }
            )
    return found


def _sms(account: str, region: str) -> list[dict[str, Any]]:
    from moto.sns.models import sns_backends

    found = []
    for message_id, (phone, text) in sns_backends[account][region].sms_messages.items():
        size = sms_size(text)
        found.append(
            {
                "id": message_id,
                "channel": "sms",
                "to": phone,
                "body": text,
                "encoding": size.encoding,
                "parts": size.parts,
                "sent_at": _stamp(message_id),
            }
        )
    return found


def sent_messages() -> list[dict[str, Any]]:
    from moto.core import DEFAULT_ACCOUNT_ID

    region = settings().region
    messages = _emails(DEFAULT_ACCOUNT_ID, region) + _sms(DEFAULT_ACCOUNT_ID, region)
    return sorted(messages, key=lambda m: m["sent_at"])
