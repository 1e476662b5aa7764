"""Homework (issue 17): staff of a school post homework for one of its classes (subject,
title, instructions, a due date not before Casablanca's today, up to three PDF/JPEG/PNG
documents uploaded beforehand), edit and delete it; the class's pupils and their linked
parents read it, upcoming first.

Who: staff act for the school in their token, on the classes of that school only. A pupil's
homework is their class's, the class taken from the pupil record (core/access, one GetItem:
staff of another school and pupils of another class never reach it), then one Query."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_record, staff_of_school
from chalicelib.core.clock import today
from chalicelib.core.errors import InvalidFields, NotAllowed, NotFound
from chalicelib.school_life.homework import rules

PUBLIC = ("id", "school_code", "class_id", "subject", "title", "instructions", "due_date")


def _staff_class(principal: Principal, school_code: str, class_id: str) -> None:
    """Staff of the school, on a class of it (403 for others, 404 for an unknown class)."""
    from chalicelib.schools.classes import store as classes

    if not staff_of_school(principal, school_code):
        raise NotAllowed("school")
    if classes.get_class(school_code, class_id) is None:
        raise NotFound("class")


def upload_form(principal: Principal, school_code: str) -> dict[str, Any]:
    from chalicelib.school_life.homework import documents

    if not staff_of_school(principal, school_code):
        raise NotAllowed("school")
    return documents.upload_form(school_code)


def _check_due(due: date) -> None:
    problem = rules.due_problem(due, today())
    if problem:
        raise InvalidFields("due_date", {"due_date": problem})


def _documents(
    school_code: str, class_id: str, wanted: list[dict[str, str]], kept: list[dict[str, str]]
) -> list[dict[str, str]]:
    """The homework's documents: those it already keeps (named by their key) as they are,
    uploads copied and checked; every problem reported at once."""
    from chalicelib.school_life.homework import documents

    by_key = {document["key"]: document for document in kept}
    out: list[dict[str, str]] = []
    problems: dict[str, str] = {}
    for index, document in enumerate(wanted):
        if document["key"] in by_key:
            out.append({**by_key[document["key"]], "name": document["name"]})
            continue
        copy, problem = documents.keep(school_code, class_id, document["key"], document["name"])
        if problem:
            problems[f"documents.{index}.key"] = problem
        else:
            out.append(copy)
    if problems:
        documents.discard([d["key"] for d in out if d["key"] not in by_key])
        raise InvalidFields("documents", problems)
    return out


def _keys(item: dict[str, Any]) -> set[str]:
    return {document["key"] for document in item.get("documents") or []}


def post(
    principal: Principal, school_code: str, class_id: str, fields: dict[str, Any]
) -> dict[str, Any]:
    from chalicelib.core.clock import now
    from chalicelib.school_life.homework import documents
    from chalicelib.school_life.homework import store as homework

    _staff_class(principal, school_code, class_id)
    _check_due(fields["due_date"])
    item = {
        "id": secrets.token_hex(8),
        "school_code": school_code,
        "class_id": class_id,
        "subject": fields["subject"],
        "title": fields["title"],
        "instructions": fields.get("instructions") or "",
        "due_date": fields["due_date"].isoformat(),
        "posted_by": principal.username,
        "posted_at": now().isoformat(),
    }
    item["documents"] = _documents(school_code, class_id, fields.get("documents") or [], [])
    try:
        homework.save(item)
    except Exception:
        documents.discard(sorted(_keys(item)))
        raise
    return public(item)


def _existing(school_code: str, class_id: str, id_: str) -> dict[str, Any]:
    from chalicelib.school_life.homework import store as homework

    found = homework.get(school_code, class_id, id_)
    if found is None:
        raise NotFound("homework")
    return found


def edit(
    principal: Principal, school_code: str, class_id: str, id_: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change the fields given (`documents`, when given, is the whole new list; the kept
    copies it no longer names are deleted)."""
    from chalicelib.core.clock import now
    from chalicelib.school_life.homework import documents
    from chalicelib.school_life.homework import store as homework

    _staff_class(principal, school_code, class_id)
    before = _existing(school_code, class_id, id_)
    item = {k: v for k, v in before.items() if not k.startswith("_")}
    for name in ("subject", "title", "instructions"):
        if changes.get(name) is not None:
            item[name] = changes[name]
    if changes.get("due_date") is not None:
        _check_due(changes["due_date"])
        item["due_date"] = changes["due_date"].isoformat()
    if changes.get("documents") is not None:
        item["documents"] = _documents(
            school_code, class_id, changes["documents"], before["documents"]
        )
    item["updated_by"] = principal.username
    item["updated_at"] = now().isoformat()
    try:
        homework.save(item, before)
    except Exception:
        documents.discard(sorted(_keys(item) - _keys(before)))
        raise
    documents.discard(sorted(_keys(before) - _keys(item)))
    return public(item)


def remove(principal: Principal, school_code: str, class_id: str, id_: str) -> None:
    from chalicelib.school_life.homework import documents
    from chalicelib.school_life.homework import store as homework

    _staff_class(principal, school_code, class_id)
    before = _existing(school_code, class_id, id_)
    homework.delete(before)
    documents.discard(sorted(_keys(before)))


def _page(
    school_code: str, class_id: str, past: bool, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    from chalicelib.school_life.homework import store as homework

    low, high = rules.bounds(today(), past)
    items, next_cursor = homework.of_class(school_code, class_id, low, high, past, limit, cursor)
    return [public(item) for item in items], next_cursor


def of_class(
    principal: Principal,
    school_code: str,
    class_id: str,
    past: bool,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    _staff_class(principal, school_code, class_id)
    return _page(school_code, class_id, past, limit, cursor)


def of_pupil(
    principal: Principal, massar_code: str, past: bool, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The homework of the pupil's class now (the pupil record's), upcoming first."""
    record = require_record(principal, massar_code)
    if not record.school_code or not record.class_id:
        return [], None
    return _page(record.school_code, record.class_id, past, limit, cursor)


def public(item: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.school_life.homework import documents

    out: dict[str, Any] = {name: item.get(name, "") for name in PUBLIC}
    out["posted_by"] = item.get("posted_by")
    out["posted_at"] = item.get("posted_at")
    out["updated_at"] = item.get("updated_at")
    out["documents"] = [
        {
            "key": document["key"],
            "name": document["name"],
            "kind": document["kind"],
            "size": int(document.get("size") or 0),
            "url": documents.url(document),
        }
        for document in item.get("documents") or []
    ]
    return out
