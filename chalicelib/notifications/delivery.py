"""Moving notifications from the outbox to the recipient, once.

relay: outbox stream → notify queue. Only the id travels (with the channel and template,
so that quiet hours and rates are decided without a read); the item stays the truth.

deliver: notify queue → admit → claim → render → SES/SNS → mark sent. The outbox id is
the idempotency key: a redelivered message or replayed stream record finds the item
claimed or sent and does nothing.

What happens to one queue message:
- unreadable body: reported as a batch failure, again and again, until the queue's
  redrive policy moves it to the dead-letter queue (never dropped);
- a non-urgent SMS in quiet hours: sent back to the queue with a delay (hops of at most
  15 minutes, SQS's limit) until the quiet hours end; codes and alerts are never held;
- over this invocation's share of the channel's rate: sent back with a delay that spreads
  the overflow at the channel's rate (no sleep; a requeued message starts a new receive
  count, so waiting never pushes a message towards the dead-letter queue);
- over the recipient's budget (RECIPIENT_BUDGETS: a few messages an hour to one address or
  number, whatever the templates): marked failed with the reason `recipient_budget`, which
  operators see in /v1/notifications and may resend (a resend is not budgeted);
- sent: marked sent with the provider's id;
- permanent error (invalid address or number, opted out, rejected): marked failed with the
  reason, and the same message queued on the recipient's other channel when there is one;
- transient error (throttling, timeouts, 5xx): released, its visibility set to an
  exponential backoff, and reported as a batch failure: after the queue's maxReceiveCount
  it lands in the dead-letter queue, from where `python -m chalicelib.notifications.redrive` brings
  it back.

Rates: each channel's budget (NOTIFY_EMAIL_RATE, NOTIFY_SMS_RATE per second) is split
evenly between the at most NOTIFY_MAX_CONCURRENCY deliver invocations the SQS event
source runs at once (its ScalingConfig.MaximumConcurrency, set from the same setting by
the CDK stack), so together they never send faster than the budget.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from chalicelib.core.aws_clients import client
from chalicelib.core.clock import epoch, now
from chalicelib.core.config import settings
from chalicelib.core.logs import logger
from chalicelib.core.throttling import RateLimit
from chalicelib.notifications import store as outbox_store
from chalicelib.notifications.rules import Channel, NotificationStatus, QuietHours, fallback_of

# Longer than one send can take (SDK timeouts and retries), shorter than the queue's
# visibility timeout, so a crashed attempt is retried on the next delivery.
SEND_LEASE_SECONDS = 30
# SQS caps DelaySeconds at 15 minutes: longer waits are made of several hops.
MAX_DELAY_SECONDS = 900
# Visibility timeouts above this are not worth it: the DLQ alarm should fire first.
MAX_BACKOFF_SECONDS = 900


# -- the queue message ------------------------------------------------------------------
@dataclass(frozen=True)
class QueueMessage:
    """The body of one notify-queue message."""

    id: str
    channel: Channel | None = None
    template: str | None = None
    deferrals: int = 0  # how many times it was sent back (quiet hours, rate)
    due: int | None = None  # the second it booked when sent back over the rate budget

    def body(self) -> str:
        data: dict[str, Any] = {"id": self.id}
        if self.channel is not None:
            data["channel"] = self.channel.value
        if self.template is not None:
            data["template"] = self.template
        if self.deferrals:
            data["deferrals"] = self.deferrals
        if self.due is not None:
            data["due"] = self.due
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def parse(cls, body: str) -> QueueMessage:
        """Raises ValueError when the body is not a notify message."""
        try:
            data = json.loads(body)
            notification_id = str(data["id"])
            channel = Channel(data["channel"]) if data.get("channel") else None
            template = str(data["template"]) if data.get("template") else None
            deferrals = int(data.get("deferrals", 0))
            due = int(data["due"]) if data.get("due") is not None else None
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError("not a notify message") from error
        if not notification_id:
            raise ValueError("not a notify message")
        return cls(notification_id, channel, template, deferrals, due)


# -- relay: outbox stream → notify queue --------------------------------------------------
@dataclass(frozen=True)
class OutboxChange:
    """What the relay needs from one stream record."""

    sequence_number: str
    event_name: str
    notification_id: str | None
    status: str | None
    channel: str | None = None
    template: str | None = None


def relay_to_queue(changes: Sequence[OutboxChange]) -> list[str]:
    """Put new notifications on the notify queue. Returns the sequence numbers that failed,
    so only those (and what follows them in the shard) are retried."""
    wanted = [
        c
        for c in changes
        if c.event_name == "INSERT"
        and c.notification_id
        and c.status == NotificationStatus.PENDING.value
    ]
    if not wanted:
        return []
    queue = client("sqs")
    failed: set[str] = set()
    for start in range(0, len(wanted), 10):
        batch = wanted[start : start + 10]
        try:
            answer = queue.send_message_batch(
                QueueUrl=settings().notify_queue_url,
                Entries=[
                    {"Id": str(i), "MessageBody": _relay_message(c).body()}
                    for i, c in enumerate(batch)
                ],
            )
            failed.update(batch[int(f["Id"])].sequence_number for f in answer.get("Failed", []))
        except Exception:
            logger.exception("relay to the notify queue failed")
            failed.update(c.sequence_number for c in batch)
    # Lambda retries from the first failed record: report it and every later one.
    order = [c.sequence_number for c in changes]
    if not failed:
        return []
    first = min(order.index(s) for s in failed)
    return order[first:]


def _relay_message(change: OutboxChange) -> QueueMessage:
    channel = None
    if change.channel in (Channel.EMAIL.value, Channel.SMS.value):
        channel = Channel(change.channel)
    return QueueMessage(str(change.notification_id), channel, change.template)


# -- rates --------------------------------------------------------------------------------
class RateBudget:
    """This container's share of a channel's rate: at most `cap` sends in each second of the
    clock (`floor(rate)`, at least 1), so that the containers together never pass the
    channel's rate in any second. Never sleeps.

    A message over budget is sent back to the queue for a later second. The first time, it
    books a second in this container's calendar, which holds `plan` (a fifth less than
    `cap`) bookings a second, so that returning messages spread at about the rate; the
    headroom absorbs those that land on a container whose second is full (messages are not
    handed back to the container that booked them): such a message, back on time, just
    retries the next second.
    """

    HEADROOM = 1.0

    def __init__(self, rate: float, clock: Callable[[], float] = epoch) -> None:
        self.rate = rate
        self.cap = max(1, math.floor(rate + 1e-9))
        self.plan = max(1, math.floor(self.cap * self.HEADROOM))
        self.clock = clock
        self.second: int | None = None
        self.used = 0
        self.booked: dict[int, int] = {}
        self.horizon = 0

    def _tick(self) -> float:
        moment = self.clock()
        second = math.floor(moment)
        if second != self.second:
            self.second, self.used = second, 0
            for old in [k for k in self.booked if k < second]:
                del self.booked[old]
        return moment

    def available(self) -> bool:
        self._tick()
        return self.used < self.cap

    def take(self) -> None:
        self._tick()
        self.used += 1

    def defer(
        self, max_delay: int = MAX_DELAY_SECONDS, late: bool = False
    ) -> tuple[int, int | None]:
        """(delay, booked second) for a message over budget: the next second with room in
        the calendar; or (`max_delay`, None) when the calendar is full that far (it will
        compete again then, having booked nothing). A `late` message (it came back on
        time and found the second full) takes the headroom above `plan`, from the next
        second on, rather than the end of the line."""
        moment = self._tick()
        if late:
            second, room = math.floor(moment) + 1, self.plan + self.cap
        else:
            second, room = max(math.floor(moment) + 1, self.horizon), self.plan
        while self.booked.get(second, 0) >= room:
            second += 1
        delay = max(1, math.ceil(second - moment))
        if delay > max_delay:
            return max_delay, None
        self.booked[second] = self.booked.get(second, 0) + 1
        if not late:
            self.horizon = second
        return delay, second

    def defer_seconds(self, max_delay: int = MAX_DELAY_SECONDS) -> int:
        return self.defer(max_delay)[0]


_budgets: dict[tuple[Channel, float], RateBudget] = {}


def _monotonic() -> float:
    """The budgets' clock: wall-clock seconds, the same second in every container (Lambda
    hosts are NTP-synchronised); tests and the benchmark replace it with a simulated one."""
    return epoch()


def budget_for(channel: Channel) -> RateBudget | None:
    """This container's share of the channel's rate (None: no limit configured)."""
    config = settings()
    if channel is Channel.TOPIC:
        return None  # events to other systems: SNS topics take far more than we send
    rate = config.email_rate_per_second if channel is Channel.EMAIL else config.sms_rate_per_second
    if rate <= 0:
        return None
    share = rate / max(1, config.notify_max_concurrency)
    key = (channel, share)
    if key not in _budgets:
        _budgets[key] = RateBudget(share, lambda: _monotonic())
    return _budgets[key]


def forget_budgets() -> None:
    _budgets.clear()


# -- recipient budgets -------------------------------------------------------------------
# One address or number receives at most this many messages an hour, across templates and
# accounts: anonymous applications naming the same phone, or contact changes, cannot flood
# it. Codes and security alerts (urgent) have their own, larger budget, so a burst of
# receipts never stops a recovery password.
NON_URGENT_PER_RECIPIENT = RateLimit("msg-recipient", 4)
URGENT_PER_RECIPIENT = RateLimit("msg-recipient-urgent", 10)
OVER_BUDGET = "recipient_budget"


def within_recipient_budget(channel: Channel, recipient: str, template: str, moment: int) -> bool:
    """Count one message to the recipient; False (nothing counted) when over its budget."""
    import hashlib

    from chalicelib.core import throttles_store as throttles
    from chalicelib.notifications.templates import is_urgent

    subject = hashlib.sha256(f"{channel.value}:{recipient}".encode()).hexdigest()[:32]
    limit = URGENT_PER_RECIPIENT if is_urgent(template) else NON_URGENT_PER_RECIPIENT
    return throttles.count(limit, subject, moment)


# -- quiet hours --------------------------------------------------------------------------
def quiet_hours() -> QuietHours:
    config = settings()
    return QuietHours.parse(config.quiet_hours, config.quiet_hours_zone)


def held_until(channel: Channel, template: str, moment: datetime) -> datetime | None:
    """When a message on `channel` may be sent, if not now (non-urgent SMS, quiet hours)."""
    from chalicelib.notifications.templates import is_urgent

    if channel is not Channel.SMS or is_urgent(template):
        return None
    return quiet_hours().ends_at(moment)


# -- deliver: notify queue → SES/SNS ------------------------------------------------------
class Delivery(StrEnum):
    SENT = "sent"
    ALREADY_HANDLED = "already_handled"
    FAILED = "failed"
    RETRY = "retry"
    DEFERRED = "deferred"


@dataclass(frozen=True)
class SqsMessage:
    message_id: str
    body: str
    receipt_handle: str = ""
    receive_count: int = 1


@dataclass
class Admission:
    """Whether a message may be sent now, or the delay to send it back with."""

    delay_seconds: int = 0
    reason: str = ""
    due: int | None = None

    @property
    def now(self) -> bool:
        return self.delay_seconds == 0


def admit(
    channel: Channel,
    template: str,
    moment: datetime,
    budget: RateBudget | None,
    due: int | None = None,
) -> Admission:
    """Quiet hours first (a held SMS must not spend the budget), then the rate. `due`: the
    second the message booked when it was sent back; back on time and still over budget
    here, it tries the next second instead of booking again at the end of the line."""
    until = held_until(channel, template, moment)
    if until is not None:
        wait = math.ceil((until - moment).total_seconds())
        return Admission(max(1, min(MAX_DELAY_SECONDS, wait)), "quiet_hours")
    if budget is None or budget.available():
        return Admission()
    late = due is not None and abs(budget.clock() - due) <= 2
    delay, booked = budget.defer(late=late)
    return Admission(delay, "rate", booked)


@dataclass
class _Outcome:
    delivery: Delivery
    delay_seconds: int = 0


def deliver(notification_id: str, known: QueueMessage | None = None) -> _Outcome:
    """One attempt at one notification (already admitted when `known` names its channel
    and template; otherwise admitted here, after the claim that reads them)."""
    from chalicelib.notifications.senders import PermanentSendError, SendError, send
    from chalicelib.notifications.templates import render

    record = outbox_store.claim_for_sending(notification_id, SEND_LEASE_SECONDS)
    if record is None:
        return _Outcome(Delivery.ALREADY_HANDLED)
    notification = record.notification
    extra = {"notification_id": notification_id, "template": notification.template}
    budget = budget_for(notification.channel)
    if known is None or known.channel is None or known.template is None:
        admission = admit(notification.channel, notification.template, now(), budget)
        if not admission.now:
            outbox_store.release(notification_id, admission.reason)
            return _Outcome(Delivery.DEFERRED, admission.delay_seconds)
    if notification.secret_until is not None and now().timestamp() > notification.secret_until:
        outbox_store.mark_failed(notification_id, "secret_expired")  # removes the secret
        logger.warning("secret expired before it could be sent", extra=extra)
        return _Outcome(Delivery.FAILED)
    if (
        notification.channel is not Channel.TOPIC
        and record.resend_of is None  # an operator's resend was decided by a person
        and record.attempts <= 1  # a retry was counted on its first attempt
        and not within_recipient_budget(
            notification.channel,
            notification.recipient,
            notification.template,
            int(now().timestamp()),
        )
    ):
        outbox_store.mark_failed(notification_id, OVER_BUDGET)
        logger.warning("recipient over its message budget: not sent", extra=extra)
        return _Outcome(Delivery.FAILED)
    if budget is not None:
        budget.take()
    try:
        provider_id = send(render(notification))
    except PermanentSendError as error:
        fallback = fallback_of(notification)
        outbox_store.mark_failed(notification_id, str(error), fallback)
        logger.warning(
            "notification failed for good",
            extra={**extra, "reason": str(error), "fallback": bool(fallback)},
        )
        return _Outcome(Delivery.FAILED)
    except SendError as error:
        outbox_store.release(notification_id, str(error))
        logger.warning("notification will be retried", extra={**extra, "reason": str(error)})
        return _Outcome(Delivery.RETRY)
    except Exception as error:  # a rendering bug: kept (DLQ) until a fix and a redrive
        outbox_store.release(notification_id, f"render: {type(error).__name__}")
        logger.exception("notification could not be rendered", extra=extra)
        return _Outcome(Delivery.RETRY)
    if not outbox_store.mark_sent(notification_id, provider_id):
        logger.warning("sent, but the claim had run out", extra=extra)
    return _Outcome(Delivery.SENT)


def backoff_seconds(receive_count: int) -> int:
    """Exponential, with jitter: base, 2×base, 4×base… (capped)."""
    base = settings().notify_retry_base_seconds
    if base <= 0:
        return 0
    delay = min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, receive_count - 1))
    return int(min(MAX_BACKOFF_SECONDS, delay + random.uniform(0, base / 2)))


@dataclass
class BatchResult:
    retry: list[str] = field(default_factory=list)  # message ids → batchItemFailures
    outcomes: dict[str, Delivery] = field(default_factory=dict)


def deliver_messages(messages: Iterable[SqsMessage | tuple[str, str]]) -> BatchResult:
    result = BatchResult()
    requeue: list[tuple[SqsMessage, QueueMessage, int]] = []
    backoff: list[tuple[SqsMessage, int]] = []
    for raw in messages:
        message = raw if isinstance(raw, SqsMessage) else SqsMessage(raw[0], raw[1])
        try:
            parsed = QueueMessage.parse(message.body)
        except ValueError:
            # Never dropped: it is retried until the queue moves it to the dead-letter queue.
            logger.error("unreadable notify message", extra={"message_id": message.message_id})
            result.retry.append(message.message_id)
            continue
        known = parsed.channel is not None and parsed.template is not None
        if parsed.channel is not None and parsed.template is not None:
            admission = admit(
                parsed.channel, parsed.template, now(), budget_for(parsed.channel), parsed.due
            )
            if not admission.now:
                requeue.append(
                    (message, replace(parsed, due=admission.due), admission.delay_seconds)
                )
                result.outcomes[message.message_id] = Delivery.DEFERRED
                continue
        try:
            outcome = deliver(parsed.id, parsed if known else None)
        except Exception:
            logger.exception("delivery crashed", extra={"notification_id": parsed.id})
            outcome = _Outcome(Delivery.RETRY)
        result.outcomes[message.message_id] = outcome.delivery
        if outcome.delivery is Delivery.RETRY:
            result.retry.append(message.message_id)
            backoff.append((message, backoff_seconds(message.receive_count)))
        elif outcome.delivery is Delivery.DEFERRED:
            requeue.append((message, parsed, outcome.delay_seconds))
    result.retry.extend(_requeue(requeue))
    _set_backoff(backoff)
    return result


def _requeue(items: Sequence[tuple[SqsMessage, QueueMessage, int]]) -> list[str]:
    """Send messages back with a delay; returns the message ids that could not be (they
    are reported as failures, so the original comes back after its visibility timeout)."""
    failed: list[str] = []
    if not items:
        return failed
    queue = client("sqs")
    for start in range(0, len(items), 10):
        batch = items[start : start + 10]
        entries = [
            {
                "Id": str(i),
                "MessageBody": replace(parsed, deferrals=parsed.deferrals + 1).body(),
                "DelaySeconds": max(0, min(MAX_DELAY_SECONDS, delay)),
            }
            for i, (_, parsed, delay) in enumerate(batch)
        ]
        try:
            answer = queue.send_message_batch(QueueUrl=settings().notify_queue_url, Entries=entries)
            failed.extend(batch[int(f["Id"])][0].message_id for f in answer.get("Failed", []))
        except Exception:
            logger.exception("sending deferred notifications back to the queue failed")
            failed.extend(message.message_id for message, _, _ in batch)
    return failed


def _set_backoff(items: Sequence[tuple[SqsMessage, int]]) -> None:
    """Make each failed message visible again only after its backoff. Best effort: on
    failure the queue's visibility timeout applies."""
    entries = [(m, s) for m, s in items if m.receipt_handle]
    if not entries:
        return
    queue = client("sqs")
    for start in range(0, len(entries), 10):
        batch = entries[start : start + 10]
        try:
            queue.change_message_visibility_batch(
                QueueUrl=settings().notify_queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m.receipt_handle, "VisibilityTimeout": s}
                    for i, (m, s) in enumerate(batch)
                ],
            )
        except Exception:
            logger.exception("could not set the retry backoff")
