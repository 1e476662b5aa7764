"""Issue 14, finding 6: no request path makes more DynamoDB calls as its input grows beyond
one call per 25 items (the schools import, /v1/me, a message thread, recording absences,
putting pupils in a class). Each test counts the calls for a small and a large input."""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from chalicelib.accounts.rules import Role
from tests.conftest import Api

Calls = Callable[[], list[str]]


@pytest.fixture
def counted(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], list[str]]]:
    """`counted()` returns the DynamoDB calls made since the last `counted()`."""
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


# --- The schools import ----------------------------------------------------------------


def _schools_csv(count: int, start: int = 0) -> bytes:
    from tests.registration_fixtures import SCHOOL_BODY

    body = SCHOOL_BODY
    lines = ["code,name_ar,name_fr,cycle,sector,academy,province,commune,catchment"]
    for n in range(start, start + count):
        lines.append(
            f"EP{n:04d},مدرسة {n},École {n},primary,public,{body['academy']},"
            f"{body['province']},{body['commune']},{';'.join(body['catchment'])}"
        )
    return ("\n".join(lines) + "\n").encode()


def _import(api: Api, token: str, content: bytes) -> Any:
    return api.post(
        "/v1/schools/import",
        {"format": "csv", "content_base64": base64.b64encode(content).decode()},
        token=token,
    )


def test_the_schools_import_writes_25_schools_a_call(
    api: Api, ops_token: str, counted: Calls
) -> None:
    for rows in (5, 60):
        counted()
        answer = _import(api, ops_token, _schools_csv(rows, start=rows))
        assert answer.status_code == 200, answer.body
        assert answer.json_body["created"] == rows
        calls = counted()
        writes = calls.count("TransactWriteItems")
        # One BatchGetItem (100 codes a call) reads what exists, then a transaction per 25.
        assert writes == math.ceil(rows / 25), calls
        assert calls.count("BatchGetItem") == 1, calls
    # Importing the same 60 again: all unchanged, nothing written.
    answer = _import(api, ops_token, _schools_csv(60, start=60))
    assert {r["status"] for r in answer.json_body["rows"]} == {"unchanged"}
    assert "TransactWriteItems" not in counted()


def test_an_import_row_changed_meanwhile_is_reported_and_the_others_written(
    api: Api, ops_token: str
) -> None:
    from chalicelib.schools import store as schools

    real = schools._add_writes

    def created_meanwhile(transaction: Any, school: Any, existing: Any, label: str) -> None:
        if school.code == "EP0002" and existing is None:
            # Someone else creates it between the read and the write.
            real_transaction = schools.Transaction()
            real(real_transaction, school, None, "school")
            real_transaction.commit()
        real(transaction, school, existing, label)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schools, "_add_writes", created_meanwhile)
        answer = _import(api, ops_token, _schools_csv(4))
    assert answer.status_code == 200, answer.body
    rows = {r["code"]: r for r in answer.json_body["rows"]}
    assert rows["EP0002"]["status"] == "error"
    assert set(rows["EP0002"]["errors"]) == {"code"}  # worded: changed meanwhile
    assert [rows[c]["status"] for c in ("EP0000", "EP0001", "EP0003")] == ["created"] * 3
    assert api.get("/v1/schools/EP0003").status_code == 200


# --- /v1/me ------------------------------------------------------------------------------


def _parent_with_children(count: int) -> tuple[str, list[str]]:
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from tests.account_fixtures import seed

    codes = [f"J13{n:07d}" for n in range(1, count + 1)]
    for code in codes:
        transaction = Transaction()
        pupils.add_pupil(
            transaction,
            code,
            {"first_name_lat": f"Enfant {code}", "school_code": "SC0001", "class_id": "1AC-1"},
            {},
            "AB123456",
            {"role": "father"},
        )
        transaction.commit()
    seed(
        "AB123456",
        Role.PARENT,
        password="Strong-password-2026!",
        profile={"first_name": "Hassan", "cin": "AB123456"},
        children=tuple(codes),
    )
    return "AB123456", codes


def test_me_reads_every_child_in_one_call(api: Api, counted: Calls) -> None:
    from chalicelib.accounts import store as account_store
    from chalicelib.accounts.sign_in.tokens import issue_access_token

    username, codes = _parent_with_children(12)
    account = account_store.get_account(username)
    assert account is not None
    token = issue_access_token(account)
    counted()
    answer = api.get("/v1/me", token=token)
    assert answer.status_code == 200, answer.body
    children = answer.json_body["children"]
    assert [c["massar_code"] for c in children] == codes
    assert children[0]["first_name_lat"] == f"Enfant {codes[0]}"
    calls = counted()
    # The account, the parent links (one Query), every child's record (one BatchGetItem).
    assert calls.count("BatchGetItem") == 1, calls
    assert "GetItem" not in calls[1:], calls  # no GetItem a child
    assert len(calls) <= 3, calls


# --- A message thread --------------------------------------------------------------------


def test_reading_a_thread_is_two_reads_and_writes_only_what_changed(
    api: Api, counted: Calls
) -> None:
    from tests.space_fixtures import PUPIL, seed_world, token

    seed_world()
    parent, staff = token("a linked parent"), token("staff of the school")
    url = f"/v1/students/{PUPIL}/messages"
    for n in range(30):
        who = parent if n % 3 else staff
        assert api.post(url, {"body": f"message {n}"}, token=who).status_code == 201
    counted()
    first = api.get(f"{url}?limit=50", token=parent)
    assert first.status_code == 200 and len(first.json_body["items"]) == 30
    assert first.json_body["unread"] == 10
    # The record, the state and the marker in one BatchGetItem; the page; the marker moved.
    assert counted() == ["BatchGetItem", "Query", "PutItem"]
    again = api.get(f"{url}?limit=50", token=parent)
    assert again.json_body["unread"] == 0
    assert counted() == ["BatchGetItem", "Query"]  # nothing new: no write on this GET
    # The school's side: its unread count goes to 0 once, in one transaction.
    school = api.get(f"{url}?limit=50", token=staff)
    assert school.json_body["unread"] == 2  # since the school last wrote (messages 28, 29)
    assert counted() == ["BatchGetItem", "Query", "TransactWriteItems"]
    api.get(f"{url}?limit=50", token=staff)
    assert counted() == ["BatchGetItem", "Query"]
    # A new message from the school: the parent's unread is 1, from the counts kept.
    assert api.post(url, {"body": "réponse"}, token=staff).status_code == 201
    counted()
    assert api.get(url, token=parent).json_body["unread"] == 1
    assert counted() == ["BatchGetItem", "Query", "PutItem"]


# --- Recording absences, putting pupils in a class --------------------------------------


def _class_of(size: int) -> list[str]:
    from tests.space_absences_fixtures import CLASS, SCHOOL, _pupil

    codes = [f"J14{n:07d}" for n in range(size)]
    for code in codes:
        _pupil(code, SCHOOL, "Eleve", {"father": {"phone": "+212612345678", "responsible": "true"}})
    _ = CLASS
    return codes


def test_recording_absences_for_30_pupils_costs_what_it_costs_for_2(
    api: Api, counted: Calls
) -> None:
    from tests.clock import school_year_day
    from tests.space_absences_fixtures import SCHOOL, sheet, token

    codes = _class_of(30)
    staff = token("staff of the school")
    results = []
    for absent in (codes[:2], codes):
        counted()
        answer = api.post(
            f"/v1/schools/{SCHOOL}/classes/1AC-1/absences",
            sheet(
                date=school_year_day(1, 11, 20 + len(absent) % 7).isoformat(),  # past
                absent=[{"massar_code": c, "justified": False} for c in absent],
            ),
            token=staff,
        )
        assert answer.status_code == 200, answer.body
        results.append(counted())
    small, large = results
    # The members, their records, the stored absences: the same reads; one transaction
    # per 25 pupils.
    assert [c for c in large if c != "TransactWriteItems"] == [
        c for c in small if c != "TransactWriteItems"
    ], results
    assert len(small) <= 4 and large.count("TransactWriteItems") <= math.ceil(30 / 25), results


def test_putting_30_pupils_in_a_class(api: Api, counted: Calls) -> None:
    from tests.account_fixtures import token_for

    school = "SC0001"
    staff = token_for(Role.STAFF, "dir.sc0001", school)
    api.call(
        "PUT",
        f"/v1/schools/{school}/classes/1AC-2",
        {"label": "1AC-2", "level": "1AC"},
        token=staff,
    )
    results = []
    for size, start in ((2, 0), (30, 100)):
        rows = [
            {"massar_code": f"J15{n:07d}", "first_name_lat": f"Eleve {n}"}
            for n in range(start, start + size)
        ]
        counted()
        answer = api.call(
            "PUT", f"/v1/schools/{school}/classes/1AC-2/pupils", {"pupils": rows}, token=staff
        )
        assert answer.status_code == 200, answer.body
        results.append(counted())
    small, large = results
    # One more transaction per 25 pupils, nothing else grows.
    assert [c for c in large if c != "TransactWriteItems"] == [
        c for c in small if c != "TransactWriteItems"
    ], results
    assert large.count("TransactWriteItems") <= math.ceil(30 / 25) + 1, results
