"""Quiet hours hold non-urgent SMS until the morning (never codes); sending never passes the
configured rates, without sleeping: the overflow goes back to the queue, spaced out."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.notifications.rules import Channel, Language, NotificationStatus
from tests.clock import casablanca_at
from tests.notifications_support import (
    make_visible,
    notification,
    queue,
    queue_messages,
    record,
    sent,
    use_settings,
)


def notify_url() -> str:
    from chalicelib.core.config import settings

    return settings().notify_queue_url


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """The delivery's clock, set to Casablanca wall-clock times around the test's today
    (each with its date's offset, Ramadan's included)."""
    monkeypatch.setattr("chalicelib.notifications.delivery.now", lambda: moment)


def test_absence_sms_wait_for_the_morning_and_codes_do_not(
    app: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_settings(monkeypatch, QUIET_HOURS="21:00-07:00")
    absence = notification("absence_unjustified", Channel.SMS, "+212612345678")
    code = notification("recovery_password", Channel.SMS, "+212661234567", language=Language.AR)
    email = notification("absence_unjustified", Channel.EMAIL, "parent@example.ma")
    queue(absence, code, email)
    at(monkeypatch, casablanca_at(-1, 22, 30))
    pump.drain()
    assert sorted(m["to"] for m in sent()) == ["+212661234567", "parent@example.ma"]
    [held] = queue_messages(notify_url())
    assert held["body"] == {
        "id": absence.id,
        "channel": "sms",
        "template": "absence_unjustified",
        "deferrals": 1,
    }
    assert 890 <= held["delay_seconds"] <= 900  # SQS's longest delay: one hop of many
    # Held in the queue, not claimed: the outbox item was never touched.
    assert record(absence.id).status is NotificationStatus.PENDING
    assert record(absence.id).attempts == 0

    at(monkeypatch, casablanca_at(0, 6, 55))  # the last hop is five minutes
    make_visible(notify_url())
    pump.drain()
    [held] = queue_messages(notify_url())
    assert held["body"]["deferrals"] == 2 and 295 <= held["delay_seconds"] <= 300
    assert len(sent("sms")) == 1

    at(monkeypatch, casablanca_at(0, 7) + timedelta(seconds=1))
    make_visible(notify_url())
    pump.drain()
    assert len(sent("sms")) == 2
    assert record(absence.id).status is NotificationStatus.SENT
    assert queue_messages(notify_url()) == []


def test_quiet_hours_are_checked_after_the_claim_for_messages_without_a_template(
    app: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message redriven by hand with only the id is still held."""
    import json

    from chalicelib.core.aws_clients import client

    use_settings(monkeypatch, QUIET_HOURS="21:00-07:00")
    absence = notification("absence_unjustified", Channel.SMS, "+212612345678")
    queue(absence)
    pump.streams.clear()  # no relay: the message below is the only one
    at(monkeypatch, casablanca_at(-1, 23))
    client("sqs").send_message(QueueUrl=notify_url(), MessageBody=json.dumps({"id": absence.id}))
    pump.drain()
    assert sent() == []
    assert record(absence.id).status is NotificationStatus.QUEUED
    assert record(absence.id).failure_reason == "quiet_hours"
    [held] = queue_messages(notify_url())
    assert held["body"]["deferrals"] == 1 and held["delay_seconds"] >= 890


def test_quiet_hours_can_be_turned_off(
    app: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_settings(monkeypatch, QUIET_HOURS="off")
    queue(notification("absence_unjustified", Channel.SMS, "+212612345678"))
    at(monkeypatch, casablanca_at(0, 0))  # inside the usual quiet hours
    pump.drain()
    assert len(sent("sms")) == 1


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_batch_over_the_rate_sends_its_share_and_spaces_the_rest(
    app: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr("chalicelib.notifications.delivery._monotonic", clock)
    # 4 SMS a second for the whole account, at most 2 invocations at once: 2 each.
    use_settings(monkeypatch, NOTIFY_SMS_RATE="4", NOTIFY_MAX_CONCURRENCY="2")
    queue(*(notification(channel=Channel.SMS, recipient=f"+2126123456{i:02d}") for i in range(10)))
    pump.drain()  # the clock does not move: one second's share only
    assert len(sent("sms")) == 2
    waiting = sorted(m["delay_seconds"] for m in queue_messages(notify_url()))
    assert waiting == [1, 1, 2, 2, 3, 3, 4, 4]  # spaced at 2 a second, not all at once
    clock.now += 10
    make_visible(notify_url())
    pump.drain()
    assert len(sent("sms")) == 4  # a burst of at most one second's share at a time
    for _ in range(5):
        clock.now += 1
        make_visible(notify_url())
        pump.drain()
    assert len(sent("sms")) == 10
    assert len({m["to"] for m in sent("sms")}) == 10


def test_email_and_sms_have_their_own_budgets(
    app: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("chalicelib.notifications.delivery._monotonic", FakeClock())
    use_settings(
        monkeypatch, NOTIFY_SMS_RATE="1", NOTIFY_EMAIL_RATE="3", NOTIFY_MAX_CONCURRENCY="1"
    )
    queue(*(notification(channel=Channel.SMS, recipient=f"+2126123456{i:02d}") for i in range(4)))
    queue(*(notification(recipient=f"p{i}@example.ma") for i in range(5)))
    pump.drain()
    assert len(sent("sms")) == 1 and len(sent("email")) == 3


def test_the_rate_budget_never_passes_its_rate() -> None:
    from chalicelib.notifications.delivery import RateBudget

    clock = FakeClock()
    budget = RateBudget(5.0, clock)
    sends = deferred = 0
    per_second: dict[int, int] = {}
    for step in range(1000):  # 10 simulated seconds, a message every 10 ms
        clock.now = 1000.0 + step / 100
        if budget.available():
            budget.take()
            sends += 1
            per_second[int(clock.now)] = per_second.get(int(clock.now), 0) + 1
        else:
            assert 1 <= budget.defer_seconds() <= 900
            deferred += 1
    assert sends == 5 * 10 and max(per_second.values()) == 5  # never more in any second
    assert deferred == 1000 - sends


def test_a_fractional_share_rounds_down_so_the_sum_never_passes_the_rate() -> None:
    from chalicelib.notifications.delivery import RateBudget

    assert RateBudget(14 / 10).cap == 1  # 10 containers x 1 <= 14 a second
    assert RateBudget(20 / 10).cap == 2
    assert RateBudget(0.5).cap == 1  # at least one, or nothing would ever be sent


def test_the_budget_is_split_between_concurrent_invocations(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.notifications.delivery import budget_for

    use_settings(
        monkeypatch, NOTIFY_EMAIL_RATE="50", NOTIFY_SMS_RATE="0", NOTIFY_MAX_CONCURRENCY="10"
    )
    email_budget = budget_for(Channel.EMAIL)
    assert email_budget is not None and email_budget.rate == 5.0
    assert budget_for(Channel.SMS) is None  # 0: no limit (the dev stage)
