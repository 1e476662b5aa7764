"""Handing rendered messages to SES (email) and SNS (SMS).

Errors are sorted into transient (retry later) and permanent (record, fall back to the
recipient's other channel, stop), so the caller never retries a message that can never
be delivered. An error we do not know is transient: retried, then kept in the dead-letter
queue, never dropped on a guess.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import make_msgid

from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings
from chalicelib.notifications.rules import Channel
from chalicelib.notifications.templates import RenderedMessage

# Every email carries its notification id: SES configuration-set events echo the tag, and
# a reader of the raw message (or /dev/outbox) can tell which notification it is.
NOTIFICATION_HEADER = "X-Massar-Notification-Id"
NOTIFICATION_TAG = "notification_id"


class SendError(Exception):
    pass


class TransientSendError(SendError):
    """Throttling, timeouts, 5xx, a paused account: the same send may succeed later."""


class PermanentSendError(SendError):
    """Bad address or number, opted out, rejected: retrying cannot help."""


_TRANSIENT_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "ServiceUnavailable",
        "InternalFailure",
        "InternalError",
        "InternalErrorException",
        "RequestTimeout",
        "LimitExceededException",
        "KMSThrottlingException",
        "SendingPausedException",
        "AccountSendingPausedException",
        # The whole account, not this recipient: kept for a redrive once it is resolved.
        "AccountSuspendedException",
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",
    }
)
# The recipient cannot be reached this way, ever (or until they act): record and fall back.
_PERMANENT_CODES = frozenset(
    {
        "MessageRejected",  # SES: rejected (e.g. address on the suppression list)
        "BadRequestException",  # SES v2: malformed or invalid address
        "InvalidParameter",  # SNS: invalid phone number
        "InvalidParameterValue",
        "InvalidParameterException",
        "OptedOut",
        "OptedOutException",  # the phone number opted out of SMS
        "EndpointDisabled",
    }
)

# What the senders accept before spending an API call (anything else is permanent).
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


def classify(error: Exception) -> SendError:
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", ""))
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
        if code in _PERMANENT_CODES or "OptedOut" in code:
            return PermanentSendError(code)
        if code in _TRANSIENT_CODES or status >= 500:
            return TransientSendError(code or str(status))
        return TransientSendError(code or str(status))
    if isinstance(error, BotoCoreError):
        return TransientSendError(type(error).__name__)
    return TransientSendError(type(error).__name__)


# Kept for callers of the skeleton's name.
_classify = classify


def build_mime(message: RenderedMessage, sender: str) -> bytes:
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = message.subject or ""
    mime["Message-ID"] = make_msgid(domain=sender.split("@")[-1])
    if message.notification_id:
        mime[NOTIFICATION_HEADER] = message.notification_id
    mime.set_content(message.text)
    if message.html:
        mime.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        mime.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return mime.as_bytes()


def check_recipient(message: RenderedMessage) -> None:
    """Refuse, before any API call, what SES or SNS would refuse for good."""
    if message.channel is Channel.EMAIL and not _EMAIL.match(message.to):
        raise PermanentSendError("invalid_email_address")
    if message.channel is Channel.SMS and not _E164.match(message.to):
        raise PermanentSendError("invalid_phone_number")


def send(message: RenderedMessage) -> str:
    """Send and return the provider's message id, or raise a SendError."""
    check_recipient(message)
    config = settings()
    try:
        if message.channel is Channel.TOPIC:
            answer = client("sns").publish(
                TopicArn=config.events_topic_arn,
                Message=message.text,
                MessageAttributes={
                    "event": {"DataType": "String", "StringValue": message.to},
                },
            )
        elif message.channel is Channel.EMAIL:
            request: dict[str, object] = {
                "FromEmailAddress": config.mail_from,
                "Destination": {"ToAddresses": [message.to]},
                "Content": {"Raw": {"Data": build_mime(message, config.mail_from)}},
            }
            if config.ses_configuration_set:
                request["ConfigurationSetName"] = config.ses_configuration_set
            if message.notification_id:
                request["EmailTags"] = [
                    {"Name": NOTIFICATION_TAG, "Value": message.notification_id}
                ]
            answer = client("sesv2").send_email(**request)
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
        raise classify(error) from error
    return str(answer["MessageId"])
