"""Who sees a pupil's absences and timetable (seed 000): the pupil, a linked parent, staff of
the pupil's school; for anybody else the pupil does not exist (404), anonymous callers 401."""

from __future__ import annotations

from typing import Any

import pytest

from tests.space_absences_fixtures import CALLERS, CLASS, PUPIL, SCHOOL, record, seed_class, token

EXPECTED = {
    "the pupil": 200,
    "a linked parent": 200,
    "a parent of another child": 404,
    "staff of the school": 200,
    "staff of another school": 404,
    "an operator": 404,
    "anonymous": 401,
}


@pytest.fixture
def world(api: Any) -> Any:
    seed_class()
    assert record(api).status_code == 200
    answer = api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/{CLASS}/timetable",
        {"slots": [{"day": 1, "start": "08:00", "end": "09:00", "subject": "Maths", "room": "A1"}]},
        token=token("staff of the school"),
    )
    assert answer.status_code == 200, answer.body
    return api


def test_every_caller_is_listed() -> None:
    assert set(EXPECTED) == set(CALLERS)


@pytest.mark.parametrize("view", ["absences", "timetable"])
@pytest.mark.parametrize("caller", list(EXPECTED))
def test_access_matrix(world: Any, view: str, caller: str) -> None:
    answer = world.get(f"/v1/students/{PUPIL}/{view}", token=CALLERS[caller]())
    assert answer.status_code == EXPECTED[caller], (caller, answer.body)
    if answer.status_code == 200:
        key = "items" if view == "absences" else "slots"
        assert len(answer.json_body[key]) == 1
    elif answer.status_code == 404:  # the same answer as for a pupil who does not exist
        assert answer.json_body["error"]["code"] == "not_found"


@pytest.mark.parametrize("view", ["absences", "timetable"])
def test_a_pupil_that_does_not_exist_is_not_found_for_staff(world: Any, view: str) -> None:
    answer = world.get(f"/v1/students/J199999999/{view}", token=token("staff of the school"))
    assert answer.status_code == 404


def test_staff_of_the_school_see_a_pupil_without_absences(world: Any) -> None:
    from tests.space_absences_fixtures import CLASSMATE

    answer = world.get(f"/v1/students/{CLASSMATE}/absences", token=token("staff of the school"))
    assert answer.status_code == 200 and answer.json_body["items"] == []
    other = world.get(f"/v1/students/{CLASSMATE}/absences", token=token("staff of another school"))
    assert other.status_code == 404
