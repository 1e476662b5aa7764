"""Schools and the residence areas they serve."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core.error_mapping import worded
from chalicelib.core.error_texts import field_message
from chalicelib.core.fields import page_params, query_params
from chalicelib.core.http import ApiError, Call, route
from chalicelib.core.import_reports import import_totals

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.schools.rules import SchoolData

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.schools.schemas import (
        School,
        SchoolImportReport,
        SchoolImportRequest,
        SchoolList,
        SchoolSaved,
        SchoolUpdateRequest,
    )

schools_bp = Blueprint(__name__)


def named(row: dict[str, Any]) -> dict[str, Any]:
    """A school's fields with the Arabic and French names of its places beside the codes
    (API.md), from the official divisions (loaded on first use by the routes answering
    schools)."""
    from chalicelib.schools.places.rules import names_of

    out = dict(row)
    for key in ("academy", "province", "commune"):
        names = names_of(row.get(key))
        if names is not None:
            out[f"{key}_name_ar"], out[f"{key}_name_fr"] = names["name_ar"], names["name_fr"]
    if row.get("catchment"):
        out["catchment_names"] = [n for n in map(names_of, row["catchment"]) if n is not None]
    return out


def _answer(school: SchoolData, result: str) -> SchoolSaved:
    from chalicelib.schools.schemas import SchoolSaved

    return SchoolSaved(**named(school.model_dump()), result=result)  # type: ignore[arg-type]


def _code(call: Call) -> str:
    from chalicelib.schools.rules import SCHOOL_CODE

    code = call.params["code"].upper()
    if not SCHOOL_CODE.match(code):
        raise ApiError(404, "not_found")
    return code


@route(
    schools_bp,
    "/v1/schools",
    "POST",
    summary="Create a school and the residence areas it serves",
    tag="schools",
    body="chalicelib.schools.schemas:SchoolRequest",
    returns="chalicelib.schools.schemas:SchoolSaved",
    status=201,
    signed_in=True,
    errors=(403, 409),
    idempotent=True,
)
def create_school(call: Call) -> SchoolSaved:
    from chalicelib.accounts.rules import Role
    from chalicelib.schools import service
    from chalicelib.schools.rules import SchoolData

    actor = call.require(Role.OPS)
    school = SchoolData.model_construct(**call.body.model_dump())
    service.create_school(actor, school)
    return _answer(school, "created")


@route(
    schools_bp,
    "/v1/schools/{code}",
    "PUT",
    summary="Update a school (its areas follow)",
    tag="schools",
    body="chalicelib.schools.schemas:SchoolUpdateRequest",
    returns="chalicelib.schools.schemas:SchoolSaved",
    signed_in=True,
    errors=(403, 404, 409),
)
def update_school(call: Call) -> SchoolSaved:
    from chalicelib.accounts.rules import Role
    from chalicelib.schools import service
    from chalicelib.schools.rules import SchoolData

    actor = call.require(Role.OPS)
    code = _code(call)
    body: SchoolUpdateRequest = call.body
    if body.code is not None and body.code != code:
        raise ApiError(422, "validation_failed", worded({"code": "code_mismatch"}, call.language))
    school = SchoolData.model_construct(**{**body.model_dump(), "code": code})
    result = service.update_school(actor, school)
    return _answer(school, result)


@route(
    schools_bp,
    "/v1/schools/{code}",
    "GET",
    summary="One school",
    tag="schools",
    returns="chalicelib.schools.schemas:School",
    errors=(404,),
)
def get_school(call: Call) -> School:
    from chalicelib.schools import service
    from chalicelib.schools.schemas import School

    school = service.get_school(_code(call))
    return School(**named(school.model_dump()))


@route(
    schools_bp,
    "/v1/schools",
    "GET",
    summary="Schools serving a residence area (`?commune=`, the HCP code of a commune or "
    "an arrondissement), "
    "or of a province (`?province=`); `?cycle=primary|middle|high`",
    tag="schools",
    returns="chalicelib.schools.schemas:SchoolList",
    errors=(422,),
)
def list_schools(call: Call) -> SchoolList:
    from chalicelib.schools import service
    from chalicelib.schools.schemas import School, SchoolList

    params = query_params(call.request)
    limit, cursor = page_params(params, call.language)
    cycle = params.get("cycle") or None
    if cycle is not None and cycle not in ("primary", "middle", "high"):
        raise ApiError(422, "validation_failed", worded({"cycle": "literal_error"}, call.language))
    area = (params.get("commune") or params.get("district") or "").strip().upper() or None
    province = (params.get("province") or "").strip().upper() or None
    page = service.list_schools(area, province, cycle, limit, cursor)
    return SchoolList(
        items=[School.model_validate(named(row)) for row in page.items],
        next_cursor=page.next_cursor,
    )


@route(
    schools_bp,
    "/v1/schools/import",
    "POST",
    summary="Create or update schools from a CSV or XLSX file; answers row by row",
    tag="schools",
    body="chalicelib.schools.schemas:SchoolImportRequest",
    returns="chalicelib.schools.schemas:SchoolImportReport",
    signed_in=True,
    errors=(403,),
)
def import_schools(call: Call) -> SchoolImportReport:
    from chalicelib.accounts.rules import Role
    from chalicelib.schools import service
    from chalicelib.schools.schemas import ImportRow, SchoolImportReport

    actor = call.require(Role.OPS)
    body: SchoolImportRequest = call.body
    report = service.import_schools(actor, body.format, body.content_base64, body.dry_run)
    rows = [
        ImportRow(
            row=r.row,
            code=r.code,
            status=r.status,  # type: ignore[arg-type]
            errors={k: field_message(v, v, call.language) for k, v in r.errors.items()} or None,
        )
        for r in report.rows
    ]
    return SchoolImportReport(**import_totals(report), rows=rows)
