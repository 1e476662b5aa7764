"""What SES and SNS were asked to send, read from the embedded moto's backends."""

from __future__ import annotations

import email
import threading
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from chalicelib.config import settings

_first_seen: dict[str, str] = {}
_lock = threading.Lock()


def _stamp(message_id: str) -> str:
    # moto keeps no send time: the pump looks here after every pass, so first sight is close.
    with _lock:
        return _first_seen.setdefault(message_id, datetime.now(UTC).isoformat(timespec="seconds"))


def _text_part(mime: Message) -> str:
    for part in mime.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8")
    return ""


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

    return [
        {
            "id": message_id,
            "channel": "sms",
            "to": phone,
            "body": text,
            "sent_at": _stamp(message_id),
        }
        for message_id, (phone, text) in sns_backends[account][region].sms_messages.items()
    ]


def sent_messages() -> list[dict[str, Any]]:
    from moto.core import DEFAULT_ACCOUNT_ID

    region = settings().region
    messages = _emails(DEFAULT_ACCOUNT_ID, region) + _sms(DEFAULT_ACCOUNT_ID, region)
    return sorted(messages, key=lambda m: m["sent_at"])
