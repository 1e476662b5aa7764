"""Classes of a school and their pupils, over HTTP (staff of the school, national operators)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:
    from chalicelib.schools.classes.schemas import ClassPupils, ClassRequest

school_classes_bp = Blueprint(__name__)


@route(
    school_classes_bp,
    "/v1/schools/{code}/classes/{class_id}",
    "PUT",
    summary="Create or update a class (label, level, track, school year)",
    tag="school life",
    body="chalicelib.schools.classes.schemas:ClassRequest",
    signed_in=True,
    errors=(403, 404),
)
def put_class(call: Call) -> dict[str, Any]:
    from chalicelib.schools.classes import service as school_classes

    body: ClassRequest = call.body
    return school_classes.save_class(
        call.require(Role.STAFF, Role.OPS),
        call.param("code"),
        call.param("class_id"),
        body.model_dump(exclude_none=True),
    )


@route(
    school_classes_bp,
    "/v1/schools/{code}/classes",
    "GET",
    summary="The school's classes",
    tag="school life",
    signed_in=True,
    errors=(403, 404),
)
def get_classes(call: Call) -> dict[str, Any]:
    from chalicelib.schools.classes import service as school_classes

    items = school_classes.list_classes(call.require(Role.STAFF, Role.OPS), call.param("code"))
    return {"items": items, "next_cursor": None}


@route(
    school_classes_bp,
    "/v1/schools/{code}/classes/{class_id}/pupils",
    "PUT",
    summary="Add or update pupils of a class (rows checked before anything is written)",
    tag="school life",
    body="chalicelib.schools.classes.schemas:ClassPupils",
    signed_in=True,
    errors=(403, 404),
)
def put_pupils(call: Call) -> dict[str, Any]:
    from chalicelib.schools.classes import service as school_classes

    body: ClassPupils = call.body
    items = school_classes.put_pupils(
        call.require(Role.STAFF, Role.OPS),
        call.param("code"),
        call.param("class_id"),
        [p.model_dump(exclude_none=True) for p in body.pupils],
    )
    return {"items": items, "next_cursor": None}


@route(
    school_classes_bp,
    "/v1/schools/{code}/classes/{class_id}/pupils",
    "GET",
    summary="The pupils of a class",
    tag="school life",
    signed_in=True,
    errors=(403, 404),
)
def get_pupils(call: Call) -> dict[str, Any]:
    from chalicelib.schools.classes import service as school_classes

    items = school_classes.pupils_of_class(
        call.require(Role.STAFF, Role.OPS), call.param("code"), call.param("class_id")
    )
    return {"items": items, "next_cursor": None}


@route(
    school_classes_bp,
    "/v1/schools/{code}/roster-imports",
    "POST",
    summary="Enrol pupils from the school's class lists (CSV/XLSX as exported from Massar): "
    "all rows right, or none written",
    tag="school life",
    body="chalicelib.schools.classes.schemas:RosterImportRequest",
    returns="chalicelib.schools.classes.schemas:RosterImportReport",
    signed_in=True,
    errors=(403, 404, 409, 422),
    idempotent=True,
)
def import_roster(call: Call) -> Any:
    from chalicelib.core.error_mapping import refused_report, worded
    from chalicelib.schools.classes import service as school_classes
    from chalicelib.schools.classes.schemas import (
        RosterImportReport,
        RosterImportRequest,
        RosterRowReport,
    )

    body: RosterImportRequest = call.body
    rows, written = school_classes.import_roster(
        call.require(Role.STAFF, Role.OPS), call.param("code"), body.format, body.content_base64
    )
    report = RosterImportReport(
        written=sum(1 for r in rows if r.status in ("created", "updated")) if written else 0,
        failed=sum(1 for r in rows if r.errors),
        rows=[
            RosterRowReport(
                row=r.row,
                massar_code=r.values.get("massar_code"),
                class_id=r.class_id or None,
                status="error" if r.errors else r.status if written else "unchanged",  # type: ignore[arg-type]
                errors=worded(r.errors, call.language) or None,
            )
            for r in rows
        ],
    )
    if not written:
        return refused_report(report.model_dump(mode="json", exclude_none=True), call.language)
    return report


@route(
    school_classes_bp,
    "/v1/schools/{code}/pupils/awaiting-class",
    "GET",
    summary="Pupils of the school with no class yet (approved pre-registrations, transfers)",
    tag="school life",
    signed_in=True,
    errors=(403, 404),
)
def get_awaiting(call: Call) -> dict[str, Any]:
    from chalicelib.schools.classes import service as school_classes

    items = school_classes.awaiting_class(call.require(Role.STAFF, Role.OPS), call.param("code"))
    return {"items": items, "next_cursor": None}
