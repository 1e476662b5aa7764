"""A class's assessments on the desk: list, reopen a marks sheet, edit, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.marks.assessments.schemas import (
        AssessmentChange,
        AssessmentList,
        ListedAssessment,
        MarksSheet,
    )

assessments_bp = Blueprint(__name__)


def _listed(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "semester": int(data["semester"])}


@route(
    assessments_bp,
    "/v1/schools/{code}/classes/{class_id}/assessments",
    "GET",
    summary="A class's tests and exams, oldest first, with how many marks are entered "
    "(staff of the school); `?school_year=`, `?limit=`, `?cursor=`",
    tag="marks",
    returns="chalicelib.school_life.marks.assessments.schemas:AssessmentList",
    signed_in=True,
    errors=(403, 404, 422),
)
def list_assessments(call: Call) -> AssessmentList:
    from chalicelib.core.fields import page_params
    from chalicelib.school_life.marks.assessments import service
    from chalicelib.school_life.marks.assessments.schemas import AssessmentList

    principal = call.require(Role.STAFF)
    limit, cursor = page_params(dict(call.request.query_params or {}), call.language)
    items, next_cursor = service.list_of_class(
        principal, call.param("code"), call.param("class_id"), call.query("school_year"),
        limit, cursor,
    )  # fmt: skip
    return AssessmentList.model_validate(
        {"items": [_listed(i) for i in items], "next_cursor": next_cursor}
    )


@route(
    assessments_bp,
    "/v1/assessments/{id}/marks",
    "GET",
    summary="An assessment's marks sheet: the class's pupils with names and the marks "
    "already entered (staff of the school)",
    tag="marks",
    returns="chalicelib.school_life.marks.assessments.schemas:MarksSheet",
    signed_in=True,
    errors=(403, 404),
)
def get_sheet(call: Call) -> MarksSheet:
    from chalicelib.school_life.marks.assessments import service
    from chalicelib.school_life.marks.assessments.schemas import MarksSheet

    answer = service.sheet(call.require(Role.STAFF), call.param("id"))
    return MarksSheet.model_validate(_listed(answer))


@route(
    assessments_bp,
    "/v1/assessments/{id}",
    "PATCH",
    summary="Change an assessment's kind, date or coefficient (its marks follow; each "
    "marked pupil's audit records it)",
    tag="marks",
    body="chalicelib.school_life.marks.assessments.schemas:AssessmentChange",
    returns="chalicelib.school_life.marks.assessments.schemas:ListedAssessment",
    signed_in=True,
    errors=(403, 404, 422),
)
def patch_assessment(call: Call) -> ListedAssessment:
    from chalicelib.school_life.marks.assessments import service
    from chalicelib.school_life.marks.assessments.schemas import ListedAssessment

    body: AssessmentChange = call.body
    changes = body.model_dump(exclude_none=True)
    if "date" in changes:
        changes["date"] = changes["date"].isoformat()
    answer = service.update(call.require(Role.STAFF), call.origin, call.param("id"), changes)
    return ListedAssessment.model_validate(_listed(answer))


@route(
    assessments_bp,
    "/v1/assessments/{id}",
    "DELETE",
    summary="Delete an assessment with its marks (each deleted mark is audited on the pupil)",
    tag="marks",
    status=204,
    signed_in=True,
    errors=(403, 404),
)
def delete_assessment(call: Call) -> None:
    from chalicelib.school_life.marks.assessments import service

    service.delete(call.require(Role.STAFF), call.origin, call.param("id"))
