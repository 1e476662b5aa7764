"""The lock-out arithmetic (ASVS 2.2.1), and the per-source limit over HTTP."""

from __future__ import annotations

from typing import Any

from chalicelib.core.throttling import (
    HOUR,
    FailureLimits,
    FailureState,
    after_failure,
    in_window,
    retry_after,
)
from tests.conftest import Api


def test_no_delay_for_the_first_four_failures_then_doubling() -> None:
    limits = FailureLimits()
    state, now, waits = FailureState(0, 1_000, 0), 1_000, []
    for _ in range(9):
        state = after_failure(state, now, limits)
        waits.append(retry_after(state, now) or 0)
    assert waits == [0, 0, 0, 0, 30, 60, 120, 240, 480]


def test_delays_are_capped() -> None:
    limits = FailureLimits()
    state = FailureState(20, 0, 0)
    assert retry_after(after_failure(state, 10, limits), 10) == limits.max_delay_seconds


def test_never_more_than_the_hourly_cap() -> None:
    limits = FailureLimits(free_failures=1000, per_hour=100)  # delays off: only the cap
    state, now = FailureState(0, 5_000, 0), 5_000
    for _ in range(99):
        state = after_failure(state, now, limits)
    assert retry_after(state, now) is None
    state = after_failure(state, now, limits)
    assert retry_after(state, now) == HOUR  # locked until the hour's window ends


def test_a_new_hour_starts_a_new_window() -> None:
    state = FailureState(7, 0, 0)
    assert in_window(state, HOUR).count == 0


def test_one_source_failing_on_many_usernames_is_stopped(api: Api, monkeypatch: Any) -> None:
    from chalicelib.accounts.sign_in import service as auth
    from chalicelib.core.throttling import RateLimit

    monkeypatch.setattr(auth, "SIGN_IN_FAILURES_PER_SOURCE", RateLimit("signin-src", 3))
    for n in range(3):
        body = {"username": f"ZZ00000{n}", "password": "wrong-password-1!"}
        assert api.post("/v1/auth/login", body).status_code == 401
    # Past the source's limit each username gets one failure from it, then waits (the right
    # password is never refused: tests/test_owner_lockouts.py).
    assert api.post("/v1/auth/login", {"username": "ZZ999999", "password": "x"}).status_code == 401
    stopped = api.post("/v1/auth/login", {"username": "ZZ999999", "password": "y"})
    assert stopped.status_code == 429
    assert int(stopped.headers["Retry-After"]) > 0
