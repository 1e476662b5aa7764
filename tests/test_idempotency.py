"""Issue 13: appointments, messages, justifications and account batches ignored
`Idempotency-Key`, so a retry created a second one. Every creating POST now honours it:
the same key and body answer the first answer again (`Idempotent-Replayed: true`) and
create nothing."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

KEY = {"Idempotency-Key": "retry-1"}


def _twice(api: Api, path: str, body: dict[str, Any], token: str) -> tuple[Any, Any]:
    first = api.post(path, body, token=token, headers=KEY)
    again = api.post(path, body, token=token, headers=KEY)
    assert first.status_code in (201, 202), first.body
    assert (again.status_code, again.json_body) == (first.status_code, first.json_body)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    return first, again


def test_an_appointment_request_sent_twice_is_one_appointment(api: Api) -> None:
    from tests.space_fixtures import PUPIL, seed_world, token

    seed_world()
    parent = token("a linked parent")
    path = f"/v1/students/{PUPIL}/appointments"
    _twice(api, path, {"purpose": "school_certificate", "note": "Pour la bourse"}, parent)
    listed = api.get(path, token=parent).json_body
    assert len(listed["items"]) == 1


def test_a_message_sent_twice_is_one_message(api: Api) -> None:
    from tests.space_fixtures import PUPIL, seed_world, token

    seed_world()
    parent = token("a linked parent")
    path = f"/v1/students/{PUPIL}/messages"
    _twice(api, path, {"body": "Bonjour, Amina sera absente demain."}, parent)
    thread = api.get(path, token=parent).json_body
    assert [m["body"] for m in thread["items"]] == ["Bonjour, Amina sera absente demain."]


def test_a_justification_sent_twice_answers_the_first_answer(api: Api) -> None:
    """The second was refused as if another one were pending."""
    from tests.space_absences_fixtures import PUPIL, record, seed_class, token

    seed_class()
    [absence] = record(api).json_body["absences"][:1]
    path = f"/v1/students/{PUPIL}/absences/{absence['id']}/justification"
    first, _ = _twice(api, path, {"text": "Rendez-vous médical"}, token("a linked parent"))
    assert first.status_code == 201


def test_an_account_batch_asked_twice_is_one_batch(api: Api, ops_token: str) -> None:
    from tests.test_issuance import SCHOOL, school_with_classes

    school_with_classes(api, ops_token)
    first, again = _twice(api, f"/v1/schools/{SCHOOL['code']}/account-batches", {}, ops_token)
    assert again.json_body["id"] == first.json_body["id"]
