"""Handing rendered messages to SES (email) and SNS (SMS).

Errors are sorted into transient (retry later) and permanent (record and stop), so the
caller never retries a message that can never be delivered.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from chalicelib.aws_clients import client
from chalicelib.config import settings
from chalicelib.domain.notifications import Channel
from chalicelib.notify.templates import RenderedMessage


class SendError(Exception):
    pass


class TransientSendError(SendError):
    """Throttling, timeouts, 5xx: the same send may succeed later."""


class PermanentSendError(SendError):
    """Bad address or number, opted out, rejected: retrying cannot help."""


_TRANSIENT_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "ServiceUnavailable",
        "InternalFailure",
        "InternalError",
        "RequestTimeout",
        "LimitExceededException",
        "KMSThrottlingException",
    }
)


def _classify(error: Exception) -> SendError:
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
        if code in _TRANSIENT_CODES or status >= 500:
            return TransientSendError(code or str(status))
        return PermanentSendError(code or str(status))
    if isinstance(error, BotoCoreError):
        return TransientSendError(type(error).__name__)
    return TransientSendError(type(error).__name__)


def build_mime(message: RenderedMessage, sender: str) -> bytes:
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = message.subject or ""
    mime["Message-ID"] = make_msgid(domain=sender.split("@")[-1])
    mime.set_content(message.text)
    if message.html:
        mime.add_alternative(message.html, subtype="html")
    return mime.as_bytes()


def send(message: RenderedMessage) -> str:
    """Send and return the provider's message id, or raise a SendError."""
    config = settings()
    try:
        if message.channel is Channel.EMAIL:
            answer = client("sesv2").send_email(
                FromEmailAddress=config.mail_from,
                Destination={"ToAddresses": [message.to]},
                Content={"Raw": {"Data": build_mime(message, config.mail_from)}},
            )
        else:
            answer = client("sns").publish(
                PhoneNumber=message.to,
                Message=message.text,
                MessageAttributes={
                    "AWS.SNS.SMS.SenderID": {
                        "DataType": "String",
                        "StringValue": config.sms_sender_id,
                    },
                    "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
                },
            )
    except Exception as error:  # every failure is sorted, none escapes unclassified
        raise _classify(error) from error
    return str(answer["MessageId"])
