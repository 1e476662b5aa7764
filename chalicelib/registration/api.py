"""Preliminary registration: apply, follow, review, decide."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.client_address import viewer_address
from chalicelib.core.error_mapping import worded
from chalicelib.core.errors import InvalidToken
from chalicelib.core.fields import boolean_param, page_params, query_params
from chalicelib.core.http import ApiError, Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.accounts.sign_in.tokens import Principal
    from chalicelib.registration.schemas import (
        Decision,
        PhotoUpload,
        RegistrationAnswer,
        RegistrationList,
        RegistrationSubmitted,
        RejectRequest,
        TrackRequest,
    )
    from chalicelib.registration.service import Viewed

registrations_bp = Blueprint(__name__)
_ID = re.compile(r"^[0-9a-f]{20}$")
STATUSES = ("submitted", "approved", "rejected")


def _id(call: Call) -> str:
    value = call.params["id"]
    if not _ID.match(value):
        raise ApiError(404, "not_found")
    return value


def _optional_principal(call: Call) -> Principal | None:
    """The caller of a route open to anonymous tracking-code holders: the gateway runs no
    authorizer there (it would refuse requests without a token), so a token that comes
    along is checked here, the same way and with no database read."""
    from chalicelib.accounts.sign_in.tokens import verify_access_token

    if call.principal is not None:
        return call.principal
    scheme, _, raw = (call.request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    try:
        return verify_access_token(raw.strip())
    except InvalidToken:
        return None


@route(
    registrations_bp,
    "/v1/registrations",
    "POST",
    summary="Apply for the preliminary registration of a child (Idempotency-Key welcome)",
    tag="registrations",
    body="chalicelib.registration.schemas:RegistrationRequest",
    returns="chalicelib.registration.schemas:RegistrationSubmitted",
    status=201,
    errors=(403, 409, 429),
    idempotent=True,
)
def submit(call: Call) -> RegistrationSubmitted:
    from chalicelib.registration import service
    from chalicelib.registration.schemas import ChecksAnswer, RegistrationSubmitted
    from chalicelib.registration.tracking import count_submission

    count_submission(call.origin.source_ip)
    submitted = service.submit(call.body, call.accept_language)
    return RegistrationSubmitted(
        id=submitted.id,
        tracking_code=submitted.tracking_code,
        status="submitted",
        checks=ChecksAnswer(
            age_eligible=submitted.checks.age_eligible,
            in_catchment=submitted.checks.in_catchment,
        ),
    )


@route(
    registrations_bp,
    "/v1/registrations/photos",
    "POST",
    summary="Get a presigned form to upload the child's ID photo (JPEG or PNG, 1 MB at most)",
    tag="registrations",
    returns="chalicelib.registration.schemas:PhotoUpload",
    status=201,
)
def photo_upload(call: Call) -> PhotoUpload:
    from chalicelib.registration.photos import upload_form
    from chalicelib.registration.schemas import PhotoUpload

    return PhotoUpload(**upload_form())


@route(
    registrations_bp,
    "/v1/registrations/{id}",
    "GET",
    summary="An application: to its tracking-code holder (`?tracking_code=`), the school's "
    "staff and operators",
    tag="registrations",
    returns="chalicelib.registration.schemas:RegistrationAnswer",
    errors=(404,),
)
def get_registration(call: Call) -> RegistrationAnswer:
    from chalicelib.registration import service

    tracking_code = query_params(call.request).get("tracking_code")
    return _answer(call, service.view(_id(call), tracking_code, _optional_principal(call)))


@route(
    registrations_bp,
    "/v1/registrations/track",
    "POST",
    summary="An application found by its tracking code alone (what the receipt's SMS "
    "carries); wrong codes are rate-limited per source address",
    tag="registrations",
    body="chalicelib.registration.schemas:TrackRequest",
    returns="chalicelib.registration.schemas:RegistrationAnswer",
    errors=(404,),
)
def track_registration(call: Call) -> RegistrationAnswer:
    from chalicelib.registration import tracking

    body: TrackRequest = call.body
    return _answer(call, tracking.follow(body.tracking_code, call.origin.source_ip))


def _answer(call: Call, viewed: Viewed) -> RegistrationAnswer:
    from chalicelib.registration import service
    from chalicelib.registration.schemas import ChecksAnswer, RegistrationAnswer

    r = viewed.registration
    child = r.application.child
    return RegistrationAnswer(
        id=r.id,
        status=r.status,  # type: ignore[arg-type]
        school_code=r.school_code,
        school_name_ar=r.school.get("name_ar"),
        school_name_fr=r.school.get("name_fr"),
        school_year=r.school_year,
        submitted_at=r.submitted_at.isoformat(),
        child={
            "first_name_ar": child.first_name_ar,
            "last_name_ar": child.last_name_ar,
            "first_name_lat": child.first_name_lat,
            "last_name_lat": child.last_name_lat,
        },
        checks=ChecksAnswer(age_eligible=r.checks.age_eligible, in_catchment=r.checks.in_catchment),
        rejection_reason=r.rejection_reason,
        rejection_note=r.rejection_note,
        massar_code=r.massar_code,
        decided_at=r.decided_at.isoformat() if r.decided_at else None,
        decided_by=r.decided_by if viewed.full else None,
        application=r.application.model_dump(mode="json", exclude_none=True)
        if viewed.full
        else None,
        notifications=service.delivery_statuses(r, call.language),
        photo_url=_photo_url(r.application.photo_key) if viewed.full else None,
        residence=_residence_names(r.application.residence) if viewed.full else None,
        conflicts=service.conflicts_of(r) if viewed.full else None,
    )


def _residence_names(residence: Any) -> dict[str, dict[str, str]] | None:
    """The Arabic and French names of where the family lives (commune, arrondissement)."""
    from chalicelib.schools.places.rules import names_of

    named = {
        key: names
        for key, names in (
            ("commune", names_of(residence.commune)),
            ("district", names_of(residence.district)),
        )
        if names is not None
    }
    return named or None


def _photo_url(photo_key: str | None) -> str | None:
    from chalicelib.core.files import download_url

    return download_url(photo_key, seconds=300) if photo_key else None


@route(
    registrations_bp,
    "/v1/schools/{code}/registrations",
    "GET",
    summary="A school's applications, oldest first: `?status=` (default submitted), "
    "`?age_eligible=`, `?in_catchment=`, `?q=` (child's name, Arabic or Latin)",
    tag="registrations",
    returns="chalicelib.registration.schemas:RegistrationList",
    signed_in=True,
    errors=(403, 422),
)
def list_registrations(call: Call) -> RegistrationList:
    from chalicelib.registration import service
    from chalicelib.registration.schemas import RegistrationList, RegistrationRow
    from chalicelib.schools.rules import SCHOOL_CODE

    actor = call.require(Role.STAFF, Role.OPS)
    code = call.params["code"].upper()
    if not SCHOOL_CODE.match(code):
        raise ApiError(403, "forbidden")
    params = query_params(call.request)
    limit, cursor = page_params(params, call.language)
    status = params.get("status") or None
    if status is not None and status not in STATUSES:
        raise ApiError(422, "validation_failed", worded({"status": "literal_error"}, call.language))
    query = params.get("q")
    if query is not None and len(query) > 100:
        raise ApiError(422, "validation_failed", worded({"q": "string_too_long"}, call.language))
    page = service.list_for_school(
        actor,
        code,
        status=status,
        query=query,
        age_eligible=boolean_param(params, "age_eligible", call.language),
        in_catchment_filter=boolean_param(params, "in_catchment", call.language),
        limit=limit,
        cursor=cursor,
    )
    return RegistrationList(
        items=[RegistrationRow(**_commune_named(row)) for row in page.items],
        next_cursor=page.next_cursor,
    )


def _commune_named(row: dict[str, Any]) -> dict[str, Any]:
    """The residence's commune (or arrondissement) named beside its code (API.md)."""
    from chalicelib.schools.places.rules import names_of

    names = names_of(row.get("commune"))
    if names is None:
        return row
    return {**row, "commune_name_ar": names["name_ar"], "commune_name_fr": names["name_fr"]}


@route(
    registrations_bp,
    "/v1/registrations/{id}/approve",
    "POST",
    summary="Approve: the pupil record is created with a new Massar code; the guardian is notified",
    tag="registrations",
    returns="chalicelib.registration.schemas:Decision",
    signed_in=True,
    errors=(403, 404, 409),
    idempotent=True,
)
def approve(call: Call) -> Decision:
    from chalicelib.registration import service
    from chalicelib.registration.schemas import Decision

    actor = call.require(Role.STAFF, Role.OPS)
    decided = service.approve(actor, _id(call), viewer_address(call.request))
    return Decision(id=decided.id, status="approved", massar_code=decided.massar_code)


@route(
    registrations_bp,
    "/v1/registrations/{id}/reject",
    "POST",
    summary="Reject with a reason (under_age, out_of_catchment, other + note); the guardian "
    "is notified",
    tag="registrations",
    body="chalicelib.registration.schemas:RejectRequest",
    returns="chalicelib.registration.schemas:Decision",
    signed_in=True,
    errors=(403, 404, 409),
    idempotent=True,
)
def reject(call: Call) -> Decision:
    from chalicelib.registration import service
    from chalicelib.registration.rules import RejectionReason
    from chalicelib.registration.schemas import Decision

    actor = call.require(Role.STAFF, Role.OPS)
    body: RejectRequest = call.body
    decided = service.reject(
        actor, _id(call), RejectionReason(body.reason), body.note, viewer_address(call.request)
    )
    return Decision(id=decided.id, status="rejected")
