"""Guardian data over HTTP (seed 000): a linked parent reads, confirms or corrects it (CIN and
Moroccan mobile validated); a correction is audited (before, after) and shown to the school."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Api
from tests.space_fixtures import CALLERS, OTHER_SCHOOL, PARENT, PUPIL, SCHOOL, seed_world, token


@pytest.fixture
def world(api: Api) -> None:
    seed_world()


def test_a_parent_reads_and_corrects_and_the_school_sees_it(api: Api, world: None) -> None:
    parent = token("a linked parent")
    block = api.get(f"/v1/students/{PUPIL}/guardians", token=parent)
    assert block.status_code == 200, block.body
    roles = {g["role"]: g for g in block.json_body["items"]}
    assert set(roles) == {"father", "mother"}
    assert roles["father"]["cin"] == PARENT

    corrected = api.call(
        "PATCH",
        f"/v1/students/{PUPIL}/guardians/father",
        {"phone": "0661234567", "profession": "Ingénieur", "cin": "ab 123456"},
        token=parent,
    )
    assert corrected.status_code == 200, corrected.body
    assert corrected.json_body["phone"] == "+212661234567"
    assert corrected.json_body["profession"] == "Ingénieur"
    assert corrected.json_body["confirmed_at"]

    seen = api.get(f"/v1/students/{PUPIL}/guardians", token=token("staff of the school"))
    father = {g["role"]: g for g in seen.json_body["items"]}["father"]
    assert father["phone"] == "+212661234567"

    changes = api.get(f"/v1/schools/{SCHOOL}/guardian-changes", token=token("staff of the school"))
    assert changes.status_code == 200, changes.body
    [change] = changes.json_body["items"]
    assert change["massar_code"] == PUPIL and change["role"] == "father"
    assert change["changed_by"] == PARENT
    assert change["before"] == {"phone": "+212612345678", "profession": "Technicien"}
    assert change["after"] == {"phone": "+212661234567", "profession": "Ingénieur"}

    from chalicelib.accounts.audit.store import list_entries

    entries, _ = list_entries(PARENT, 10, None)
    [audited] = [e for e in entries if e["event"] == "guardian_changed"]
    assert audited["actor"] == PARENT
    assert audited["detail"]["massar_code"] == PUPIL
    assert json.loads(audited["detail"]["before"])["phone"] == "+212612345678"
    assert json.loads(audited["detail"]["after"])["phone"] == "+212661234567"


def test_confirming_as_is_records_no_change(api: Api, world: None) -> None:
    answer = api.call(
        "PATCH", f"/v1/students/{PUPIL}/guardians/mother", {}, token=token("a linked parent")
    )
    assert answer.status_code == 200, answer.body
    assert answer.json_body["confirmed_at"]
    changes = api.get(f"/v1/schools/{SCHOOL}/guardian-changes", token=token("staff of the school"))
    assert changes.json_body["items"] == []


def test_a_wrong_cin_or_phone_is_refused(api: Api, world: None) -> None:
    answer = api.call(
        "PATCH",
        f"/v1/students/{PUPIL}/guardians/father",
        {"cin": "12AB", "phone": "0522123456"},
        token=token("a linked parent"),
        headers={"Accept-Language": "fr"},
    )
    assert answer.status_code == 422, answer.body
    assert set(answer.json_body["error"]["fields"]) == {"cin", "phone"}
    unknown = api.call(
        "PATCH",
        f"/v1/students/{PUPIL}/guardians/uncle",
        {"profession": "x"},
        token=token("a linked parent"),
    )
    assert unknown.status_code == 404
    extra = api.call(
        "PATCH",
        f"/v1/students/{PUPIL}/guardians/father",
        {"salary": "x"},
        token=token("a linked parent"),
    )
    assert extra.status_code == 422


READ = {
    "the pupil": 200,
    "a linked parent": 200,
    "a parent of another child": 404,
    "staff of the school": 200,
    "staff of another school": 404,
    "an operator": 404,
    "anonymous": 401,
}
CORRECT = {**READ, "the pupil": 403, "staff of the school": 403}
CHANGES = {
    caller: 200 if caller == "staff of the school" else 401 if caller == "anonymous" else 404
    for caller in CALLERS
}


@pytest.mark.parametrize("caller", list(CALLERS))
def test_who_may_read_correct_and_see_changes(api: Api, world: None, caller: str) -> None:
    who = CALLERS[caller]()
    read = api.get(f"/v1/students/{PUPIL}/guardians", token=who)
    assert read.status_code == READ[caller], read.body
    corrected = api.call(
        "PATCH", f"/v1/students/{PUPIL}/guardians/father", {"profession": "Ingénieur"}, token=who
    )
    assert corrected.status_code == CORRECT[caller], corrected.body
    changes = api.get(f"/v1/schools/{SCHOOL}/guardian-changes", token=who)
    assert changes.status_code == CHANGES[caller], changes.body
    other = api.get(f"/v1/schools/{OTHER_SCHOOL}/guardian-changes", token=who)
    assert other.status_code == (
        200 if caller == "staff of another school" else 401 if caller == "anonymous" else 404
    )
