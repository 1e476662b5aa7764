"""No flood (issue 13, finding 2): one address or number receives a few messages an hour
whatever causes them (what goes over is marked failed, `recipient_budget`, for operators to
see), anonymous applications are limited per source, contact changes per account."""

from __future__ import annotations

from typing import Any

from chalicelib.core.throttling import RateLimit
from tests.account_fixtures import PARENT_CIN
from tests.conftest import Api
from tests.registration_fixtures import application, ready, submit
from tests.test_accounts_lifecycle import STRONG, activated_parent, login

PHONE = "+212612345678"  # the father's mobile in the fixture application


def test_twelve_applications_naming_one_phone_do_not_send_it_twelve_sms(
    api: Api, ops_token: str, pump: Any
) -> None:
    from devserver.outbox import sent_messages

    ready(api, ops_token)
    for n in range(12):
        body = application(child__birth_certificate_number=f"{1000 + n}/2020")
        assert submit(api, body).status_code == 201
    pump.drain()
    sms = [m for m in sent_messages() if m["channel"] == "sms" and m["to"] == PHONE]
    assert len(sms) == 4
    listed = api.get(f"/v1/notifications?recipient={PHONE}&limit=50", token=ops_token).json_body
    over = [n for n in listed["items"] if n.get("failure_reason") == "recipient_budget"]
    assert len(over) == 8 and all(n["status"] == "failed" for n in over)
    # An operator who decides one must go sends it anyway.
    resent = api.post(f"/v1/notifications/{over[0]['id']}/resend", {}, token=ops_token)
    assert resent.status_code in (200, 201, 202), resent.body
    pump.drain()
    assert len([m for m in sent_messages() if m["to"] == PHONE]) == 5


def test_anonymous_applications_are_limited_per_source(
    api: Api, ops_token: str, monkeypatch: Any
) -> None:
    from chalicelib.registration import tracking

    monkeypatch.setattr(tracking, "SUBMISSIONS_PER_SOURCE", RateLimit("submit-src", 2))
    ready(api, ops_token)
    for n in range(2):
        body = application(child__birth_certificate_number=f"{2000 + n}/2020")
        assert submit(api, body).status_code == 201
    refused = submit(api, application(child__birth_certificate_number="2099/2020"))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_contact_changes_are_limited_per_account(api: Api) -> None:
    activated_parent(api)
    token = login(api, PARENT_CIN, STRONG).json_body["access_token"]
    answers = [
        api.call(
            "PATCH",
            "/v1/me",
            {"phone": f"07000000{n:02d}", "current_password": STRONG},
            token=token,
        ).status_code
        for n in range(6)
    ]
    assert answers == [200] * 5 + [429]
