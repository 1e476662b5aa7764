"""Staff answers name the pupils beside their Massar codes (issue 15): the school inbox, a
thread and the appointments carry the names of the pupil record; the inbox reads them with
one BatchGetItem for its page, whatever its length (never a read per row)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import Api

Calls = Callable[[], list[str]]


@pytest.fixture
def counted(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[Calls]:
    from pynamodb.connection.base import Connection

    seen: list[str] = []
    original = Connection._make_api_call

    def counting(self: Any, operation_name: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(operation_name)
        return original(self, operation_name, *args, **kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", counting)

    def take() -> list[str]:
        found = list(seen)
        seen.clear()
        return found

    yield take


def test_the_inbox_names_its_pupils_with_one_batch_read(api: Api, counted: Calls) -> None:
    from tests.space_absences_fixtures import _pupil
    from tests.space_fixtures import SCHOOL, token

    staff = token("staff of the school")
    results = []
    for size, start in ((2, 0), (30, 100)):
        codes = [f"J16{n:07d}" for n in range(start, start + size)]
        for n, code in enumerate(codes):
            _pupil(code, SCHOOL, f"Eleve{start + n}", {})
            answer = api.post(f"/v1/students/{code}/messages", {"body": "Bonjour"}, token=staff)
            assert answer.status_code == 201, answer.body
        counted()
        inbox = api.get(f"/v1/schools/{SCHOOL}/messages?limit=50", token=staff)
        assert inbox.status_code == 200, inbox.body
        results.append(counted())
        named = {i["massar_code"]: i["pupil"] for i in inbox.json_body["items"]}
        for n, code in enumerate(codes):
            assert named[code]["first_name_lat"] == f"Eleve{start + n}"
            assert named[code]["last_name_ar"] == "العلوي"
    small, large = results
    assert small == large and large.count("BatchGetItem") == 1, results


def test_a_thread_and_the_appointments_name_the_pupil(api: Api) -> None:
    from tests.space_fixtures import PUPIL, SCHOOL, seed_world, token

    seed_world()
    parent, staff = token("a linked parent"), token("staff of the school")
    asked = api.post(f"/v1/students/{PUPIL}/appointments", {"purpose": "meeting"}, token=parent)
    assert asked.status_code == 201, asked.body
    thread = api.get(f"/v1/students/{PUPIL}/messages", token=staff)
    assert thread.status_code == 200, thread.body
    assert thread.json_body["pupil"]["first_name_lat"]
    for path in (f"/v1/schools/{SCHOOL}/appointments", f"/v1/students/{PUPIL}/appointments"):
        listed = api.get(path, token=staff)
        assert listed.status_code == 200, listed.body
        mine = [i for i in listed.json_body["items"] if i["massar_code"] == PUPIL]
        assert mine and all(i["pupil"]["first_name_lat"] for i in mine), listed.body
