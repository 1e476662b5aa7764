"""The parents' and pupils' space on results day: DynamoDB calls per view, handler
throughput of the grades view, and what a visit costs."""

from __future__ import annotations

import json
import os
import statistics
import time
from datetime import date

from bench.aws_calls import DYNAMODB, breakdown, recording_aws_calls
from bench.registry import Section

PARENT = ("AB123456", "Parent-demo-2026!")
CHILD = "J130012345"
THROUGHPUT_REQUESTS = 300

# List prices used for the capacity note (USD; on-demand, eu-west-3 is within a few per cent).
PRICE_PER_MILLION_READ_UNITS = 0.1483
PRICE_PER_MILLION_WRITE_UNITS = 0.7415
PRICE_PER_GB_SECOND = 0.0000166667
PRICE_PER_MILLION_LAMBDA_REQUESTS = 0.20
PRICE_PER_MILLION_API_CALLS = 3.50  # REST API, first tier
LAMBDA_GB = 1.0


def _views(year: str) -> list[tuple[str, str]]:
    base = f"/v1/students/{CHILD}"
    return [
        ("marks of a semester", f"{base}/grades?school_year={year}&semester=1"),
        ("results of the year", f"{base}/results?school_year={year}"),
        ("absences", f"{base}/absences"),
        ("timetable", f"{base}/timetable"),
        ("exam calendar", f"{base}/exams"),
    ]


def _goal(count: int) -> str:
    if count <= 1:
        return "≤ 1 Query: met"
    return "not met: the pupil's class is read, then the class's grid"


def run() -> Section:
    from chalice.test import Client
    from moto import mock_aws

    from chalicelib.core.config import reset_settings
    from devserver.demo_space import school_year_of

    saved = dict(os.environ)
    failures: list[str] = []
    rows = []
    try:
        with mock_aws():
            from devserver.stage import apply_stage_environment

            apply_stage_environment("dev")
            reset_settings()
            from app import app
            from chalicelib.accounts.sign_in.service import bootstrap_ops_account
            from devserver.demo import load_demo_data
            from devserver.resources import create_local_resources

            create_local_resources()
            bootstrap_ops_account("bench.ops", "bench-ops-password-2026")
            today = date.today()  # noqa: DTZ011 - the demo data's own notion of today
            load_demo_data(today)
            year = school_year_of(today)
            with Client(app, stage_name="dev") as client:
                headers = {"Content-Type": "application/json"}
                login = client.http.post(
                    "/v1/auth/login",
                    headers=headers,
                    body=json.dumps({"username": PARENT[0], "password": PARENT[1]}),
                )
                token = json.loads(login.body)["access_token"]
                auth = {**headers, "Authorization": f"Bearer {token}"}
                for name, path in _views(year):
                    with recording_aws_calls() as calls:
                        answer = client.http.get(path, headers=auth)
                    if answer.status_code != 200:
                        failures.append(f"{name}: {answer.status_code} {answer.body[:200]!r}")
                    operations = calls.of(DYNAMODB)
                    rows.append((name, path.split("?")[0], len(operations), breakdown(operations)))
                grades_path = _views(year)[0][1]
                client.http.get(grades_path, headers=auth)  # warm
                durations = []
                cpu = time.process_time()
                for _ in range(THROUGHPUT_REQUESTS):
                    started = time.perf_counter()
                    client.http.get(grades_path, headers=auth)
                    durations.append(time.perf_counter() - started)
                cpu = time.process_time() - cpu
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_settings()
    per_second = THROUGHPUT_REQUESTS / cpu if cpu else 0.0
    median_ms = statistics.median(durations) * 1000 if durations else 0.0
    table = "\n".join(
        f"| {name} | `GET {path}` | {count} | {ops} | {_goal(count)} |"
        for name, path, count, ops in rows
    )
    # A results-day visit: sign in (BatchGetItem of ≤ 2 accounts + 2 counters, strongly
    # consistent: ~4 read units; session PutItem: 1 write unit), marks of the semester and the
    # year's results (two Queries of a few small items, eventually consistent: ~0.5 unit each).
    read_units = 4 + 0.5 + 0.5
    write_units = 1
    requests = 3  # login, grades, results
    lambda_ms = requests * median_ms
    visits = 5_000_000
    cost_dynamodb = (
        visits
        * (read_units * PRICE_PER_MILLION_READ_UNITS + write_units * PRICE_PER_MILLION_WRITE_UNITS)
        / 1e6
    )
    cost_lambda = visits * (
        lambda_ms / 1000 * LAMBDA_GB * PRICE_PER_GB_SECOND
        + requests * PRICE_PER_MILLION_LAMBDA_REQUESTS / 1e6
    )
    cost_api = visits * requests * PRICE_PER_MILLION_API_CALLS / 1e6
    body = f"""
The demo parent's child, signed in as the parent (the access check reads nothing: the
parent's children travel in the access token; staff are checked against the items' school).

| view | route | DynamoDB calls | breakdown | goal |
|---|---|---:|---|---|
{table}

Grades view through the handler (chalice.test.Client, moto in process, one thread):
**{per_second:.0f} requests per CPU-second** (median {median_ms:.1f} ms a request, moto
included — DynamoDB itself answers in a few ms).

**Capacity note (results day).** A visit = sign in + marks of the semester + results of the
year: about {read_units:g} read units and {write_units} write unit in DynamoDB, {requests}
API calls, and about {lambda_ms:.0f} ms of a 1 GB Lambda at the speed measured here (argon2id
adds ~50–80 ms to the sign-in on Lambda). For **5 million visits**: DynamoDB
≈ **${cost_dynamodb:,.0f}**, Lambda ≈ **${cost_lambda:,.0f}**, API Gateway ≈
**${cost_api:,.0f}** (on-demand list prices: ${PRICE_PER_MILLION_READ_UNITS}/M read units,
${PRICE_PER_MILLION_WRITE_UNITS}/M write units, ${PRICE_PER_GB_SECOND}/GB-s,
${PRICE_PER_MILLION_API_CALLS}/M REST calls). The marks live in each pupil's partition, so
load spreads over millions of keys; pre-warm the tables (warm throughput) and raise the
API's and Lambda's concurrency quotas a day before.
"""
    return Section("Parents' and pupils' space: views, throughput, capacity", body, failures)
