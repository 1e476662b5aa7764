"""Results day of a national exam (issue 17): a candidate's result read through the handler
(chalice.test.Client, moto in process), its DynamoDB calls and capacity units
(`bench.capacity_units`), reads per CPU-second, and what 10,000 result reads a second for
10 minutes cost and ask of DynamoDB, Lambda and API Gateway."""

from __future__ import annotations

import base64
import json
import math
import os
import statistics
import time
from datetime import timedelta
from typing import Any
from unittest import mock

from bench.registry import Section
from bench.space import (
    LAMBDA_GB,
    PRICE_PER_GB_SECOND,
    PRICE_PER_MILLION_API_CALLS,
    PRICE_PER_MILLION_LAMBDA_REQUESTS,
    PRICE_PER_MILLION_READ_UNITS,
    PRICE_PER_MILLION_WRITE_UNITS,
)

CANDIDATES = 200
THROUGHPUT_REQUESTS = 500
READS_PER_SECOND = 10_000
PEAK_SECONDS = 10 * 60
PARTITION_READS = 3_000  # read units a second one DynamoDB partition serves
SCHOOL = "LY0401"
TRACKS = ("SM", "PC", "SVT", "SE", "LSH")
SUBJECTS = (
    ("MATH", "الرياضيات", "Mathématiques"),
    ("PHYS", "الفيزياء والكيمياء", "Physique-chimie"),
    ("SVT", "علوم الحياة والأرض", "Sciences de la vie et de la Terre"),
    ("PHILO", "الفلسفة", "Philosophie"),
    ("ANG", "اللغة الإنجليزية", "Anglais"),
)


def _massar(n: int) -> str:
    return f"R{140000000 + n:09d}"


def _calendar() -> list[dict[str, str]]:
    """Five subjects a track over three days: a realistic item size."""
    slots = []
    for track in TRACKS:
        for i, (code, name_ar, name_fr) in enumerate(SUBJECTS):
            slots.append(
                {
                    "track": track,
                    "subject": code,
                    "name_ar": name_ar,
                    "name_fr": name_fr,
                    "date": f"2026-06-{10 + i // 2:02d}",
                    "starts_at": "08:30" if i % 2 == 0 else "14:30",
                    "ends_at": "11:30" if i % 2 == 0 else "17:30",
                }
            )
    return slots


def _seed() -> None:
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from chalicelib.pupils.rules import PupilRecord
    from chalicelib.schools.rules import SchoolData
    from chalicelib.schools.store import save_school

    save_school(
        SchoolData(
            code=SCHOOL,
            name_ar="ثانوية الحسن الثاني",
            name_fr="Lycée Hassan II",
            cycle="high",
            sector="public",
            academy="04",
            province="04.441",
            commune="04.441.01.09",
        ),
        None,
        create_only=True,
    )
    for start in range(0, CANDIDATES, 25):
        transaction = Transaction()
        for n in range(start, min(start + 25, CANDIDATES)):
            data = {
                "school_code": SCHOOL,
                "enrolment_status": "enrolled",
                "first_name_ar": "أمينة",
                "last_name_ar": "العلوي",
                "first_name_lat": "Amina",
                "last_name_lat": "El Alaoui",
                "level": "2BAC",
            }
            pupils.put_record(transaction, PupilRecord(_massar(n), data, {}), None)
        transaction.commit()


def _csv(lines: list[str]) -> str:
    return base64.b64encode(("\n".join(lines) + "\n").encode()).decode()


def _token(role: Any, username: str, **scope: str) -> str:
    from chalicelib.accounts.rules import Account, AccountStatus, Scope
    from chalicelib.accounts.sign_in.tokens import issue_access_token

    return issue_access_token(Account(username, role, AccountStatus.ACTIVE, Scope(**scope)))


def _publish(client: Any, ops: str) -> tuple[str, list[str]]:
    """The session, its candidates and results through the API; the failures found."""
    from chalicelib.core.clock import now

    failures: list[str] = []
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {ops}"}
    body = {
        "kind": "national",
        "school_year": "2025-2026",
        "level": "2BAC",
        "name_ar": "الامتحان الوطني الموحد للبكالوريا",
        "name_fr": "Examen national du baccalauréat",
        "results_at": (now() + timedelta(hours=1)).isoformat(),
        "subjects": _calendar(),
    }
    answer = client.http.post("/v1/exam-sessions", headers=headers, body=json.dumps(body))
    if answer.status_code != 201:
        return "", [f"publish: {answer.status_code} {answer.body[:200]!r}"]
    session = json.loads(answer.body)["id"]
    header = "massar_code,track,centre_code,centre_name_ar,centre_name_fr,candidate_number"
    rows = [
        f"{_massar(n)},{TRACKS[n % 5]},CE0401,مركز الحسن الثاني,Centre Hassan II,{400000 + n}"
        for n in range(CANDIDATES)
    ]
    results = [f"{_massar(n)},{10 + n % 10}.50,admitted," for n in range(CANDIDATES)]
    for what, lines in (
        ("candidates", [header, *rows]),
        ("results", ["massar_code,average,decision,mention", *results]),
    ):
        payload = json.dumps({"format": "csv", "content_base64": _csv(lines)})
        answer = client.http.post(
            f"/v1/exam-sessions/{session}/{what}", headers=headers, body=payload
        )
        report = json.loads(answer.body)
        if answer.status_code != 200 or report.get("created") != CANDIDATES:
            failures.append(f"{what}: {answer.status_code} {answer.body[:200]!r}")
    return session, failures


def _measure(client: Any, session: str) -> dict[str, Any]:
    from bench.capacity_units import recording_units
    from chalicelib.accounts.rules import Role

    pupil = _massar(7)
    auth = {"Authorization": f"Bearer {_token(Role.STUDENT, pupil)}"}
    path = f"/v1/students/{pupil}/exams/national/{session}/result"
    with recording_units() as one:
        answer = client.http.get(path, headers=auth)
    measured: dict[str, Any] = {
        "status": answer.status_code,
        "cache": answer.headers.get("Cache-Control", ""),
        "operations": list(one.operations),
        "read_units": one.units("read"),
        "bytes": len(answer.body),
    }
    paths = [
        f"/v1/students/{_massar(n % CANDIDATES)}/exams/national/{session}/result"
        for n in range(THROUGHPUT_REQUESTS)
    ]
    tokens = [
        {"Authorization": f"Bearer {_token(Role.STUDENT, _massar(n % CANDIDATES))}"}
        for n in range(THROUGHPUT_REQUESTS)
    ]
    client.http.get(path, headers=auth)  # warm
    durations = []
    with recording_units() as many:
        cpu = time.process_time()
        for request_path, headers in zip(paths, tokens, strict=True):
            started = time.perf_counter()
            client.http.get(request_path, headers=headers)
            durations.append(time.perf_counter() - started)
        cpu = time.process_time() - cpu
    measured["per_cpu_second"] = THROUGHPUT_REQUESTS / cpu if cpu else 0.0
    measured["median_ms"] = statistics.median(durations) * 1000
    # The handler's own time: the wall time less the emulator's (moto stands for DynamoDB).
    handler = (sum(durations) - many.aws_seconds) / THROUGHPUT_REQUESTS
    measured["handler_ms"] = max(handler, 0.0) * 1000
    measured["units_per_read"] = many.units("read") / THROUGHPUT_REQUESTS
    return measured


def run() -> Section:
    from chalice.test import Client
    from moto import mock_aws

    from chalicelib.core.config import reset_settings

    saved = dict(os.environ)
    failures: list[str] = []
    measured: dict[str, Any] = {}
    try:
        with mock_aws():
            from devserver.stage import apply_stage_environment

            apply_stage_environment("dev")
            reset_settings()
            from app import app
            from chalicelib.accounts.rules import Role
            from chalicelib.core import clock
            from devserver.resources import create_local_resources

            create_local_resources()
            _seed()
            with Client(app, stage_name="dev") as client:
                session, failures = _publish(client, _token(Role.OPS, "bench.ops"))
                later = clock.now() + timedelta(hours=2)
                # Results day: results_at has passed.
                with mock.patch("chalicelib.exams.service.now", lambda: later):
                    measured = _measure(client, session) if session else {}
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_settings()
    if not measured:
        return Section(TITLE, "not measured", failures)
    if measured["status"] != 200 or measured["operations"] != ["GetItem"]:
        failures.append(f"one read per result: {measured['status']} {measured['operations']}")
    return Section(TITLE, _body(measured), failures)


TITLE = "Exams: results day (10,000 result reads a second)"


def _body(m: dict[str, Any]) -> str:
    reads = READS_PER_SECOND * PEAK_SECONDS
    units = m["units_per_read"]
    read_units_per_second = READS_PER_SECOND * units
    dynamodb = reads * units * PRICE_PER_MILLION_READ_UNITS / 1e6
    lambda_seconds = m["handler_ms"] / 1000
    lambda_cost = reads * (
        lambda_seconds * LAMBDA_GB * PRICE_PER_GB_SECOND + PRICE_PER_MILLION_LAMBDA_REQUESTS / 1e6
    )
    api = reads * PRICE_PER_MILLION_API_CALLS / 1e6
    # Concurrency (Little's law) with DynamoDB's ~5 ms per GetItem added to the handler.
    concurrency = math.ceil(READS_PER_SECOND * (lambda_seconds + 0.005))
    handler_per_core = 1000 / m["handler_ms"] if m["handler_ms"] else 0.0
    cores = math.ceil(READS_PER_SECOND / handler_per_core) if handler_per_core else 0
    quota = "within the default 1,000" if concurrency < 1000 else f"raise it above {concurrency:,}"
    write_note = PRICE_PER_MILLION_WRITE_UNITS  # imports: 1 WRU per candidate item (< 1 KB)
    return f"""
A national session of {CANDIDATES} candidates (5 tracks, 5 subjects each), published,
its candidates and results imported through the API, then read by the candidates
themselves after `results_at` (`GET /v1/students/{{massar}}/exams/national/{{session}}/result`,
a pupil's token: the access check reads nothing).

| measure | value |
|---|---:|
| DynamoDB calls per result read | {len(m["operations"])} (`{", ".join(m["operations"])}`) |
| read units per result read | {units:g} (one eventually consistent GetItem of a ≤ 4 KB item) |
| answer | {m["status"]}, {m["bytes"]} bytes, `Cache-Control: {m["cache"]}` |
| reads per CPU-second, handler + moto in process | **{m["per_cpu_second"]:.0f}** |
| median time a read (moto included) | {m["median_ms"]:.1f} ms |
| handler time a read (emulator's time taken out) | {m["handler_ms"]:.1f} ms |
| reads per second per core, the handler alone | **{handler_per_core:.0f}** |

**10,000 reads a second for 10 minutes** ({reads:,} reads):
DynamoDB {read_units_per_second:,.0f} RRU/s on the pupils table ≈ **${dynamodb:,.2f}**
(on-demand, ${PRICE_PER_MILLION_READ_UNITS}/M RRU); Lambda about {concurrency:,} concurrent
executions of 1 GB (handler time + ~5 ms of DynamoDB), ≈ **${lambda_cost:,.2f}**; API
Gateway ≈ **${api:,.2f}** (${PRICE_PER_MILLION_API_CALLS}/M REST calls) — the gateway is
most of the bill. At this machine's speed the handler alone needs about {cores} cores.
Every read lands on its own pupil's partition (`PUPIL#<massar>`): no partition comes near
{PARTITION_READS:,} RRU/s unless one pupil is read thousands of times a second. The answer
is `private, max-age=3600`, so a family refreshing the page is served by its own browser.
What to do before the day: pre-warm the pupils table to ≥ {read_units_per_second:,.0f}
RRU/s (warm throughput; a new on-demand table starts at 12,000 RRU/s); Lambda's
concurrency quota: {quota}; raise the API Gateway account throttle above 10,000
requests/s (its default is exactly 10,000); sign-ins (argon2id) are the heavier part of a
results-day visit (`capacity` section). Imports write 1 WRU per candidate and per result
(items under 1 KB; ${write_note}/M WRU).
"""
