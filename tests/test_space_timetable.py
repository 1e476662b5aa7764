"""Timetables (issue 6): staff of a school put a class's week grid; the pupil's timetable is
the week of their class."""

from __future__ import annotations

from typing import Any

import pytest

from tests.space_absences_fixtures import CLASS, PUPIL, SCHOOL, seed_class, token

PATH = f"/v1/schools/{SCHOOL}/classes/{CLASS}/timetable"
WEEK = [
    {"day": 2, "start": "10:00", "end": "12:00", "subject": "Français", "room": "B2"},
    {"day": 1, "start": "08:00", "end": "09:00", "subject": "Mathématiques", "room": "A1"},
    {"day": 1, "start": "09:00", "end": "10:00", "subject": "Arabe", "room": "A1"},
    {"day": 6, "start": "08:00", "end": "10:00", "subject": "EPS", "room": "Stade"},
]


@pytest.fixture
def world(api: Any) -> Any:
    seed_class()
    return api


def put(api: Any, slots: list[dict[str, Any]], caller: str = "staff of the school") -> Any:
    return api.call("PUT", PATH, {"slots": slots}, token=token(caller))


def pupil_week(api: Any, caller: str = "a linked parent") -> Any:
    answer = api.get(f"/v1/students/{PUPIL}/timetable", token=token(caller))
    assert answer.status_code == 200, answer.body
    return answer.json_body


def test_the_pupil_sees_the_week_of_their_class_in_order(world: Any) -> None:
    assert pupil_week(world) == {"class_id": CLASS, "slots": []}
    answer = put(world, WEEK)
    assert answer.status_code == 200, answer.body
    week = pupil_week(world, "the pupil")
    assert week["class_id"] == CLASS
    assert [(s["day"], s["start"], s["subject"]) for s in week["slots"]] == [
        (1, "08:00", "Mathématiques"),
        (1, "09:00", "Arabe"),
        (2, "10:00", "Français"),
        (6, "08:00", "EPS"),
    ]
    # Putting again replaces the week.
    assert put(world, WEEK[:1]).status_code == 200
    assert [s["subject"] for s in pupil_week(world)["slots"]] == ["Français"]


@pytest.mark.parametrize(
    ("slot", "field"),
    [
        ({"day": 7}, "slots.0.day"),
        ({"day": 0}, "slots.0.day"),
        ({"start": "8h"}, "slots.0.start"),
        ({"start": "10:00", "end": "09:00"}, "slots.0.end"),
        ({"subject": ""}, "slots.0.subject"),
    ],
)
def test_a_wrong_slot_is_refused(world: Any, slot: dict[str, Any], field: str) -> None:
    answer = put(world, [{**WEEK[1], **slot}])
    assert answer.status_code == 422, answer.body
    assert field in answer.json_body["error"]["fields"]


def test_overlapping_slots_are_refused(world: Any) -> None:
    answer = put(world, [WEEK[1], {**WEEK[2], "start": "08:30"}])
    assert answer.status_code == 422
    assert "slots.1.start" in answer.json_body["error"]["fields"]
    assert pupil_week(world)["slots"] == []


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("staff of another school", 403),
        ("an operator", 403),
        ("a linked parent", 403),
        ("the pupil", 403),
    ],
)
def test_only_staff_of_the_school_put_the_week(world: Any, caller: str, status: int) -> None:
    assert put(world, WEEK, caller).status_code == status
    assert world.call("PUT", PATH, {"slots": WEEK}).status_code == 401
    assert pupil_week(world)["slots"] == []


def test_an_unknown_class_is_not_found(world: Any) -> None:
    answer = world.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/9AC-9/timetable",
        {"slots": WEEK},
        token=token("staff of the school"),
    )
    assert answer.status_code == 404
