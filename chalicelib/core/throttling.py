"""Brute-force defence (ASVS 2.2.1): growing delays after repeated failures, a hard cap per
hour, and limits per source, all as pure arithmetic on counters the store keeps."""

from __future__ import annotations

from dataclasses import dataclass

HOUR = 3600


@dataclass(frozen=True)
class FailureLimits:
    free_failures: int = 5  # failures before any delay
    first_delay_seconds: int = 30  # then 30 s, 60 s, 120 s, ... doubling
    max_delay_seconds: int = 900
    per_hour: int = 100  # never more failures than this in an hour, whatever the delays


@dataclass(frozen=True)
class FailureState:
    count: int = 0  # failures in the current window
    window_start: int = 0  # epoch seconds
    locked_until: int = 0


def in_window(state: FailureState, now: int) -> FailureState:
    """The state as it stands at `now`: an hour-old window starts afresh."""
    if now - state.window_start >= HOUR:
        return FailureState(0, now, state.locked_until)
    return state


def after_failure(state: FailureState, now: int, limits: FailureLimits) -> FailureState:
    current = in_window(state, now)
    count = current.count + 1
    locked_until = current.locked_until
    if count >= limits.free_failures:
        delay = limits.first_delay_seconds * 2 ** (count - limits.free_failures)
        locked_until = now + min(delay, limits.max_delay_seconds)
    if count >= limits.per_hour:
        locked_until = max(locked_until, current.window_start + HOUR)
    return FailureState(count, current.window_start, locked_until)


def retry_after(state: FailureState, now: int) -> int | None:
    """Seconds to wait before the next attempt, or None when an attempt may be made now."""
    return state.locked_until - now if state.locked_until > now else None


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` events per hour for one key (a source address, an account...)."""

    name: str
    limit: int

    def key(self, subject: str, now: int) -> str:
        return f"{self.name}#{subject}#{now // HOUR}"

    @staticmethod
    def seconds_left_in_hour(now: int) -> int:
        return HOUR - now % HOUR


SIGN_IN_FAILURES_PER_SOURCE = RateLimit("signin-src", 300)
# Past that, the source is "hot": each username it tries gets one failure, then 30 s, 60 s…
# (counted per source and username, so the owner signing in elsewhere is not slowed).
HOT_SOURCE_LIMITS = FailureLimits(free_failures=1)
RECOVERIES_PER_ACCOUNT = RateLimit("recovery-acct", 3)
RECOVERIES_PER_CONTACT = RateLimit("recovery-contact", 3)
RECOVERIES_PER_SOURCE = RateLimit("recovery-src", 10)
# Contact changes asked (each sends a code to the new address or number) per account.
CONTACT_CHANGES_PER_ACCOUNT = RateLimit("contact-change-acct", 5)
# A signed-in caller retyping the current password (contact or password change): a stolen
# session must not become a way to guess the password. Counted per account, apart from the
# sign-in counters, so a session thief cannot lock the owner out of signing in.
REAUTH_LIMITS = FailureLimits(free_failures=5, first_delay_seconds=60, per_hour=20)
# Anonymous applications (POST /v1/registrations) per source address and hour.
SUBMISSIONS_PER_SOURCE = RateLimit("submit-src", 100)
# Tracking codes typed alone (59 bits each): wrong ones per source address and hour. Right
# ones are not counted, so parents behind one carrier address are not locked out.
TRACKING_MISSES_PER_SOURCE = RateLimit("track-miss-src", 30)


def hot_source_failure_key(source_ip: str, account_key: str) -> str:
    return f"signin-hot#{source_ip}#{account_key}"


def reauth_failure_key(username: str) -> str:
    return f"reauth#{username}"


def sign_in_failure_key(account_key: str) -> str:
    """Failures are counted per typed username, whether or not such an account exists, so a
    lock-out never tells an attacker which usernames are real."""
    return f"signin#{account_key}"
