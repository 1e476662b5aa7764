"""The requests of the two national peaks, driven in process under moto, each charged in
capacity units (`bench.capacity_units`) and timed.

- Campaign opening: the form's reads (`GET /v1/campaigns/current`, `GET /v1/schools`), the
  submission (`POST /v1/registrations` with an Idempotency-Key, as parents send it, with
  the container's campaign cache cold and warm), following it with its tracking code, and
  what the registrations stream's handler (`count_registrations`) then writes per batch.
- Results day: sign in, `GET /v1/me` (the web app's shell asks it first), the semester's
  marks and the year's results of the demo pupil, as filed by the demo and with a full
  year of marks.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from unittest import mock

from bench.capacity_units import Recording, recording_units
from bench.dynamodb_calls import ScenarioFailed, World, open_world

AREA_SCHOOLS = 30  # primary schools serving the busy area the form lists (a city district)
FULL_YEAR_SUBJECTS = 10
FULL_YEAR_TESTS = 4  # per subject and semester
TIMED_SUBMISSIONS = 12
TIMED_VIEWS = 20
TIMED_SIGN_INS = 6
PARENT = ("AB123456", "Parent-demo-2026!")
CHILD = "J130012345"
CHILD_SCHOOL, CHILD_CLASS, CHILD_LEVEL = "CL4501", "1AC-1", "1AC"


@dataclass
class Measured:
    """One request kind: its charged units (one request) and its timings (several)."""

    name: str
    route: str
    recording: Recording
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    aws: list[float] = field(default_factory=list)  # seconds inside botocore (moto)
    aws_cpu: list[float] = field(default_factory=list)  # CPU seconds inside botocore


@dataclass
class StreamBatch:
    records: int
    applications: int
    recording: Recording


@dataclass
class Runs:
    opening: dict[str, Measured] = field(default_factory=dict)
    results_day: dict[str, Measured] = field(default_factory=dict)
    batches: list[StreamBatch] = field(default_factory=list)
    # The outbox side of the receipts: each run of the relay and of the deliver handler.
    handlers: list[tuple[str, int, Recording]] = field(default_factory=list)
    marks: dict[str, int] = field(default_factory=dict)  # profile → marks in the year
    authorizer_seconds: list[float] = field(default_factory=list)  # one token check each


# --- Timing --------------------------------------------------------------------------


def _timed(measured: Measured, count: int, send: Callable[[int], object]) -> None:
    """`count` requests through the handler: wall, CPU and time inside botocore each."""
    from botocore.client import BaseClient

    inside = [0.0, 0.0]
    real = BaseClient._make_api_call

    def timed(client: Any, operation: str, params: Any) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return real(client, operation, params)
        finally:
            inside[0] += time.perf_counter() - started
            inside[1] += time.process_time() - cpu

    with mock.patch.object(BaseClient, "_make_api_call", timed):
        for n in range(count):
            wall, cpu, (aws, aws_cpu) = time.perf_counter(), time.process_time(), inside
            send(n)
            measured.wall.append(time.perf_counter() - wall)
            measured.cpu.append(time.process_time() - cpu)
            measured.aws.append(inside[0] - aws)
            measured.aws_cpu.append(inside[1] - aws_cpu)


def _http(
    world: World,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> Any:
    sent = {"Content-Type": "application/json", **(headers or {})}
    raw = b"" if body is None else json.dumps(body).encode()
    answer = world.client.http.request(method, path, headers=sent, body=raw)
    if answer.status_code != expect:
        raise ScenarioFailed(
            f"{method} {path} answered {answer.status_code} (expected {expect}): "
            f"{answer.body[:300]!r}{world.logged()}"
        )
    return json.loads(answer.body) if answer.body else None


def _getter(world: World, path: str, headers: dict[str, str]) -> Callable[..., Any]:
    def get(*_: object) -> Any:
        return _http(world, "GET", path, headers=headers)

    return get


def _charged(name: str, route: str, send: Callable[[], Any]) -> tuple[Measured, Any]:
    with recording_units() as recording:
        result = send()
    return Measured(name, route, recording), result


# --- Campaign opening ----------------------------------------------------------------


def _spread_schools(world: World, ops: str) -> list[str]:
    """One primary school in each région (academy), in its first province's first commune,
    so that a stream batch carries applications of every academy (uncounted set-up)."""
    from chalicelib.schools.places.rules import index

    places = index()
    codes = []
    regions = sorted(c for c, p in places.places.items() if p.kind == "region")
    for n, region in enumerate(regions):
        province = places.provinces_of[region][0]
        commune = places.communes_of[province][0]
        code = f"EP{1001 + n}"
        world.request(
            "POST",
            "/v1/schools",
            {
                "code": code,
                "name_ar": f"مدرسة {n}",
                "name_fr": f"École publique {n}",
                "cycle": "primary",
                "sector": "public",
                "academy": region,
                "province": province,
                "commune": commune,
                "catchment": [commune],
            },
            token=ops,
            expect=201,
        )
        codes.append(code)
    return codes


def _area_schools(world: World, ops: str, area: str) -> None:
    for n in range(AREA_SCHOOLS - 1):  # EP0001 serves it already
        world.request(
            "POST",
            "/v1/schools",
            {
                "code": f"EP{2001 + n}",
                "name_ar": f"مدرسة الحي {n}",
                "name_fr": f"École du quartier {n}",
                "cycle": "primary",
                "sector": "public",
                "academy": "06",
                "province": "06.141",
                "commune": area,
                "catchment": [area],
            },
            token=ops,
            expect=201,
        )


def _submit(world: World, n: int, school: str, commune: str) -> dict[str, Any]:
    from bench.registration import application

    body = application(n, school_code=school, commune=commune)
    answer: dict[str, Any] = _http(
        world, "POST", "/v1/registrations", body, {"Idempotency-Key": f"cap-{n}"}, 201
    )
    return answer


def opening(runs: Runs) -> None:
    from bench.registration import ANFA, SCHOOL, _prepare
    from chalicelib.registration.campaigns.store import forget_campaigns

    with open_world() as world:
        tokens = _prepare(world)
        _area_schools(world, tokens["ops"], ANFA)
        spread = _spread_schools(world, tokens["ops"])
        communes = {code: _http(world, "GET", f"/v1/schools/{code}")["commune"] for code in spread}
        world.pump.drain()
        _submit(world, 90_000, SCHOOL, ANFA)  # warm: first use of every model and client
        world.pump.drain()
        found = runs.opening
        forget_campaigns()
        found["campaign_cold"], _ = _charged(
            "the open campaign, cache cold",
            "GET /v1/campaigns/current",
            lambda: _http(world, "GET", "/v1/campaigns/current"),
        )
        found["campaign"], _ = _charged(
            "the open campaign",
            "GET /v1/campaigns/current",
            lambda: _http(world, "GET", "/v1/campaigns/current"),
        )
        schools_path = f"/v1/schools?commune={ANFA}&cycle=primary"
        found["schools"], listed = _charged(
            f"schools serving an area ({AREA_SCHOOLS})",
            "GET /v1/schools?commune=",
            lambda: _http(world, "GET", schools_path),
        )
        if len(listed["items"]) != AREA_SCHOOLS:
            raise ScenarioFailed(f"the area lists {len(listed['items'])} schools")
        forget_campaigns()
        found["submit_cold"], _ = _charged(
            "submit, campaign cache cold",
            "POST /v1/registrations",
            lambda: _submit(world, 90_001, SCHOOL, ANFA),
        )
        found["submit"], made = _charged(
            "submit", "POST /v1/registrations", lambda: _submit(world, 90_002, SCHOOL, ANFA)
        )
        code = made["tracking_code"]
        found["track"], _ = _charged(
            "follow with the tracking code",
            "POST /v1/registrations/track",
            lambda: _http(world, "POST", "/v1/registrations/track", {"tracking_code": code}),
        )
        _stream_batches(world, runs, spread, communes)
        _time_opening(world, found, schools_path, code)


def _stream_batches(world: World, runs: Runs, schools: list[str], communes: dict[str, str]) -> None:
    """A batch of new applications from every academy, through `count_registrations`."""
    world.pump.drain()
    count = 33  # 3 stream records each (application, child guard, tracking guard): 99
    for n in range(count):
        school = schools[n % len(schools)]
        _submit(world, 80_000 + n, school, communes[school])
    invoke = world.pump._invoke

    def charged(name: str, event: dict[str, Any]) -> Any:
        with recording_units() as recording:
            result = invoke(name, event)
        if name == "count_registrations":
            records = event.get("Records", [])
            new = sum(
                1
                for r in records
                if r.get("eventName") == "INSERT"
                and "status" in r.get("dynamodb", {}).get("NewImage", {})
            )
            runs.batches.append(StreamBatch(len(records), new, recording))
        else:
            runs.handlers.append((name, len(event.get("Records", [])), recording))
        return result

    with mock.patch.object(world.pump, "_invoke", charged):
        world.pump.drain()
    if not runs.batches:
        raise ScenarioFailed("count_registrations never ran")


def _time_opening(world: World, found: dict[str, Measured], schools_path: str, code: str) -> None:
    from bench.registration import ANFA, SCHOOL

    _timed(found["campaign"], TIMED_VIEWS, lambda n: _http(world, "GET", "/v1/campaigns/current"))
    _timed(found["schools"], TIMED_VIEWS, lambda n: _http(world, "GET", schools_path))
    _timed(found["submit"], TIMED_SUBMISSIONS, lambda n: _submit(world, 70_000 + n, SCHOOL, ANFA))
    _timed(
        found["track"],
        TIMED_VIEWS,
        lambda n: _http(world, "POST", "/v1/registrations/track", {"tracking_code": code}),
    )


# --- Results day ---------------------------------------------------------------------


def _full_year(year: str) -> int:
    """Give the demo pupil a full year of marks: FULL_YEAR_SUBJECTS subjects, each with
    FULL_YEAR_TESTS tests per semester (uncounted set-up, through the marks service)."""
    from chalicelib.accounts.audit.rules import Origin
    from chalicelib.accounts.rules import Role, Scope
    from chalicelib.accounts.sign_in.tokens import Principal
    from chalicelib.school_life.marks import service as marks
    from devserver.demo_space import SUBJECTS

    staff = Principal("dir.capacity", Role.STAFF, Scope(school_code=CHILD_SCHOOL))
    subjects = [
        {"level": CHILD_LEVEL, "subject": s, "name_ar": ar, "name_fr": fr, "coefficient": c}
        for s, ar, fr, c in SUBJECTS
    ]
    subjects += [
        {
            "level": CHILD_LEVEL,
            "subject": f"subject{n}",
            "name_ar": f"مادة {n}",
            "name_fr": f"Matière {n}",
            "coefficient": 2,
        }
        for n in range(FULL_YEAR_SUBJECTS - len(SUBJECTS))
    ]
    marks.replace_subjects(staff, CHILD_SCHOOL, subjects)
    start = date(int(year[:4]), 9, 15)
    written = 0
    for semester in (1, 2):
        for subject in subjects:
            for test in range(FULL_YEAR_TESTS):
                day = start + timedelta(days=(semester - 1) * 150 + test * 30)
                made = marks.create_assessment(
                    staff,
                    CHILD_SCHOOL,
                    CHILD_CLASS,
                    {
                        "subject": subject["subject"],
                        "kind": "continuous",
                        "date": day.isoformat(),
                        "semester": semester,
                        "school_year": year,
                    },
                )
                mark = f"{10 + (written % 9)}.{25 * (written % 4)}"
                marks.put_marks(
                    staff, Origin("capacity"), made["id"], [{"massar_code": CHILD, "mark": mark}]
                )
                written += 1
    return written


def _demo_marks() -> int:
    from devserver.demo_space import CHILDREN

    return sum(
        len(values)
        for *_, massar, marks in CHILDREN
        if massar == CHILD
        for values in marks.values()
    )


def _time_authorizer(runs: Runs, token: str) -> None:
    """The gateway's authorizer checks the token's signature and expiry (no database)."""
    from chalicelib.accounts.sign_in.tokens import verify_access_token_claims

    for _ in range(TIMED_VIEWS * 10):
        started = time.perf_counter()
        verify_access_token_claims(token)
        runs.authorizer_seconds.append(time.perf_counter() - started)


def results_day(runs: Runs) -> None:
    from chalicelib.registration.campaigns.service import today
    from devserver.demo import load_demo_data
    from devserver.demo_space import school_year_of

    with open_world() as world:
        day = today()
        load_demo_data(day)
        year = school_year_of(day)
        found = runs.results_day
        credentials = {"username": PARENT[0], "password": PARENT[1]}
        found["login"], signed = _charged(
            "sign in",
            "POST /v1/auth/login",
            lambda: _http(world, "POST", "/v1/auth/login", credentials),
        )
        auth = {"Authorization": f"Bearer {signed['access_token']}"}
        _time_authorizer(runs, signed["access_token"])
        grades = f"/v1/students/{CHILD}/grades?school_year={year}&semester=1"
        results = f"/v1/students/{CHILD}/results?school_year={year}"
        found["me"], _ = _charged(
            "the account and its children",
            "GET /v1/me",
            lambda: _http(world, "GET", "/v1/me", headers=auth),
        )
        views = {
            "grades": ("marks of the semester", grades),
            "results": ("results of the year", results),
        }
        runs.marks["demo"] = _demo_marks()
        for name, (label, path) in views.items():
            found[f"{name}_demo"], _ = _charged(
                f"{label} (demo pupil, {runs.marks['demo']} marks)",
                path.split("?")[0].replace(CHILD, "{massar}"),
                _getter(world, path, auth),
            )
        runs.marks["full"] = runs.marks["demo"] + _full_year(year)
        for name, (label, path) in views.items():
            found[name], _ = _charged(
                f"{label} (a full year, {runs.marks['full']} marks)",
                path.split("?")[0].replace(CHILD, "{massar}"),
                _getter(world, path, auth),
            )
            _timed(found[name], TIMED_VIEWS, _getter(world, path, auth))
        _timed(found["me"], TIMED_VIEWS, lambda n: _http(world, "GET", "/v1/me", headers=auth))
        _timed(
            found["login"],
            TIMED_SIGN_INS,
            lambda n: _http(world, "POST", "/v1/auth/login", credentials),
        )


def run_all() -> Runs:
    runs = Runs()
    opening(runs)
    results_day(runs)
    return runs
