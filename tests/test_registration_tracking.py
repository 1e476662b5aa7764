"""Following an application with the tracking code alone (issue 15): the receipt's SMS
carries only the code. The code finds the application, typed in any case and spacing; a
wrong code is "not found"; wrong codes are rate-limited per source address, and a source
over its limit is refused even a right code (it could otherwise still test codes)."""

from __future__ import annotations

from typing import Any

from chalicelib.core.throttling import TRACKING_MISSES_PER_SOURCE
from tests.conftest import Api
from tests.registration_fixtures import ready, submit


def track(api: Api, code: str) -> Any:
    return api.post("/v1/registrations/track", {"tracking_code": code})


def test_the_code_alone_follows_the_application(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    made = submit(api).json_body
    found = track(api, made["tracking_code"])
    assert found.status_code == 200, found.body
    assert found.json_body["id"] == made["id"]
    assert found.json_body["status"] == "submitted"
    assert found.json_body.get("application") is None  # the holder's view, not the staff's
    typed = made["tracking_code"].replace("-", " ").lower()
    assert track(api, typed).json_body["id"] == made["id"]
    missing = track(api, "2222-3333-4444")
    assert missing.status_code == 404, missing.body
    assert track(api, "").status_code == 422


def test_wrong_codes_are_rate_limited_per_source(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    made = submit(api).json_body
    for _ in range(TRACKING_MISSES_PER_SOURCE.limit):
        assert track(api, "2222-3333-4444").status_code == 404
    refused = track(api, made["tracking_code"])
    assert refused.status_code == 429, refused.body
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.json_body["error"]["code"] == "too_many_attempts"
