"""Homework and assignments: staff of a school post them per class, the class's pupils and
their linked parents read them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.homework.schemas import (
        DocumentUpload,
        Homework,
        HomeworkChange,
        HomeworkRequest,
        Homeworks,
    )

homework_bp = Blueprint(__name__)
CLASS_PATH = "/v1/schools/{code}/classes/{class_id}/homework"
_WHEN = "`?when=upcoming` (default: due today or later, soonest first) or `past` (newest first)"


def _past(call: Call) -> bool:
    from chalicelib.core.errors import InvalidFields

    when = call.query("when") or "upcoming"
    if when not in ("upcoming", "past"):
        raise InvalidFields("when", {"when": "invalid_when"})
    return when == "past"


def _page(call: Call) -> tuple[int, str | None]:
    from chalicelib.core.fields import page_params

    return page_params(dict(call.request.query_params or {}), call.language)


@route(
    homework_bp,
    "/v1/schools/{code}/homework-documents",
    "POST",
    summary="Get a presigned form to upload one homework document (PDF, JPEG or PNG, 5 MB)",
    tag="homework",
    returns="chalicelib.school_life.homework.schemas:DocumentUpload",
    status=201,
    signed_in=True,
    errors=(403,),
)
def document_upload(call: Call) -> DocumentUpload:
    from chalicelib.school_life.homework import service as homework
    from chalicelib.school_life.homework.schemas import DocumentUpload

    return DocumentUpload(**homework.upload_form(call.require(Role.STAFF), call.param("code")))


@route(
    homework_bp,
    CLASS_PATH,
    "POST",
    summary="Post homework for a class (staff of the school; idempotent)",
    tag="homework",
    body="chalicelib.school_life.homework.schemas:HomeworkRequest",
    returns="chalicelib.school_life.homework.schemas:Homework",
    status=201,
    signed_in=True,
    idempotent=True,
    errors=(403, 404, 409, 422),
)
def post_homework(call: Call) -> Homework:
    from chalicelib.school_life.homework import service as homework
    from chalicelib.school_life.homework.schemas import Homework

    body: HomeworkRequest = call.body
    answer = homework.post(
        call.require(Role.STAFF), call.param("code"), call.param("class_id"), body.model_dump()
    )
    return Homework.model_validate(answer)


@route(
    homework_bp,
    CLASS_PATH,
    "GET",
    summary=f"A class's homework (staff of the school); {_WHEN}, `?limit=`, `?cursor=`",
    tag="homework",
    returns="chalicelib.school_life.homework.schemas:Homeworks",
    signed_in=True,
    errors=(403, 404, 422),
)
def class_homework(call: Call) -> Homeworks:
    from chalicelib.school_life.homework import service as homework
    from chalicelib.school_life.homework.schemas import Homework, Homeworks

    limit, cursor = _page(call)
    items, next_cursor = homework.of_class(
        call.require(Role.STAFF),
        call.param("code"),
        call.param("class_id"),
        _past(call),
        limit,
        cursor,
    )
    return Homeworks(items=[Homework.model_validate(i) for i in items], next_cursor=next_cursor)


@route(
    homework_bp,
    CLASS_PATH + "/{homework_id}",
    "PATCH",
    summary="Change homework of a class (staff of the school)",
    tag="homework",
    body="chalicelib.school_life.homework.schemas:HomeworkChange",
    returns="chalicelib.school_life.homework.schemas:Homework",
    signed_in=True,
    errors=(403, 404, 409, 422),
)
def edit_homework(call: Call) -> Homework:
    from chalicelib.school_life.homework import service as homework
    from chalicelib.school_life.homework.schemas import Homework

    body: HomeworkChange = call.body
    answer = homework.edit(
        call.require(Role.STAFF),
        call.param("code"),
        call.param("class_id"),
        call.param("homework_id"),
        body.model_dump(exclude_unset=True),
    )
    return Homework.model_validate(answer)


@route(
    homework_bp,
    CLASS_PATH + "/{homework_id}",
    "DELETE",
    summary="Delete homework of a class (staff of the school)",
    tag="homework",
    status=204,
    signed_in=True,
    errors=(403, 404, 409),
)
def delete_homework(call: Call) -> None:
    from chalicelib.school_life.homework import service as homework

    homework.remove(
        call.require(Role.STAFF),
        call.param("code"),
        call.param("class_id"),
        call.param("homework_id"),
    )


@route(
    homework_bp,
    "/v1/students/{massar}/homework",
    "GET",
    summary=f"The homework of the pupil's class (the pupil, a linked parent, staff of the "
    f"school); {_WHEN}, `?limit=`, `?cursor=`",
    tag="homework",
    returns="chalicelib.school_life.homework.schemas:Homeworks",
    signed_in=True,
    errors=(404, 422),
)
def pupil_homework(call: Call) -> Homeworks:
    from chalicelib.school_life.homework import service as homework
    from chalicelib.school_life.homework.schemas import Homework, Homeworks

    limit, cursor = _page(call)
    items, next_cursor = homework.of_pupil(
        call.require(), call.param("massar"), _past(call), limit, cursor
    )
    return Homeworks(items=[Homework.model_validate(i) for i in items], next_cursor=next_cursor)
