"""Justifications (issue 6): a linked parent sends one (text, photo through a presigned
POST); staff of the school accept it (the absence shows justified) or refuse it (the view
shows the refusal and its reason)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.space_absences_fixtures import PUPIL, record, seed_class, token

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 200


@pytest.fixture
def absence(api: Any) -> str:
    seed_class()
    answer = record(api)
    assert answer.status_code == 200, answer.body
    return str(answer.json_body["absences"][0]["id"])


def justify(api: Any, absence_id: str, caller: str = "a linked parent", **body: Any) -> Any:
    return api.post(
        f"/v1/students/{PUPIL}/absences/{absence_id}/justification",
        {"text": "Rendez-vous médical", **body},
        token=token(caller),
    )


def decide(
    api: Any, absence_id: str, verdict: str, caller: str = "staff of the school", **body: Any
) -> Any:
    return api.post(f"/v1/absences/{absence_id}/justification/{verdict}", body, token=token(caller))


def view(api: Any) -> dict[str, Any]:
    answer = api.get(f"/v1/students/{PUPIL}/absences", token=token("a linked parent"))
    assert answer.status_code == 200, answer.body
    [item] = answer.json_body["items"]
    return dict(item)


def upload(api: Any, content: bytes) -> str:
    import requests

    form = api.post(f"/v1/students/{PUPIL}/justification-photos", token=token("a linked parent"))
    assert form.status_code == 201, form.body
    sent = requests.post(
        form.json_body["url"],
        data=form.json_body["fields"],
        files={"file": ("note.jpg", content, "image/jpeg")},
        timeout=5,
    )
    assert sent.status_code in (200, 201, 204)
    return str(form.json_body["photo_key"])


def test_an_accepted_justification_makes_the_absence_justified(api: Any, absence: str) -> None:
    sent = justify(api, absence)
    assert sent.status_code == 201, sent.body
    pending = view(api)
    assert pending["justified"] is False
    assert pending["justification"]["status"] == "pending"
    assert pending["justification"]["text"] == "Rendez-vous médical"

    accepted = decide(api, absence, "accept")
    assert accepted.status_code == 200, accepted.body
    shown = view(api)
    assert shown["justified"] is True
    assert shown["justification"]["status"] == "accepted"
    # Decided once: a second decision is a conflict.
    assert decide(api, absence, "refuse").status_code == 409
    # Justified: nothing more to send.
    assert justify(api, absence).status_code == 409


def test_a_refused_justification_shows_the_reason_and_may_be_sent_again(
    api: Any, absence: str
) -> None:
    assert justify(api, absence).status_code == 201
    assert justify(api, absence).status_code == 409  # one awaiting a decision at a time
    refused = decide(api, absence, "refuse", reason="Pas de certificat")
    assert refused.status_code == 200, refused.body
    shown = view(api)
    assert shown["justified"] is False
    assert shown["justification"]["status"] == "refused"
    assert shown["justification"]["decision_reason"] == "Pas de certificat"

    again = justify(api, absence, text="Certificat joint")
    assert again.status_code == 201, again.body
    assert view(api)["justification"] == {
        "status": "pending",
        "text": "Certificat joint",
        "has_photo": False,
        "sent_at": again.json_body["justification"]["sent_at"],
    }


def test_a_photo_goes_through_a_presigned_post_and_is_checked(api: Any, absence: str) -> None:
    bad = justify(api, absence, photo_key=upload(api, b"GIF89a" + b"\x00" * 100))
    assert bad.status_code == 422
    assert "photo_key" in bad.json_body["error"]["fields"]
    foreign = justify(api, absence, photo_key="photos/0123456789abcdef")
    assert foreign.status_code == 422
    good = justify(api, absence, photo_key=upload(api, JPEG))
    assert good.status_code == 201, good.body
    shown = view(api)["justification"]
    assert shown["has_photo"] is True
    import requests

    photo = requests.get(shown["photo_url"], timeout=5)
    assert photo.status_code == 200 and photo.content == JPEG


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("the pupil", 403),
        ("a parent of another child", 404),
        ("staff of the school", 403),
        ("staff of another school", 404),
        ("an operator", 404),
    ],
)
def test_only_a_linked_parent_justifies(api: Any, absence: str, caller: str, status: int) -> None:
    assert justify(api, absence, caller).status_code == status
    form = api.post(f"/v1/students/{PUPIL}/justification-photos", token=token(caller))
    assert form.status_code == status
    assert "justification" not in view(api)


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("the pupil", 403),
        ("a linked parent", 403),
        ("staff of another school", 404),
        ("an operator", 403),
    ],
)
def test_only_staff_of_the_school_decide(api: Any, absence: str, caller: str, status: int) -> None:
    assert justify(api, absence).status_code == 201
    assert decide(api, absence, "accept", caller).status_code == status
    assert api.post(f"/v1/absences/{absence}/justification/accept", {}).status_code == 401
    assert view(api)["justification"]["status"] == "pending"


def test_unknown_or_mangled_absence_ids_are_not_found(api: Any, absence: str) -> None:
    assert justify(api, "bm90LWFuLWlk").status_code == 404
    assert justify(api, "%%%").status_code == 404
    assert decide(api, "bm90LWFuLWlk", "accept").status_code == 404
    assert decide(api, absence[:-2], "accept").status_code == 404
    # Nothing to decide before a justification was sent.
    assert decide(api, absence, "accept").status_code == 409
