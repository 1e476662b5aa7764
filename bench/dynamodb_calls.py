"""DynamoDB requests per API operation, counted while the app runs in process under moto.

Each scenario gets a fresh world (new moto state, the dev stage's resources, one ops
account, a `chalice.test.Client`), does its set-up uncounted and wraps only the operation
it measures in `world.counting()`. Event handlers are fed by the devserver's pump, and
only what runs inside a handler is counted (not the pump's own stream and queue reads).

Add a row: write `def my_operation(world: World) -> Measurement` and append
`Scenario("METHOD /path", my_operation, goal=N)` to SCENARIOS.
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.aws_calls import DYNAMODB, AwsCalls, breakdown, recording_aws_calls
from bench.registry import Section

ROOT = Path(__file__).resolve().parent.parent
OPS_USERNAME = "bench.ops"
OPS_PASSWORD = "bench-ops-password-2026"
STAFF_USERNAME = "bench.staff"
JSON_HEADERS = {"Content-Type": "application/json"}
RELAY_HANDLER = "relay_outbox"
DELIVER_HANDLER = "deliver_notifications"
APP_LOGGER = "massar"  # the Chalice app's logger and the Powertools logger share this name


class ScenarioFailed(Exception):
    def __init__(self, message: str, calls: AwsCalls | None = None) -> None:
        super().__init__(message)
        self.calls = calls


@dataclass
class Measurement:
    calls: AwsCalls
    note: str = ""


@dataclass(frozen=True)
class Invocation:
    handler: str
    records: int
    result: Any
    calls: AwsCalls

    @property
    def failed_items(self) -> list[str]:
        result = self.result if isinstance(self.result, dict) else {}
        return [str(f.get("itemIdentifier")) for f in result.get("batchItemFailures", [])]


class _LogCapture(logging.Handler):
    """Keeps the app's warnings and errors (with where an exception was raised) for the
    failure report, instead of printing JSON lines in the middle of the run."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = f"{record.levelname} {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = traceback.extract_tb(record.exc_info[2])
            if frames:
                last = frames[-1]
                where = Path(last.filename)
                if where.is_relative_to(ROOT):
                    where = where.relative_to(ROOT)
                line += (
                    f" — {type(error).__name__}: {error} at {where}:{last.lineno} in {last.name}"
                )
            else:
                line += f" — {type(error).__name__}: {error}"
        self.lines.append(line)


class World:
    def __init__(self, app: Any, client: Any, pump: Any, log: _LogCapture) -> None:
        self.app = app
        self.client = client
        self.pump = pump
        self.log = log

    def counting(self) -> AbstractContextManager[AwsCalls]:
        return recording_aws_calls()

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        expect: int = 200,
    ) -> Any:
        headers = dict(JSON_HEADERS)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        raw = b"" if body is None else json.dumps(body).encode()
        answer = self.client.http.request(method, path, headers=headers, body=raw)
        if answer.status_code != expect:
            raise ScenarioFailed(
                f"{method} {path} answered {answer.status_code} (expected {expect}): "
                f"{answer.body[:300]!r}{self.logged()}"
            )
        return json.loads(answer.body) if answer.body else None

    def login(self, username: str = OPS_USERNAME, password: str = OPS_PASSWORD) -> dict[str, Any]:
        tokens: dict[str, Any] = self.request(
            "POST", "/v1/auth/login", {"username": username, "password": password}
        )
        return tokens

    def create_staff(self, access_token: str, username: str = STAFF_USERNAME) -> None:
        self.request(
            "POST",
            "/v1/staff",
            {
                "username": username,
                "school_code": "SC1234",
                "first_name": "Amina",
                "last_name": "Bench",
                "email": f"{username}@example.ma",
            },
            token=access_token,
            expect=201,
        )

    def invocations(self, handler: str) -> list[Invocation]:
        found: list[Invocation] = self.pump.invocations
        return [i for i in found if i.handler == handler]

    def outbox_statuses(self) -> list[str]:
        """Every outbox item's status, read directly (for checks; never counted)."""
        from chalicelib.core.aws_clients import client
        from chalicelib.core.config import settings

        items = client("dynamodb").scan(TableName=settings().outbox_table)["Items"]
        return sorted(str(item.get("status", {}).get("S")) for item in items)

    def logged(self) -> str:
        if not self.log.lines:
            return ""
        return "; app log: " + " | ".join(self.log.lines[-3:])


def _counting_pump(app: Any) -> Any:
    from devserver.pump import EventPump

    class CountingPump(EventPump):
        """The devserver's pump, recording the AWS calls made inside each handler call."""

        def __init__(self, app: Any) -> None:
            super().__init__(app)
            self.invocations: list[Invocation] = []

        def _invoke(self, name: str, event: dict[str, Any]) -> Any:
            with recording_aws_calls() as calls:
                result = super()._invoke(name, event)
            self.invocations.append(Invocation(name, len(event.get("Records", [])), result, calls))
            return result

    return CountingPump(app)


@contextmanager
def open_world() -> Iterator[World]:
    from chalice.test import Client
    from moto import mock_aws

    # Imported before the log handlers are swapped: the app's logger adds its own on import.
    from app import app
    from chalicelib.accounts.sign_in.service import bootstrap_ops_account
    from devserver.resources import create_local_resources
    from devserver.stage import apply_stage_environment

    saved_environment = dict(os.environ)
    app_logger = logging.getLogger(APP_LOGGER)
    saved_handlers = list(app_logger.handlers)
    capture = _LogCapture()
    app_logger.handlers = [capture]
    try:
        os.environ["AWS_ACCOUNT_ID_ENDPOINT_MODE"] = "disabled"
        with mock_aws():
            apply_stage_environment("dev")
            create_local_resources()
            bootstrap_ops_account(OPS_USERNAME, OPS_PASSWORD)
            with Client(app, stage_name="dev", project_dir=str(ROOT)) as client:
                yield World(app, client, _counting_pump(app), capture)
    finally:
        app_logger.handlers = saved_handlers
        os.environ.clear()
        os.environ.update(saved_environment)
        from chalicelib.core.aws_clients import forget_clients
        from chalicelib.core.config import reset_settings

        reset_settings()
        forget_clients()


# --- Scenarios: set up uncounted, count only the operation -------------------------------


def health(world: World) -> Measurement:
    with world.counting() as calls:
        world.request("GET", "/v1/health")
    return Measurement(calls)


def login(world: World) -> Measurement:
    with world.counting() as calls:
        world.login()
    return Measurement(calls)


def refresh(world: World) -> Measurement:
    tokens = world.login()
    with world.counting() as calls:
        world.request("POST", "/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    return Measurement(calls)


def logout(world: World) -> Measurement:
    tokens = world.login()
    with world.counting() as calls:
        world.request(
            "POST",
            "/v1/auth/logout",
            {"refresh_token": tokens["refresh_token"]},
            token=tokens["access_token"],
            expect=204,
        )
    return Measurement(calls)


def create_staff(world: World) -> Measurement:
    tokens = world.login()
    with world.counting() as calls:
        world.create_staff(tokens["access_token"])
    return Measurement(calls)


BENCH_PASSWORD = "Bench-Cedre#2031"
BENCH_CODE = "Bk7mP9qRst"


def _seed_account(username: str, role: str, *, code: str | None, password: str | None) -> None:
    from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
    from chalicelib.accounts.store import create_account
    from chalicelib.core.secrets import hash_secret

    create_account(
        Account(
            username=username,
            role=Role(role),
            status=AccountStatus.ACTIVE if password else AccountStatus.PENDING_ACTIVATION,
            scope=Scope(school_code="SC1234"),
            password_hash=hash_secret(password) if password else None,
            initial_code_hash=hash_secret(code) if code else None,
            profile={"first_name": "Karim", "email": "parent@example.ma"},
            children=("J130099999",) if role == "parent" else (),
            massar_code="J130099999" if role == "student" else None,
        )
    )


def activate(world: World) -> Measurement:
    _seed_account("AB100000", "parent", code=BENCH_CODE, password=None)
    with world.counting() as calls:
        world.request(
            "POST",
            "/v1/auth/activate",
            {
                "username": "AB100000",
                "initial_code": BENCH_CODE,
                "new_password": BENCH_PASSWORD,
                "email": "parent@example.ma",
            },
        )
    return Measurement(calls)


def _forgot(world: World) -> None:
    world.request(
        "POST",
        "/v1/auth/password/forgot",
        {"username": "AB100000", "channel": "email", "contact": "parent@example.ma"},
        expect=202,
    )


def forgot(world: World) -> Measurement:
    _seed_account("AB100000", "parent", code=None, password=BENCH_PASSWORD)
    with world.counting() as calls:
        _forgot(world)
    return Measurement(calls, "a matching contact (the costlier path)")


def reset(world: World) -> Measurement:
    from chalicelib.core.models import OutboxModel
    from chalicelib.core.store import bound

    _seed_account("AB100000", "parent", code=None, password=BENCH_PASSWORD)
    _forgot(world)
    [item] = list(bound(OutboxModel).by_recipient.query("parent@example.ma"))
    secret: Any = item.secret_params
    recovery = str(secret.as_dict()["recovery_password"]) if secret else ""
    with world.counting() as calls:
        world.request(
            "POST",
            "/v1/auth/password/reset",
            {
                "username": "AB100000",
                "recovery_password": recovery,
                "new_password": BENCH_PASSWORD + "x",
            },
        )
    return Measurement(calls)


def notification_path(handler: str) -> Callable[[World], Measurement]:
    """One notification (a new staff account's initial code) through the whole event path;
    the calls of every run of `handler` it caused, summed."""

    def measure(world: World) -> Measurement:
        tokens = world.login()
        world.create_staff(tokens["access_token"])
        world.pump.drain()
        runs = world.invocations(handler)
        calls = AwsCalls()
        for run in runs:
            calls.extend(run.calls)
        if not runs:
            raise ScenarioFailed(f"{handler} never ran{world.logged()}", calls)
        failed = [run for run in runs if run.failed_items]
        if failed:
            raise ScenarioFailed(
                f"{handler} reported batchItemFailures in {len(failed)} of {len(runs)} "
                f"invocations{world.logged()}",
                calls,
            )
        statuses = world.outbox_statuses()
        if statuses != ["sent"]:
            raise ScenarioFailed(
                f"outbox items ended as {statuses}, expected ['sent']{world.logged()}", calls
            )
        records = sum(run.records for run in runs)
        note = f"{len(runs)} invocation(s), {records} record(s)"
        return Measurement(calls, note)

    return measure


# --- Paths whose input grows (issue 14, finding 6): at most one more call per 25 items ----

SCHOOL = "SC1234"
CLASS = "1AC-1"
GROWING = 30  # pupils in a class, messages in a thread
IMPORTED_SCHOOLS = 60
CHILDREN = 12


def _massar(n: int) -> str:
    return f"J13{n:07d}"


def _token(username: str, role: str, school: str | None = None, children: int = 0) -> str:
    from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
    from chalicelib.accounts.sign_in.tokens import issue_access_token

    kids = tuple(_massar(n) for n in range(children))
    scope = Scope(school_code=school)
    return issue_access_token(
        Account(username, Role(role), AccountStatus.ACTIVE, scope, children=kids)
    )


def _pupils(count: int) -> list[str]:
    """`count` pupils with their records in SCHOOL's class CLASS (uncounted set-up)."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from chalicelib.schools.classes import store as classes

    classes.save_class(SCHOOL, CLASS, {"label": CLASS, "level": "1AC"})
    codes = [_massar(n) for n in range(count)]
    for code in codes:
        profile: dict[str, str | None] = {
            "first_name_lat": "Amina",
            "last_name_lat": code,
            "school_code": SCHOOL,
            "class_id": CLASS,
        }
        guardians: dict[str, dict[str, str | None]] = {
            "father": {"phone": "+212612345678", "responsible": "true"}
        }
        transaction = Transaction()
        pupils.add_pupil(transaction, code, dict(profile), guardians, "AB100000", {})
        transaction.commit()
        classes.save_member(SCHOOL, CLASS, code, {"massar_code": code, "school_code": SCHOOL})
    return codes


def schools_import(world: World) -> Measurement:
    import base64

    lines = ["code,name_ar,name_fr,cycle,sector,academy,province,commune,catchment"]
    for n in range(IMPORTED_SCHOOLS):
        lines.append(
            f"EP{n:04d},مدرسة {n},École {n},primary,public,06,06.141,06.141.01.01,06.141.01.01"
        )
    content = base64.b64encode(("\n".join(lines) + "\n").encode()).decode()
    tokens = world.login()
    with world.counting() as calls:
        report = world.request(
            "POST",
            "/v1/schools/import",
            {"format": "csv", "content_base64": content},
            token=tokens["access_token"],
        )
    if report["created"] != IMPORTED_SCHOOLS:
        raise ScenarioFailed(f"created {report['created']} of {IMPORTED_SCHOOLS}", calls)
    return Measurement(calls, f"{IMPORTED_SCHOOLS} rows")


def me_with_children(world: World) -> Measurement:
    from chalicelib.accounts.store import Changes, commit, update_fields

    _pupils(CHILDREN)
    _seed_account("AB100000", "parent", code=None, password=BENCH_PASSWORD)
    children = [_massar(n) for n in range(CHILDREN)]
    commit(Changes(update=update_fields("AB100000", {"children": children})))
    token = _token("AB100000", "parent", children=CHILDREN)
    with world.counting() as calls:
        me = world.request("GET", "/v1/me", token=token)
    if len(me.get("children", [])) != CHILDREN:
        raise ScenarioFailed(f"{len(me.get('children', []))} children", calls)
    return Measurement(calls, f"a parent of {CHILDREN} children")


def message_thread(reader: str) -> Callable[[World], Measurement]:
    def measure(world: World) -> Measurement:
        (code,) = _pupils(1)
        parent = _token("AB100000", "parent", children=1)
        staff = _token("dir.sc1234", "staff", school=SCHOOL)
        url = f"/v1/students/{code}/messages"
        for n in range(GROWING):
            who = parent if n % 3 else staff
            world.request("POST", url, {"body": f"message {n}"}, token=who, expect=201)
        token = parent if reader == "parent" else staff
        with world.counting() as calls:
            world.request("GET", f"{url}?limit=50", token=token)
        return Measurement(calls, f"{GROWING} messages, first read (marks read)")

    return measure


def record_absences(world: World) -> Measurement:
    codes = _pupils(GROWING)
    staff = _token("dir.sc1234", "staff", school=SCHOOL)
    body = {
        "date": "2026-11-23",
        "session": "08:00-09:00",
        "subject": "Mathématiques",
        "absent": [{"massar_code": c, "justified": False} for c in codes],
    }
    with world.counting() as calls:
        world.request("POST", f"/v1/schools/{SCHOOL}/classes/{CLASS}/absences", body, token=staff)
    return Measurement(calls, f"{GROWING} pupils absent")


def put_class_pupils(world: World) -> Measurement:
    from chalicelib.schools.classes import store as classes

    classes.save_class(SCHOOL, "1AC-2", {"label": "1AC-2", "level": "1AC"})
    staff = _token("dir.sc1234", "staff", school=SCHOOL)
    rows = [{"massar_code": _massar(500 + n), "first_name_lat": "Eleve"} for n in range(GROWING)]
    with world.counting() as calls:
        world.request(
            "PUT", f"/v1/schools/{SCHOOL}/classes/1AC-2/pupils", {"pupils": rows}, token=staff
        )
    return Measurement(calls, f"{GROWING} pupils")


@dataclass(frozen=True)
class Scenario:
    operation: str
    measure: Callable[[World], Measurement]
    goal: int | None = None
    notes: str = ""


SCENARIOS: list[Scenario] = [
    Scenario("`GET /v1/health`", health),
    Scenario("`POST /v1/auth/login`", login, goal=2),
    Scenario("`POST /v1/auth/refresh`", refresh),
    Scenario("`POST /v1/auth/logout`", logout),
    Scenario("`POST /v1/auth/activate`", activate, notes="read, update, session"),
    Scenario("`POST /v1/auth/password/forgot`", forgot),
    Scenario("`POST /v1/auth/password/reset`", reset),
    Scenario("`POST /v1/staff`", create_staff, notes="account + outbox in one transaction"),
    Scenario(
        "relay (`relay_outbox`, outbox stream → notify queue), per notification",
        notification_path(RELAY_HANDLER),
        notes="runs on every outbox change",
    ),
    Scenario(
        "deliver (`deliver_notifications`, notify queue → SES), per notification",
        notification_path(DELIVER_HANDLER),
    ),
    Scenario(
        "`POST /v1/schools/import`",
        schools_import,
        goal=1 + -(-IMPORTED_SCHOOLS // 25),
        notes="one BatchGetItem, then up to 25 schools a transaction",
    ),
    Scenario("`GET /v1/me`", me_with_children, goal=3, notes="children in one BatchGetItem"),
    Scenario(
        "`GET /v1/students/{massar}/messages` (parent)",
        message_thread("parent"),
        goal=3,
        notes="record, state, marker in one BatchGetItem",
    ),
    Scenario("`GET /v1/students/{massar}/messages` (staff)", message_thread("staff"), goal=3),
    Scenario(
        "`POST /v1/schools/{code}/classes/{id}/absences`",
        record_absences,
        goal=3 + -(-GROWING // 25),
    ),
    Scenario(
        "`PUT /v1/schools/{code}/classes/{id}/pupils`",
        put_class_pupils,
        notes="one more transaction per 25 pupils",
    ),
]


# --- Running and reporting ---------------------------------------------------------------


@dataclass
class Row:
    scenario: Scenario
    calls: AwsCalls = field(default_factory=AwsCalls)
    note: str = ""
    failure: str | None = None


def measure(scenario: Scenario) -> Row:
    row = Row(scenario)
    try:
        with open_world() as world:
            measured = scenario.measure(world)
        row.calls, row.note = measured.calls, measured.note
    except ScenarioFailed as error:
        row.failure = str(error)
        row.calls = error.calls or AwsCalls()
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        row.failure = f"{type(error).__name__}: {error}{where}"
    return row


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _goal(row: Row) -> str:
    goal = row.scenario.goal
    if goal is None:
        return "—"
    if row.failure is not None:
        return f"≤ {goal}"
    met = len(row.calls.of(DYNAMODB)) <= goal
    return f"≤ {goal}: {'met' if met else '**not met**'}"


def table(rows: list[Row]) -> str:
    lines = [
        "| operation | DynamoDB calls | breakdown | other AWS calls | goal | notes |",
        "|---|---:|---|---|---|---|",
    ]
    for row in rows:
        dynamodb = row.calls.of(DYNAMODB)
        count = str(len(dynamodb))
        notes = [n for n in (row.note, row.scenario.notes) if n]
        if row.failure is not None:
            count = f"**FAILED** ({count} before failing)"
            notes.insert(0, "see below")
        lines.append(
            f"| {row.scenario.operation} | {count} | {breakdown(dynamodb)} "
            f"| {_cell(breakdown(row.calls.other_than(DYNAMODB)))} | {_goal(row)} "
            f"| {_cell('; '.join(notes)) or '—'} |"
        )
    return "\n".join(lines)


def run() -> Section:
    rows = [measure(scenario) for scenario in SCENARIOS]
    failures = [f"{row.scenario.operation}: {row.failure}" for row in rows if row.failure]
    body = f"""
The app runs in this process under moto (`chalice.test.Client`, dev stage); every botocore
client's `_make_api_call` is wrapped, PynamoDB's own clients included. Counts are API
operations as the code asks for them (botocore's retries inside one call are not counted
again); set-up requests (signing in first, creating the staff account that queues the
notification) are not counted. The notification rows follow one notification through
the devserver's event pump and add up every run of that handler it causes; the pump's
own stream and queue reads are not counted.

{table(rows)}
"""
    if failures:
        body += "\n### Failures\n\n" + "\n".join(f"- {_cell(f)}" for f in failures) + "\n"
    return Section("DynamoDB requests per API operation", body, failures)
