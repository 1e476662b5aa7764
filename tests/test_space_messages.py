"""Messages between a pupil's family and the school over HTTP: a thread per pupil, the
school inbox with unread counts, reading marks read, and who may do what."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.space_fixtures import (
    CALLERS,
    OTHER_PUPIL,
    OTHER_SCHOOL,
    PUPIL,
    SCHOOL,
    seed_world,
    token,
)


@pytest.fixture
def world(api: Api) -> None:
    seed_world()


def write(api: Api, caller: str, body: str, massar: str = PUPIL) -> Any:
    answer = api.post(f"/v1/students/{massar}/messages", {"body": body}, token=token(caller))
    assert answer.status_code == 201, answer.body
    return answer.json_body


def test_a_parent_writes_the_school_reads_and_answers(api: Api, world: None) -> None:
    parent, staff = token("a linked parent"), token("staff of the school")
    sent = write(api, "a linked parent", "Bonjour, Amina sera absente demain.")
    assert sent["from_school"] is False and sent["author_role"] == "parent"
    write(api, "the pupil", "Et je voudrais mon bulletin.")

    inbox = api.get(f"/v1/schools/{SCHOOL}/messages?unread=true", token=staff)
    assert inbox.status_code == 200, inbox.body
    [entry] = inbox.json_body["items"]
    assert entry["massar_code"] == PUPIL
    assert entry["unread"] == 2
    assert entry["last_body"] == "Et je voudrais mon bulletin."

    thread = api.get(f"/v1/students/{PUPIL}/messages", token=staff)
    assert thread.status_code == 200, thread.body
    assert thread.json_body["unread"] == 2
    assert [m["body"] for m in thread.json_body["items"]] == [
        "Bonjour, Amina sera absente demain.",
        "Et je voudrais mon bulletin.",
    ]
    # Reading marked the thread read for the school.
    assert (
        api.get(f"/v1/schools/{SCHOOL}/messages?unread=true", token=staff).json_body["items"] == []
    )
    assert (
        api.get(f"/v1/schools/{SCHOOL}/messages", token=staff).json_body["items"][0]["unread"] == 0
    )

    answer = write(api, "staff of the school", "Bien reçu, merci.")
    assert answer["from_school"] is True
    mine = api.get(f"/v1/students/{PUPIL}/messages", token=parent)
    assert mine.json_body["unread"] == 1
    assert mine.json_body["items"][-1]["body"] == "Bien reçu, merci."  # newest last
    assert api.get(f"/v1/students/{PUPIL}/messages", token=parent).json_body["unread"] == 0
    # The pupil has not read it yet: unread is per reader in the family.
    assert (
        api.get(f"/v1/students/{PUPIL}/messages", token=token("the pupil")).json_body["unread"] == 1
    )
    # Still one inbox entry for the thread, moved to its last message.
    [entry] = api.get(f"/v1/schools/{SCHOOL}/messages", token=staff).json_body["items"]
    assert entry["last_body"] == "Bien reçu, merci."
    assert entry["unread"] == 0


def test_the_thread_is_paginated(api: Api, world: None) -> None:
    for n in range(5):
        write(api, "a linked parent", f"message {n}")
    staff = token("staff of the school")
    first = api.get(f"/v1/students/{PUPIL}/messages?limit=3", token=staff).json_body
    assert [m["body"] for m in first["items"]] == ["message 0", "message 1", "message 2"]
    second = api.get(
        f"/v1/students/{PUPIL}/messages?limit=3&cursor={first['next_cursor']}", token=staff
    ).json_body
    assert [m["body"] for m in second["items"]] == ["message 3", "message 4"]
    bad = api.get(f"/v1/students/{PUPIL}/messages?cursor=nope", token=staff)
    assert bad.status_code == 422


def test_an_empty_message_is_refused(api: Api, world: None) -> None:
    answer = api.post(
        f"/v1/students/{PUPIL}/messages", {"body": "  "}, token=token("a linked parent")
    )
    assert answer.status_code == 422


FAMILY = {"the pupil", "a linked parent", "staff of the school"}


@pytest.mark.parametrize("caller", list(CALLERS))
def test_who_may_write_read_and_see_the_inbox(api: Api, world: None, caller: str) -> None:
    who = CALLERS[caller]()
    refused = 401 if caller == "anonymous" else 404
    sent = api.post(f"/v1/students/{PUPIL}/messages", {"body": "Bonjour"}, token=who)
    assert sent.status_code == (201 if caller in FAMILY else refused), sent.body
    read = api.get(f"/v1/students/{PUPIL}/messages", token=who)
    assert read.status_code == (200 if caller in FAMILY else refused), read.body
    inbox = api.get(f"/v1/schools/{SCHOOL}/messages", token=who)
    assert inbox.status_code == (200 if caller == "staff of the school" else refused)
    other = api.get(f"/v1/students/{OTHER_PUPIL}/messages", token=who)
    expected = (
        200 if caller in ("a parent of another child", "staff of another school") else refused
    )
    assert other.status_code == expected, other.body
    other_inbox = api.get(f"/v1/schools/{OTHER_SCHOOL}/messages", token=who)
    assert other_inbox.status_code == (200 if caller == "staff of another school" else refused)


def test_messages_stored_with_the_old_flag_still_come_from_the_school(
    api: Api, world: None
) -> None:
    """Messages written before stored `from_school` as "1"/"0" (now "true"/"false"): they
    still read as from the school, and still count unread for the family."""
    from chalicelib.core.clock import now
    from chalicelib.core.models import PupilModel
    from chalicelib.core.store import bound
    from chalicelib.school_life.messages.store import count_from_school_after

    write(api, "staff of the school", "Réunion jeudi.")
    write(api, "a linked parent", "Merci.")
    for n, flag in enumerate(("1", "0")):
        bound(PupilModel)(
            f"PUPIL#{PUPIL}",
            f"MESSAGE#2000-01-0{n + 1}T00:00:00#old{n}",
            kind="message",
            massar_code=PUPIL,
            data={
                "id": f"old{n}",
                "body": f"ancien {n}",
                "author": "x",
                "author_role": "staff" if flag == "1" else "parent",
                "from_school": flag,
                "sent_at": f"2000-01-0{n + 1}T00:00:00",
            },
            created_at=now(),
        ).save()
    assert count_from_school_after(PUPIL, None) == 2
    thread = api.get(f"/v1/students/{PUPIL}/messages", token=token("staff of the school"))
    assert [(m["body"], m["from_school"]) for m in thread.json_body["items"]] == [
        ("ancien 0", True),
        ("ancien 1", False),
        ("Réunion jeudi.", True),
        ("Merci.", False),
    ]
