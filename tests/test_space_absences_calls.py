"""The DynamoDB calls each view makes (DESIGN: a pupil's absences are one Query)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.clock import school_year_day
from tests.space_absences_fixtures import CLASS, PUPIL, SCHOOL, record, seed_class, token


@pytest.fixture
def calls(api: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    from pynamodb.connection.base import Connection

    seed_class()
    assert record(api).status_code == 200
    answer = api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/{CLASS}/timetable",
        {"slots": [{"day": 1, "start": "08:00", "end": "09:00", "subject": "Maths"}]},
        token=token("staff of the school"),
    )
    assert answer.status_code == 200, answer.body
    seen: list[str] = []
    original = Connection._make_api_call

    def counting(self: Any, operation_name: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(operation_name)
        return original(self, operation_name, *args, **kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", counting)
    yield seen


@pytest.mark.parametrize("caller", ["a linked parent", "the pupil", "staff of the school"])
def test_the_absences_view_is_one_query(api: Any, calls: list[str], caller: str) -> None:
    answer = api.get(f"/v1/students/{PUPIL}/absences", token=token(caller))
    assert answer.status_code == 200
    # Staff are let in by the pupil record's current enrolment (one GetItem); the family by
    # the token alone.
    assert calls == (["GetItem", "Query"] if caller == "staff of the school" else ["Query"])


def test_the_timetable_is_two_reads(api: Any, calls: list[str]) -> None:
    answer = api.get(f"/v1/students/{PUPIL}/timetable", token=token("a linked parent"))
    assert answer.status_code == 200
    assert calls == ["GetItem", "GetItem"]  # the pupil's class, then its week


def test_a_parent_of_another_child_is_refused_without_a_read(api: Any, calls: list[str]) -> None:
    for view in ("absences", "timetable"):
        answer = api.get(f"/v1/students/{PUPIL}/{view}", token=token("a parent of another child"))
        assert answer.status_code == 404
    assert calls == []


def test_recording_a_session(api: Any, calls: list[str]) -> None:
    # Another session than the fixture's (23 November), in the past too.
    answer = record(api, date=school_year_day(1, 11, 20).isoformat())
    assert answer.status_code == 200
    # Class members, their records (with the guardian block the alert needs), the stored
    # absences, one transaction: the same four calls for 1 pupil or 25.
    assert calls == ["Query", "BatchGetItem", "BatchGetItem", "TransactWriteItems"]
