"""`make run`'s server over real HTTP: health, the bootstrap operator, the whole event path
to /dev/outbox, gateway-level errors in the API's envelope, and a clean stop."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from devserver.harness import Http, running_devserver

ROOT = Path(__file__).resolve().parent.parent
USERNAME = "ops.e2e"
PASSWORD = "E2e-operator-pass-2026"


@pytest.fixture(scope="module")
def devserver() -> Iterator[tuple[Http, subprocess.Popen[str]]]:
    env = {"MASSAR_BOOTSTRAP_USERNAME": USERNAME, "MASSAR_BOOTSTRAP_PASSWORD": PASSWORD}
    with running_devserver(env) as running:
        yield running


def test_health_over_http(devserver: tuple[Http, Any]) -> None:
    http, _ = devserver
    status, headers, body = http.call("GET", "/v1/health")
    assert (status, body) == (200, {"status": "ok"})
    assert headers["X-Request-Id"]


def test_the_bootstrap_operator_signs_in_and_a_notification_reaches_the_outbox(
    devserver: tuple[Http, Any],
) -> None:
    http, _ = devserver
    status, _, signed_in = http.call(
        "POST", "/v1/auth/login", {"username": USERNAME, "password": PASSWORD}
    )
    assert status == 200, signed_in
    assert signed_in["account"] == {"username": USERNAME, "role": "ops", "status": "active"}
    status, _, created = http.call(
        "POST",
        "/v1/staff",
        {
            "username": "dir.e2e",
            "school_code": "SC0042",
            "first_name": "Youssef",
            "last_name": "Amrani",
            "email": "youssef@example.ma",
        },
        token=signed_in["access_token"],
    )
    assert status == 201, created
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        messages = http.call("GET", "/dev/outbox")[2]["messages"]
        mine = [m for m in messages if m["to"] == "youssef@example.ma"]
        if mine:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the notification never reached /dev/outbox")
    [email] = mine
    assert email["channel"] == "email"
    assert email["subject"] == "Votre compte Massar"
    assert "Identifiant : dir.e2e" in email["body"]
    assert email["sent_at"]


def test_gateway_errors_use_the_envelope(devserver: tuple[Http, Any]) -> None:
    http, _ = devserver
    status, _, body = http.call("GET", "/v1/no-such-route")
    assert status == 404
    assert body["error"]["code"] == "not_found"
    status, _, body = http.call("POST", "/v1/staff", {"username": "x"})
    assert status == 401
    assert body["error"]["code"] == "not_signed_in"
    status, headers, body = http.call("PUT", "/v1/auth/login", {})
    assert status == 405
    assert headers["Allow"] == "POST"


def test_methods_the_api_does_not_have_are_405_in_the_envelope(
    devserver: tuple[Http, Any],
) -> None:
    """Issue 13: TRACE, CONNECT or any other word answered 501 in HTML."""
    http, _ = devserver
    for method, path, allow in [
        ("TRACE", "/v1/health", "GET"),
        ("TRACE", "/v1/auth/login", "POST"),
        ("PROPFIND", "/v1/schools/EP0007", "GET, PUT"),
        ("TRACE", "/", "GET, HEAD"),
        ("TRACE", "/dev/outbox", "GET"),
    ]:
        status, headers, body = http.call(method, path, {"a": 1})
        assert status == 405, (method, path, body)
        assert headers["Allow"] == allow, (method, path)
        assert body["error"]["code"] == "method_not_allowed"
    status, _, body = http.call("TRACE", "/v1/no-such-route")
    assert (status, body["error"]["code"]) == (404, "not_found")
    assert http.call("GET", "/v1/health")[0] == 200  # the connection's next request


def test_bodies_not_sent_as_json_and_deep_nesting_are_refused_over_http(
    devserver: tuple[Http, Any],
) -> None:
    """Issue 13: what a web page can send cross-site without a preflight (text/plain, form)
    was read as JSON; 2,000 levels of nesting answered 500."""
    http, _ = devserver
    login = {"username": USERNAME, "password": PASSWORD}
    for label in ("text/plain", "application/x-www-form-urlencoded"):
        status, _, body = http.call(
            "POST", "/v1/auth/login", login, headers={"Content-Type": label}
        )
        assert (status, body["error"]["code"]) == (415, "unsupported_media_type")
    import json
    import urllib.error
    import urllib.request

    deep = urllib.request.Request(
        http.base + "/v1/auth/login",
        data=b"[" * 2000 + b"]" * 2000,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(deep, timeout=10)
        raise AssertionError("2,000 levels of nesting were accepted")
    except urllib.error.HTTPError as error:
        status, body = error.code, json.loads(error.read())
    assert (status, body["error"]["code"]) == (400, "too_deeply_nested")


def test_the_demo_parent_sees_both_childrens_school_life(devserver: tuple[Http, Any]) -> None:
    """Issue 6: a parent of two children in different schools sees marks, results,
    absences, timetable and exams."""
    from devserver.demo_space import school_year_of

    http, _ = devserver
    status, _, signed_in = http.call(
        "POST", "/v1/auth/login", {"username": "AB123456", "password": "Parent-demo-2026!"}
    )
    assert status == 200, signed_in
    token = signed_in["access_token"]
    status, _, me = http.call("GET", "/v1/me", token=token)
    children = {c["massar_code"]: c for c in me["children"]}
    assert set(children) == {"J130012345", "K140000001"}
    assert {c["school_code"] for c in children.values()} == {"CL4501", "EP0007"}
    year = school_year_of(__import__("datetime").date.today())
    for massar in children:
        base = f"/v1/students/{massar}"
        status, _, grades = http.call(
            "GET", f"{base}/grades?school_year={year}&semester=1", token=token
        )
        assert status == 200, grades
        assert len(grades["subjects"]) == 3 and grades["average"]
        status, _, results = http.call("GET", f"{base}/results?school_year={year}", token=token)
        assert status == 200, results
        status, _, absences = http.call("GET", f"{base}/absences", token=token)
        assert (
            status == 200
            and len(absences["items"] if isinstance(absences, dict) else absences) == 2
        )
        status, _, week = http.call("GET", f"{base}/timetable", token=token)
        assert status == 200, week
        status, _, exams = http.call("GET", f"{base}/exams", token=token)
        assert status == 200, exams


def test_after_refused_requests_the_next_notification_is_delivered_once(
    devserver: tuple[Http, Any],
) -> None:
    """Issue 13: a request whose DynamoDB transaction is cancelled (moto then restores the
    outbox table, its stream included, from a copy) stalled `make run`'s event path."""
    from bench.registration import application
    from chalicelib.core.throttling import RECOVERIES_PER_ACCOUNT
    from devserver.demo import PRIMARY

    http, _ = devserver
    ops = http.token(USERNAME, PASSWORD)
    body = application(7, school_code=PRIMARY.code, commune=PRIMARY.commune, born=_demo_birth())
    body["father"]["email"] = "pere.stall@example.ma"
    status, _, created = http.call("POST", "/v1/registrations", body)
    assert status == 201, created
    http.wait_for_message("pere.stall@example.ma")
    # The same child again: the submission's transaction is cancelled.
    status, _, refused = http.call("POST", "/v1/registrations", body)
    assert (status, refused["error"]["code"]) == (409, "duplicate_application")
    # A throttled attempt: a recovery past the account's hourly limit is refused by its
    # transaction's condition on the counter.
    recovery = {"username": "dir.ep0007", "channel": "email", "contact": "dir.ep0007@example.ma"}
    for _ in range(RECOVERIES_PER_ACCOUNT.limit):
        assert http.call("POST", "/v1/auth/password/forgot", recovery)[0] == 202
    assert http.call("POST", "/v1/auth/password/forgot", recovery)[0] in (202, 429)
    # Other refusals: a username taken (the account's transaction), a wrong password.
    staff = {
        "username": "dir.stall",
        "school_code": PRIMARY.code,
        "first_name": "Nadia",
        "last_name": "Berrada",
        "email": "nadia.stall@example.ma",
    }
    assert http.call("POST", "/v1/staff", staff, token=ops)[0] == 201
    taken = {**staff, "email": "other.stall@example.ma"}
    assert http.call("POST", "/v1/staff", taken, token=ops)[0] == 409
    wrong = {"username": "dir.ep0007", "password": "not-the-password-2026"}
    assert http.call("POST", "/v1/auth/login", wrong)[0] == 401
    # The next notification after all that.
    after = {**staff, "username": "dir.after", "email": "after.stall@example.ma"}
    assert http.call("POST", "/v1/staff", after, token=ops)[0] == 201
    http.wait_for_message("after.stall@example.ma", "Identifiant : dir.after")
    time.sleep(2)  # ten more pump passes: nothing read again is handed over twice
    messages = http.outbox()
    sent_to = [m["to"] for m in messages]
    assert sent_to.count("after.stall@example.ma") == 1
    assert sent_to.count("nadia.stall@example.ma") == 1
    assert sent_to.count("other.stall@example.ma") == 0
    assert sent_to.count("pere.stall@example.ma") == 1
    assert sent_to.count("dir.ep0007@example.ma") == RECOVERIES_PER_ACCOUNT.limit
    ids = [m["notification_id"] for m in messages if m.get("notification_id")]
    assert len(ids) == len(set(ids))


def test_with_an_outside_emulator_the_outbox_says_it_is_off(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: with AWS_ENDPOINT_URL the outbox read this process's empty moto and
    answered an empty list, as if nothing had been sent."""
    import threading

    from devserver.harness import free_port
    from devserver.server import make_server

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    port = free_port()
    server = make_server(app, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, _, body = Http(f"http://127.0.0.1:{port}").call("GET", "/dev/outbox")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 503
    assert body["error"]["code"] == "outbox_off"
    assert "AWS_ENDPOINT_URL" in body["error"]["message"]


def _demo_birth() -> date:
    """A birth date inside the demo campaign's window (devserver.demo)."""
    from chalicelib.registration.campaigns.service import today as casablanca_today

    today = casablanca_today()
    year = today.year if today.month >= 9 else today.year - 1
    return date(year - 5, 5, 10)


# Last: it stops the module's devserver.
def test_ctrl_c_stops_it_cleanly(devserver: tuple[Http, subprocess.Popen[str]]) -> None:
    _, process = devserver
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0
    output = process.stdout.read() if process.stdout else ""
    assert "devserver stopped" in output
    assert f"ops account: {USERNAME}" in output
