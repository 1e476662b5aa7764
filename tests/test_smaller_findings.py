"""The smaller findings of issue 13 (finding 9): forgot-password answers take the same
time whether a message is sent, the audit cursor pages only its own account, and a
recovery password that was not sent in time is never sent and leaves the outbox.
(The current-password limit is in test_account_takeover.py, the letters' S3 rule in
test_infra.py.)"""

from __future__ import annotations

import statistics
import time
from typing import Any

from chalicelib.core.throttling import RateLimit
from tests.account_fixtures import PARENT_CIN
from tests.conftest import Api
from tests.test_accounts_lifecycle import activated_parent, login, outbox_for


def test_forgot_password_takes_the_same_time_whether_it_sends(api: Api, monkeypatch: Any) -> None:
    from chalicelib.accounts import recovery as accounts
    from chalicelib.core.config import reset_settings

    monkeypatch.setenv("ARGON2_MEMORY_KIB", "47104")  # production's hashing cost
    # A floor above the slower path even on a loaded machine (a stage sets it the same way,
    # above its slowest path): both answers then wait for it.
    monkeypatch.setenv("RECOVERY_FLOOR_MS", "800")
    reset_settings()
    for name in ("RECOVERIES_PER_ACCOUNT", "RECOVERIES_PER_CONTACT", "RECOVERIES_PER_SOURCE"):
        monkeypatch.setattr(accounts, name, RateLimit(getattr(accounts, name).name, 100))
    activated_parent(api)
    cases = {
        "match": {"username": PARENT_CIN, "channel": "email", "contact": "hassan@example.ma"},
        "wrong contact": {"username": PARENT_CIN, "channel": "email", "contact": "x@example.ma"},
    }
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(7):
        for name, body in cases.items():
            started = time.perf_counter()
            assert api.post("/v1/auth/password/forgot", body).status_code == 202
            timings[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(t) for name, t in timings.items()}
    # The same within 5 % (the sending path writes four more items: ~20 ms before).
    assert abs(medians["match"] - medians["wrong contact"]) < 0.05 * medians["match"], medians


def test_an_audit_cursor_pages_only_its_own_account(api: Api, ops_token: str) -> None:
    activated_parent(api)
    for _ in range(3):
        login(api, PARENT_CIN, "wrong-password-1!")
    page = api.get(f"/v1/accounts/{PARENT_CIN}/audit?limit=1", token=ops_token).json_body
    assert page["next_cursor"]
    from chalicelib.accounts.sign_in.service import bootstrap_ops_account

    bootstrap_ops_account("ops.second", "Ops-password-2026!")
    other = api.get(
        f"/v1/accounts/ops.second/audit?limit=1&cursor={page['next_cursor']}", token=ops_token
    )
    assert other.status_code == 422
    assert other.json_body["error"]["fields"] == {"cursor": "invalid"}


def test_a_recovery_password_not_sent_in_time_is_never_sent(
    api: Api, pump: Any, monkeypatch: Any
) -> None:
    from chalicelib.notifications import delivery as notifications

    activated_parent(api)
    api.post(
        "/v1/auth/password/forgot",
        {"username": PARENT_CIN, "channel": "email", "contact": "hassan@example.ma"},
    )
    [item] = [i for i in outbox_for("hassan@example.ma") if i.template == "recovery_password"]
    secret = item.secret_params.as_dict()["recovery_password"]  # type: ignore[union-attr]
    # The unsent item expires from the table with the secret (DynamoDB TTL).
    assert item.expires_at is not None
    assert item.expires_at.timestamp() <= time.time() + 600 + 3600 + 5
    later = notifications.now().timestamp() + 601
    from datetime import UTC, datetime

    monkeypatch.setattr(notifications, "now", lambda: datetime.fromtimestamp(later, UTC))
    pump.drain()
    from devserver.outbox import sent_messages

    assert not [m for m in sent_messages() if secret in m["body"]]
    record = outbox_for("hassan@example.ma")
    [expired] = [i for i in record if i.template == "recovery_password"]
    assert expired.status == "failed" and expired.failure_reason == "secret_expired"
    assert not expired.secret_params
