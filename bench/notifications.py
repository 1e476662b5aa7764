"""Notifications: how many one core renders and hands to SES/SNS per second, and how long a
burst of 100,000 queued notifications takes to drain at the configured rates.

Throughput (one process, one thread, so per core): every template in both languages with
its longest realistic values (chalicelib/notifications/samples.py), round-robin.
- render: `templates.render` only (SMS: GSM-7 spelling, part counting; email: text + HTML).
- render + hand over: `senders.send(render(n))`, the real code down to botocore (request
  serialization, SigV4 signing, response parsing, the MIME build for email), with the
  HTTP exchange replaced by a canned answer at botocore's `before-send` hook: what the
  Lambda's CPU spends per message, without the network.
- whole deliver path under moto: the deliver handler's `deliver_messages` on batches of
  10 (claim, render, send, mark sent), every AWS call answered by moto in process: moto's
  own cost is included, so this is a floor.

Drain (simulated clock, no sleeping): N Lambda containers (the SQS event source's
MaximumConcurrency) poll batches of 10 from a simulated queue; each message goes through
the real `admit` (quiet hours, then the container's `RateBudget`, the channel's rate split
between the containers); admitted messages take the provider's latency, the others are
sent back with the delay `RateBudget.defer_seconds` gives (SQS caps it at 900 s). Rates and
concurrency are the prod stage's (.chalice/config.json). Reported: time until the last
send, the busiest second per channel (must not pass the rate), and receives per message
(the SQS and Lambda cost of waiting in the queue instead of sleeping).
"""

from __future__ import annotations

import heapq
import itertools
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.registry import Section

BURST = 100_000
RENDER_SECONDS = 1.5
SEND_SECONDS = 1.5
MOTO_MESSAGES = 300
# Provider latency per call as seen from a Lambda in the same region (typical p50s).
SES_LATENCY = 0.060
SNS_LATENCY = 0.080
DYNAMODB_LATENCY = 0.016  # claim + mark sent: two conditional writes
REQUEUE_LATENCY = 0.015  # one SendMessageBatch for a batch's deferred messages
BATCH = 10


def _samples() -> list[Any]:
    from chalicelib.notifications.rules import Channel, Language, Notification
    from chalicelib.notifications.samples import longest_params
    from chalicelib.notifications.templates import TEMPLATES

    found = []
    for name in sorted(TEMPLATES):
        for language in Language:
            params, secrets = longest_params(name, language)
            for channel in Channel:
                to = "parent@example.ma" if channel is Channel.EMAIL else "+212612345678"
                found.append(
                    Notification("n-" + name, name, channel, to, language, params, secrets)
                )
    return found


def _rate(work: Callable[[Any], Any], items: list[Any], seconds: float) -> float:
    for item in items:  # warm-up: lazy imports, caches
        work(item)
    done = 0
    cycle = itertools.cycle(items)
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for _ in range(50):
            work(next(cycle))
        done += 50
    return done / (time.perf_counter() - started)


@contextmanager
def _stage(stage: str) -> Iterator[dict[str, str]]:
    from chalicelib.core.aws_clients import forget_clients
    from chalicelib.core.config import reset_settings
    from devserver.stage import apply_stage_environment, stage_environment

    saved = dict(os.environ)
    try:
        for key in stage_environment(stage):
            os.environ.pop(key, None)
        apply_stage_environment(stage)
        reset_settings()
        yield stage_environment(stage)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_settings()
        forget_clients()


def _canned_clients() -> Callable[[str], Any]:
    """sesv2/sns clients whose HTTP exchange is a canned success (botocore still
    serializes, signs and parses)."""
    import boto3
    from botocore.awsrequest import AWSResponse

    class Raw:
        def __init__(self, body: bytes) -> None:
            self.body = body

        def stream(self, **kwargs: Any) -> Iterator[bytes]:
            yield self.body

        def read(self, *args: Any, **kwargs: Any) -> bytes:
            return self.body

    answers = {
        "sesv2": (b'{"MessageId":"0102-bench"}', {"Content-Type": "application/json"}),
        "sns": (
            b"<PublishResponse><PublishResult><MessageId>bench</MessageId></PublishResult>"
            b"<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>",
            {"Content-Type": "text/xml"},
        ),
    }
    clients: dict[str, Any] = {}
    for service, (body, headers) in answers.items():
        made = boto3.session.Session().client(service, region_name="eu-west-3")

        def canned(
            request: Any, body: bytes = body, headers: dict[str, str] = headers, **_: Any
        ) -> Any:
            return AWSResponse(request.url, 200, headers, Raw(body))

        made.meta.events.register("before-send", canned)
        clients[service] = made
    return lambda service: clients[service]


def _throughput() -> list[tuple[str, float]]:
    from unittest import mock

    from chalicelib.notifications import senders
    from chalicelib.notifications.rules import Channel
    from chalicelib.notifications.templates import render

    items = _samples()
    emails = [n for n in items if n.channel is Channel.EMAIL]
    sms = [n for n in items if n.channel is Channel.SMS]
    rows = [
        ("render, email (text + HTML)", _rate(render, emails, RENDER_SECONDS)),
        ("render, SMS (GSM-7, parts)", _rate(render, sms, RENDER_SECONDS)),
    ]
    with _stage("prod"), mock.patch.object(senders, "client", _canned_clients()):
        rows.append(
            (
                "render + hand to SES (MIME, botocore, canned HTTP answer)",
                _rate(lambda n: senders.send(render(n)), emails, SEND_SECONDS),
            )
        )
        rows.append(
            (
                "render + hand to SNS (botocore, canned HTTP answer)",
                _rate(lambda n: senders.send(render(n)), sms, SEND_SECONDS),
            )
        )
    rows.append(("whole deliver path under moto (claim, render, send, mark)", _moto_deliver()))
    return rows


def _moto_deliver() -> float:
    import uuid

    from moto import mock_aws

    from chalicelib.notifications.delivery import QueueMessage, SqsMessage, deliver_messages
    from chalicelib.notifications.rules import Notification
    from chalicelib.notifications.store import put_notification
    from devserver.resources import create_local_resources

    samples = _samples()
    with _stage("dev"), mock_aws():
        create_local_resources()
        ids = []
        for n in range(MOTO_MESSAGES):
            base = samples[n % len(samples)]
            note = Notification(
                uuid.uuid4().hex,
                base.template,
                base.channel,
                base.recipient,
                base.language,
                base.params,
                base.secret_params,
            )
            put_notification(note)
            ids.append((note.id, QueueMessage(note.id, note.channel, note.template).body()))
        started = time.perf_counter()
        for start in range(0, len(ids), BATCH):
            batch = [SqsMessage(f"m{i}", body) for i, body in ids[start : start + BATCH]]
            result = deliver_messages(batch)
            assert not result.retry, result
        return len(ids) / (time.perf_counter() - started)


# -- drain simulation ---------------------------------------------------------------------
@dataclass
class _Message:
    channel: Any
    template: str
    receives: int = 0
    due: int | None = None


@dataclass
class DrainResult:
    label: str
    count: int
    seconds: float
    ideal_seconds: float
    busiest: dict[str, int]
    rates: dict[str, float]
    effective: dict[str, float]
    receives_per_message: float
    invocations: int


def simulate_drain(
    label: str, counts: dict[Any, int], rates: dict[Any, float], concurrency: int
) -> DrainResult:
    """Drain `counts` messages per channel with `concurrency` containers (simulated clock)."""
    from chalicelib.notifications.delivery import RateBudget, admit
    from chalicelib.notifications.rules import Channel

    clock = [0.0]
    day = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # mid-morning: no quiet hours
    templates = {Channel.SMS: "absence_unjustified", Channel.EMAIL: "registration_approved"}
    sequence = itertools.count()
    queue: list[tuple[float, int, _Message]] = []
    for channel, count in counts.items():
        for _ in range(count):
            heapq.heappush(queue, (0.0, next(sequence), _Message(channel, templates[channel])))
    workers = [
        {
            c: RateBudget(rates[c] / concurrency, lambda: clock[0])
            for c in (Channel.EMAIL, Channel.SMS)
        }
        for _ in range(concurrency)
    ]
    free_at = [0.0] * concurrency
    sends_per_second: dict[str, Counter[int]] = {c.value: Counter() for c in Channel}
    remaining = sum(counts.values())
    receives = invocations = 0
    last_send = 0.0
    while remaining:
        worker = min(range(concurrency), key=free_at.__getitem__)
        moment = max(free_at[worker], queue[0][0])  # long polling: wait for the next message
        batch: list[_Message] = []
        while queue and queue[0][0] <= moment and len(batch) < BATCH:
            batch.append(heapq.heappop(queue)[2])
        invocations += 1
        clock[0] = moment
        deferred = []
        for message in batch:
            message.receives += 1
            receives += 1
            budget = workers[worker][message.channel]
            admission = admit(
                message.channel,
                message.template,
                day + timedelta(seconds=clock[0]),
                budget,
                message.due,
            )
            if not admission.now:
                message.due = admission.due
                deferred.append((message, admission.delay_seconds))
                continue
            budget.take()
            sends_per_second[message.channel.value][int(clock[0])] += 1
            last_send = max(last_send, clock[0])
            clock[0] += DYNAMODB_LATENCY + (
                SES_LATENCY if message.channel is Channel.EMAIL else SNS_LATENCY
            )
            remaining -= 1
        if deferred:
            clock[0] += REQUEUE_LATENCY
            for message, delay in deferred:
                heapq.heappush(queue, (clock[0] + delay, next(sequence), message))
        free_at[worker] = clock[0]
    # What the containers may send together: each its whole part of the rate per second.
    effective = {c: concurrency * workers[0][c].cap for c in counts}
    ideal = max(counts[c] / effective[c] for c in counts if counts[c])
    return DrainResult(
        label,
        sum(counts.values()),
        last_send,
        ideal,
        {c: max(s.values(), default=0) for c, s in sends_per_second.items() if s},
        {c.value: rates[c] for c in counts},
        {c.value: float(effective[c]) for c in counts},
        receives / sum(counts.values()),
        invocations,
    )


def _drains() -> tuple[list[DrainResult], dict[str, str]]:
    from chalicelib.notifications.rules import Channel

    with _stage("prod") as env:
        email_rate = float(env["NOTIFY_EMAIL_RATE"])
        sms_rate = float(env["NOTIFY_SMS_RATE"])
        concurrency = int(env["NOTIFY_MAX_CONCURRENCY"])
        # Quiet hours are not what is measured here (the simulated day is mid-morning).
        os.environ["QUIET_HOURS"] = "off"
        from chalicelib.core.config import reset_settings

        reset_settings()
        rates = {Channel.EMAIL: email_rate, Channel.SMS: sms_rate}
        results = [
            simulate_drain(
                "100,000 SMS", {Channel.SMS: BURST, Channel.EMAIL: 0}, rates, concurrency
            ),
            simulate_drain(
                "100,000 emails", {Channel.EMAIL: BURST, Channel.SMS: 0}, rates, concurrency
            ),
            simulate_drain(
                "100,000 mixed (50 % SMS)",
                {Channel.SMS: BURST // 2, Channel.EMAIL: BURST // 2},
                rates,
                concurrency,
            ),
        ]
    settings = {
        "NOTIFY_EMAIL_RATE": env["NOTIFY_EMAIL_RATE"],
        "NOTIFY_SMS_RATE": env["NOTIFY_SMS_RATE"],
        "NOTIFY_MAX_CONCURRENCY": env["NOTIFY_MAX_CONCURRENCY"],
    }
    return results, settings


def _duration(seconds: float) -> str:
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min {secs:02d} s" if hours else f"{minutes} min {secs:02d} s"


def run() -> Section:
    failures: list[str] = []
    rows = _throughput()
    drains, used = _drains()
    lines = [
        "One process, one thread (so: per core). Every template in both languages with its",
        "longest realistic values, round-robin; see `bench/notifications.py` for what each",
        "row includes.",
        "",
        "| work | notifications per second per core |",
        "|---|---:|",
        *(f"| {name} | {rate:,.0f} |" for name, rate in rows),
        "",
        "### Draining a burst of 100,000 queued notifications",
        "",
        "Simulated clock, the real `admit` and `RateBudget` of the deliver path; prod stage "
        f"settings: {json.dumps(used)}; provider latency {SES_LATENCY * 1000:.0f} ms (SES), "
        f"{SNS_LATENCY * 1000:.0f} ms (SNS), batches of {BATCH}. *Ideal* is the count divided "
        "by the rate the containers may use together (each container's part is rounded down to "
        "whole messages per second, so that their sum never passes the configured rate: "
        "choose NOTIFY_MAX_CONCURRENCY dividing the rates); *busiest second* is the most "
        "sends in any one second of the simulation (must not pass the rate).",
        "",
        "| burst | drained in | ideal | busiest second (rate) | receives per message | "
        "invocations |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for d in drains:
        busiest = ", ".join(
            f"{channel} {count}/s (rate {d.rates[channel]:g}/s, usable {d.effective[channel]:g}/s)"
            for channel, count in d.busiest.items()
        )
        lines.append(
            f"| {d.label} | {_duration(d.seconds)} | {_duration(d.ideal_seconds)} | {busiest} | "
            f"{d.receives_per_message:.1f} | {d.invocations:,} |"
        )
        for channel, count in d.busiest.items():
            if count > d.rates[channel]:
                failures.append(
                    f"{d.label}: {count} {channel} in one second, rate {d.rates[channel]}"
                )
        if d.seconds > d.ideal_seconds * 1.15 + 60:
            failures.append(
                f"{d.label}: drained in {d.seconds:.0f} s, ideal {d.ideal_seconds:.0f} s"
            )
    lines += [
        "",
        "Raising a rate (after AWS raised the account's SES or SMS quota) is one setting,",
        "`NOTIFY_EMAIL_RATE` / `NOTIFY_SMS_RATE`; the drain time scales with it.",
    ]
    return Section("Notifications: throughput and draining a burst", "\n".join(lines), failures)
