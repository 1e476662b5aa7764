"""Timetables: staff of a school put a class's week grid; a pupil, a linked parent
and staff of the school read the pupil's class week.

Reading takes two GetItems: the pupil's profile (its class, and the school for the access
check) then the class's grid. Copying the grid into every pupil's partition would make it
one, at the price of a fan-out on every change and on every change of class."""

from __future__ import annotations

import itertools
from typing import Any

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_record, staff_of_school
from chalicelib.core.errors import InvalidFields, NotAllowed, NotFound


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def put(
    principal: Principal, school_code: str, class_id: str, slots: list[dict[str, Any]]
) -> dict[str, Any]:
    from chalicelib.school_life.timetable import store as timetable
    from chalicelib.schools.classes import store as classes

    if not staff_of_school(principal, school_code):
        raise NotAllowed("school")
    if classes.get_class(school_code, class_id) is None:
        raise NotFound("class")
    problems: dict[str, str] = {}
    ordered = sorted(enumerate(slots), key=lambda p: (p[1]["day"], p[1]["start"]))
    for index, slot in enumerate(slots):
        if _minutes(slot["end"]) <= _minutes(slot["start"]):
            problems[f"slots.{index}.end"] = "end_before_start"
    for (_, before), (index, after) in itertools.pairwise(ordered):
        if before["day"] == after["day"] and _minutes(after["start"]) < _minutes(before["end"]):
            problems.setdefault(f"slots.{index}.start", "overlapping_slot")
    if problems:
        raise InvalidFields("slots", problems)
    week = [slot for _, slot in ordered]
    timetable.save(school_code, class_id, week, principal.username)
    return {"school_code": school_code, "class_id": class_id, "slots": week}


def of_pupil(principal: Principal, massar_code: str) -> dict[str, Any]:
    from chalicelib.school_life.timetable import store as timetable

    record = require_record(principal, massar_code)
    if not record.class_id or not record.school_code:
        return {"class_id": None, "slots": []}
    grid = timetable.get(record.school_code, record.class_id)
    return {"class_id": record.class_id, "slots": grid["slots"] if grid else []}
