"""Homework (issue 17): staff of the school post homework for a class (documents uploaded
through a presigned POST and checked by content), edit and delete it; the class's pupils and
their linked parents read it, upcoming first; nobody else reaches it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.clock import casablanca_today
from tests.space_absences_fixtures import CLASS, seed_class
from tests.space_fixtures import OTHER_PUPIL, OTHER_SCHOOL, PUPIL, SCHOOL, token

PATH = f"/v1/schools/{SCHOOL}/classes/{CLASS}/homework"
OTHER_PATH = f"/v1/schools/{OTHER_SCHOOL}/classes/{CLASS}/homework"
OTHER_CLASS = "1AC-2"
OTHER_CLASS_PUPIL = "J130012399"
PDF = b"%PDF-1.4\n" + b"0" * 300 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _seed_other_class() -> None:
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from chalicelib.schools.classes import store as classes

    profile = {"first_name_lat": "Sara", "school_code": SCHOOL, "class_id": OTHER_CLASS}
    transaction = Transaction()
    pupils.add_pupil(transaction, OTHER_CLASS_PUPIL, dict(profile), {}, OTHER_CLASS_PUPIL, {})
    transaction.commit()
    classes.save_class(SCHOOL, OTHER_CLASS, {"label": OTHER_CLASS, "level": "1AC"})


@pytest.fixture
def world(api: Any) -> Any:
    seed_class()
    _seed_other_class()
    return api


def body(days: int = 3, **changes: Any) -> dict[str, Any]:
    return {
        "subject": "maths",
        "title": "Exercices 3 et 4 page 52",
        "instructions": "Rédiger sur le cahier.",
        "due_date": casablanca_today(days).isoformat(),
        **changes,
    }


def post(api: Any, caller: str = "staff of the school", path: str = PATH, **kw: Any) -> Any:
    return api.post(path, kw.pop("json", None) or body(), token=token(caller), **kw)


def listed(api: Any, caller: str = "a linked parent", query: str = "") -> Any:
    return api.get(f"/v1/students/{PUPIL}/homework{query}", token=token(caller))


def upload(api: Any, content: bytes, name: str, school: str = SCHOOL) -> tuple[int, str]:
    import requests

    caller = "staff of the school" if school == SCHOOL else "staff of another school"
    form = api.post(f"/v1/schools/{school}/homework-documents", token=token(caller))
    assert form.status_code == 201, form.body
    sent = requests.post(
        form.json_body["url"],
        data=form.json_body["fields"],
        files={"file": (name, content, "application/octet-stream")},
        timeout=10,
    )
    return sent.status_code, str(form.json_body["document_key"])


def test_staff_post_and_the_family_reads_upcoming_first(world: Any) -> None:
    later = post(world, json=body(10, title="Exposé"))
    sooner = post(world, json=body(1, title="Lecture"))
    today = post(world, json=body(0, title="Rappel"))
    for answer in (later, sooner, today):
        assert answer.status_code == 201, answer.body
    for caller in ("a linked parent", "the pupil", "staff of the school"):
        answer = listed(world, caller)
        assert answer.status_code == 200, answer.body
        assert [i["title"] for i in answer.json_body["items"]] == ["Rappel", "Lecture", "Exposé"]
    staff = world.get(PATH, token=token("staff of the school"))
    assert [i["title"] for i in staff.json_body["items"]] == ["Rappel", "Lecture", "Exposé"]
    assert listed(world, query="?when=past").json_body["items"] == []
    page = listed(world, query="?limit=2").json_body
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = listed(world, query=f"?limit=2&cursor={page['next_cursor']}").json_body
    assert [i["title"] for i in rest["items"]] == ["Exposé"]


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("a parent of another child", 404),
        ("staff of another school", 404),
        ("an operator", 404),
    ],
)
def test_others_do_not_see_the_pupils_homework(world: Any, caller: str, status: int) -> None:
    assert post(world).status_code == 201
    assert listed(world, caller).status_code == status


def test_a_pupil_of_another_class_of_the_school_does_not_see_it(world: Any) -> None:
    from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
    from chalicelib.accounts.sign_in.tokens import issue_access_token

    assert post(world).status_code == 201
    pupil = issue_access_token(
        Account(OTHER_CLASS_PUPIL, Role.STUDENT, AccountStatus.ACTIVE, Scope())
    )
    own = world.get(f"/v1/students/{OTHER_CLASS_PUPIL}/homework", token=pupil)
    assert own.status_code == 200 and own.json_body["items"] == []
    assert world.get(f"/v1/students/{PUPIL}/homework", token=pupil).status_code == 404


def test_a_director_of_another_school_cannot_read_post_or_edit_even_after_posting_there(
    world: Any,
) -> None:
    mine = post(world)
    assert mine.status_code == 201
    theirs = post(world, "staff of another school", OTHER_PATH)
    assert theirs.status_code == 201, theirs.body
    own = world.get(f"/v1/students/{OTHER_PUPIL}/homework", token=token("staff of another school"))
    assert [i["id"] for i in own.json_body["items"]] == [theirs.json_body["id"]]

    other = token("staff of another school")
    item = f"{PATH}/{mine.json_body['id']}"
    assert world.get(PATH, token=other).status_code == 403
    assert world.post(PATH, body(), token=other).status_code == 403
    assert world.call("PATCH", item, {"title": "x"}, token=other).status_code == 403
    assert world.call("DELETE", item, token=other).status_code == 403
    assert listed(world, "staff of another school").status_code == 404
    # School A's homework is not found through school B's own class either.
    moved = f"{OTHER_PATH}/{mine.json_body['id']}"
    assert world.call("PATCH", moved, {"title": "x"}, token=other).status_code == 404
    assert world.call("DELETE", moved, token=other).status_code == 404
    form = world.post(f"/v1/schools/{SCHOOL}/homework-documents", token=other)
    assert form.status_code == 403
    assert [i["title"] for i in listed(world).json_body["items"]] == [body()["title"]]


@pytest.mark.parametrize("caller", ["a linked parent", "the pupil", "an operator"])
def test_only_staff_post(world: Any, caller: str) -> None:
    assert post(world, caller).status_code == 403
    assert listed(world).json_body["items"] == []


def test_staff_edit_and_delete_their_classs_homework(world: Any) -> None:
    posted = post(world).json_body
    item = f"{PATH}/{posted['id']}"
    staff = token("staff of the school")
    moved = world.call(
        "PATCH",
        item,
        {"title": "Nouveau titre", "due_date": casablanca_today(7).isoformat()},
        token=staff,
    )
    assert moved.status_code == 200, moved.body
    assert moved.json_body["id"] == posted["id"]
    [shown] = listed(world).json_body["items"]
    assert (shown["title"], shown["due_date"]) == ("Nouveau titre", casablanca_today(7).isoformat())
    assert shown["instructions"] == posted["instructions"]
    assert world.call("DELETE", item, token=staff).status_code == 204
    assert listed(world).json_body["items"] == []
    assert world.call("DELETE", item, token=staff).status_code == 404
    assert world.call("PATCH", item, {"title": "x"}, token=staff).status_code == 404


def test_a_due_date_in_the_past_is_refused_naming_the_field(world: Any) -> None:
    answer = post(world, json=body(-1))
    assert answer.status_code == 422
    assert answer.json_body["error"]["fields"] == {"due_date": "date déjà passée"}
    posted = post(world).json_body
    edit = world.call(
        "PATCH",
        f"{PATH}/{posted['id']}",
        {"due_date": casablanca_today(-1).isoformat()},
        token=token("staff of the school"),
        headers={"Accept-Language": "ar"},
    )
    assert edit.status_code == 422 and "due_date" in edit.json_body["error"]["fields"]
    assert [i["due_date"] for i in listed(world).json_body["items"]] == [body()["due_date"]]


def test_documents_are_checked_by_content_and_served_through_short_lived_urls(
    world: Any,
) -> None:
    import requests

    status, pdf = upload(world, PDF, "exercices.pdf")
    assert status in (200, 201, 204)
    _, png = upload(world, PNG, "schema.png")
    answer = post(
        world,
        json=body(
            documents=[{"key": pdf, "name": "exercices.pdf"}, {"key": png, "name": "schéma.png"}]
        ),
    )
    assert answer.status_code == 201, answer.body
    [item] = listed(world).json_body["items"]
    assert [(d["name"], d["kind"]) for d in item["documents"]] == [
        ("exercices.pdf", "pdf"),
        ("schéma.png", "png"),
    ]
    assert (
        "Expires=" in item["documents"][0]["url"] or "X-Amz-Expires" in item["documents"][0]["url"]
    )
    assert requests.get(item["documents"][0]["url"], timeout=5).content == PDF
    # Kept copies: the uploads can be replaced, the homework's documents stay.
    assert not item["documents"][0]["key"].startswith("homework-uploads/")


def test_bad_documents_are_refused(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _, png_named_pdf = upload(world, PNG, "devoir.pdf")
    _, script = upload(world, b"#!/bin/sh\nrm -rf /\n", "devoir.pdf")
    documents = [
        {"key": png_named_pdf, "name": "devoir.pdf"},
        {"key": script, "name": "devoir.pdf"},
        {"key": "homework-uploads/SC0001/0123456789abcdef", "name": "absent.pdf"},
    ]
    answer = post(world, json=body(documents=documents))
    assert answer.status_code == 422, answer.body
    fields = answer.json_body["error"]["fields"]
    assert set(fields) == {"documents.0.key", "documents.1.key", "documents.2.key"}
    too_many = post(world, json=body(documents=[documents[0]] * 4))
    assert too_many.status_code == 422 and "documents" in too_many.json_body["error"]["fields"]
    # Another school's upload is not this school's document.
    _, foreign = upload(world, PDF, "x.pdf", school=OTHER_SCHOOL)
    refused = post(world, json=body(documents=[{"key": foreign, "name": "x.pdf"}]))
    assert refused.status_code == 422
    assert listed(world).json_body["items"] == []


def test_an_oversized_document_is_refused(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.school_life.homework import rules

    big = b"%PDF-1.4\n" + b"0" * (rules.DOCUMENT_MAX_BYTES + 1)
    status, key = upload(world, big, "gros.pdf")
    if status in (200, 201, 204):  # S3 refuses it by the form's policy; if it did not,
        answer = post(world, json=body(documents=[{"key": key, "name": "gros.pdf"}]))
        assert answer.status_code == 422
        assert answer.json_body["error"]["fields"] == {
            "documents.0.key": "document de plus de 5 Mo"
        }
    else:
        assert status == 400
    # The saved check holds whatever the upload policy let through.
    monkeypatch.setattr(rules, "DOCUMENT_MAX_BYTES", 100)
    _, small = upload(world, PDF, "moyen.pdf")
    answer = post(world, json=body(documents=[{"key": small, "name": "moyen.pdf"}]))
    assert answer.status_code == 422
    assert answer.json_body["error"]["fields"] == {"documents.0.key": "document de plus de 5 Mo"}


def test_a_retried_post_with_the_same_idempotency_key_creates_nothing_twice(world: Any) -> None:
    headers = {"Idempotency-Key": "homework-retry-1"}
    first = post(world, headers=headers)
    again = post(world, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json_body["id"] == again.json_body["id"]
    assert len(listed(world).json_body["items"]) == 1
    changed = post(world, headers=headers, json=body(title="Autre"))
    assert changed.status_code == 422
    assert changed.json_body["error"]["code"] == "idempotency_key_reused"


def test_unknown_class_and_bad_query(world: Any) -> None:
    staff = token("staff of the school")
    unknown = f"/v1/schools/{SCHOOL}/classes/9Z-9/homework"
    assert world.post(unknown, body(), token=staff).status_code == 404
    assert listed(world, query="?when=soon").status_code == 422


def _stored(key: str) -> bool:
    from botocore.exceptions import ClientError

    from chalicelib.core.aws_clients import client
    from chalicelib.core.config import settings

    try:
        client("s3").head_object(Bucket=settings().media_bucket, Key=key)
    except ClientError:
        return False
    return True


def test_documents_a_homework_no_longer_names_are_deleted(world: Any) -> None:
    _, pdf = upload(world, PDF, "exercices.pdf")
    posted = post(world, json=body(documents=[{"key": pdf, "name": "exercices.pdf"}])).json_body
    [old] = posted["documents"]
    assert _stored(old["key"])
    _, png = upload(world, PNG, "schema.png")
    item = f"{PATH}/{posted['id']}"
    staff = token("staff of the school")
    kept_and_new = [
        {"key": old["key"], "name": "exercices.pdf"},
        {"key": png, "name": "schema.png"},
    ]
    both = world.call("PATCH", item, {"documents": kept_and_new}, token=staff)
    assert both.status_code == 200, both.body
    assert both.json_body["documents"][0]["key"] == old["key"]
    new_key = both.json_body["documents"][1]["key"]
    only_new = [{"key": new_key, "name": "schema.png"}]
    assert world.call("PATCH", item, {"documents": only_new}, token=staff).status_code == 200
    assert not _stored(old["key"]) and _stored(new_key)
    # A refused list keeps nothing it copied: the good upload's copy goes too.
    _, good = upload(world, PDF, "bon.pdf")
    _, bad = upload(world, PNG, "faux.pdf")
    wrong = [{"key": good, "name": "bon.pdf"}, {"key": bad, "name": "faux.pdf"}]
    assert world.call("PATCH", item, {"documents": wrong}, token=staff).status_code == 422
    assert [d["key"] for d in listed(world).json_body["items"][0]["documents"]] == [new_key]
    assert world.call("DELETE", item, token=staff).status_code == 204
    assert not _stored(new_key)
