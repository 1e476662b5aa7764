"""The whole journey over HTTP under moto: school, campaign, application, tracking,
the director's decision, the pupil record and the notifications."""

from __future__ import annotations

from typing import Any

from chalicelib.core.models import OutboxModel
from chalicelib.core.store import bound
from tests.conftest import Api
from tests.registration_fixtures import (
    SCHOOL,
    SCHOOL_YEAR,
    application,
    ready,
    staff_token,
    submit,
)


def outbox() -> list[OutboxModel]:
    return sorted(bound(OutboxModel).scan(), key=lambda i: (i.template, i.channel))


def test_apply_track_approve(api: Api, ops_token: str, pump: Any) -> None:
    ready(api, ops_token)
    answer = submit(api)
    assert answer.status_code == 201, answer.body
    created = answer.json_body
    assert created["status"] == "submitted"
    assert created["checks"] == {"age_eligible": True, "in_catchment": True}
    tracking = created["tracking_code"]

    seen = api.get(f"/v1/registrations/{created['id']}?tracking_code={tracking}")
    assert seen.status_code == 200, seen.body
    assert seen.json_body["status"] == "submitted"
    assert "application" not in seen.json_body

    director = staff_token()
    listed = api.get(f"/v1/schools/{SCHOOL}/registrations", token=director)
    assert listed.status_code == 200, listed.body
    assert [r["id"] for r in listed.json_body["items"]] == [created["id"]]

    approved = api.post(f"/v1/registrations/{created['id']}/approve", token=director)
    assert approved.status_code == 200, approved.body
    massar = approved.json_body["massar_code"]
    assert approved.json_body["status"] == "approved"

    seen = api.get(f"/v1/registrations/{created['id']}?tracking_code={tracking}").json_body
    assert seen["status"] == "approved" and seen["massar_code"] == massar

    items = outbox()
    assert [(i.template, i.channel) for i in items] == [
        ("registration_approved", "email"),
        ("registration_approved", "sms"),
        ("registration_receipt", "email"),
        ("registration_receipt", "sms"),
    ]
    pump.drain()  # the dashboard counts from the registrations stream
    board = api.get(
        f"/v1/dashboard/registrations?school_year={SCHOOL_YEAR}&scope=national", token=ops_token
    )
    assert board.status_code == 200, board.body
    assert board.json_body["counts"] == {"submitted": 0, "approved": 1, "rejected": 0, "total": 1}
    _ = application, Any


def test_the_guardian_and_the_school_see_what_became_of_each_message(
    api: Api, ops_token: str, pump: Any
) -> None:
    ready(api, ops_token)
    created = submit(api).json_body
    director = staff_token()
    api.post(f"/v1/registrations/{created['id']}/reject", {"reason": "under_age"}, token=director)
    url = f"/v1/registrations/{created['id']}?tracking_code={created['tracking_code']}"
    before = api.get(url).json_body["notifications"]
    assert {(n["template"], n["channel"], n["status"]) for n in before} == {
        ("registration_receipt", "email", "pending"),
        ("registration_receipt", "sms", "pending"),
        ("registration_rejected", "email", "pending"),
        ("registration_rejected", "sms", "pending"),
    }
    pump.drain()
    after = api.get(url).json_body["notifications"]
    assert {n["status"] for n in after} == {"sent"}
    rejected_sms = next(
        n for n in after if n["template"] == "registration_rejected" and n["channel"] == "sms"
    )
    assert rejected_sms["summary"]
    arabic = api.get(url, headers={"Accept-Language": "ar"}).json_body["notifications"]
    assert arabic[0]["summary"] != after[0]["summary"]
    staff_view = api.get(f"/v1/registrations/{created['id']}", token=director).json_body
    assert len(staff_view["notifications"]) == 4
