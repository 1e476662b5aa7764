"""Knowing a child's birth certificate is not enough to block the child (issue 13, finding
5): another family's application is taken and shown to the school as a conflict, a
rejection frees the child, only one application is approved, and the same family applying
twice is still `duplicate_application`."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.registration_fixtures import application, person, ready, staff_token, submit

SQUATTER = person("رشيد", "Rachid", cin="ZZ111111", phone="0700000001", email="x@example.ma")


def fake() -> dict[str, Any]:
    return application(father=SQUATTER)


def reject(api: Api, registration_id: str) -> Any:
    return api.post(
        f"/v1/registrations/{registration_id}/reject",
        {"reason": "other", "note": "Le père n'est pas celui de l'acte."},
        token=staff_token(),
    )


def test_a_rejected_fake_frees_the_child(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    squat = submit(api, fake())
    assert squat.status_code == 201, squat.body
    assert reject(api, squat.json_body["id"]).status_code == 200
    real = submit(api, application())
    assert real.status_code == 201, real.body


def test_a_second_family_is_heard_and_the_school_decides(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    squat = submit(api, fake()).json_body
    real = submit(api, application())
    assert real.status_code == 201, real.body  # not blocked by the first
    seen = api.get(f"/v1/registrations/{real.json_body['id']}", token=staff_token()).json_body
    assert [c["id"] for c in seen["conflicts"]] == [squat["id"]]
    first = api.get(f"/v1/registrations/{squat['id']}", token=staff_token()).json_body
    assert [c["id"] for c in first["conflicts"]] == [real.json_body["id"]]
    # The parent following by tracking code sees no other family's application.
    mine = api.get(
        f"/v1/registrations/{real.json_body['id']}?tracking_code={real.json_body['tracking_code']}"
    ).json_body
    assert "conflicts" not in mine
    approved = api.post(
        f"/v1/registrations/{real.json_body['id']}/approve", {}, token=staff_token()
    )
    assert approved.status_code == 200, approved.body
    # Only one application per child is ever approved.
    second = api.post(f"/v1/registrations/{squat['id']}/approve", {}, token=staff_token())
    assert second.status_code == 409
    assert second.json_body["error"]["code"] == "duplicate_application"
    assert reject(api, squat["id"]).status_code == 200
    # And the approved child takes no new application.
    assert submit(api, fake()).json_body["error"]["code"] == "duplicate_application"


def test_the_same_family_applying_twice_is_a_duplicate(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    assert submit(api, application()).status_code == 201
    again = submit(api, application())
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "duplicate_application"
