"""Operators manage school staff accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.accounts.staff.schemas import NewStaffRequest, StaffCreated

staff_bp = Blueprint(__name__)


@route(
    staff_bp,
    "/v1/staff",
    "POST",
    summary="Create a staff account; its initial code is emailed to the staff member",
    tag="accounts",
    body="chalicelib.accounts.staff.schemas:NewStaffRequest",
    returns="chalicelib.accounts.staff.schemas:StaffCreated",
    status=201,
    signed_in=True,
    errors=(403, 409),
    idempotent=True,
)
def create_staff(call: Call) -> StaffCreated:
    from chalicelib.accounts.staff.schemas import StaffCreated
    from chalicelib.accounts.staff.service import NewStaff, create_staff_account

    actor = call.require(Role.OPS)
    body: NewStaffRequest = call.body
    account = create_staff_account(
        actor,
        NewStaff(
            username=body.username,
            school_code=body.school_code,
            first_name=body.first_name,
            last_name=body.last_name,
            email=str(body.email),
            phone=body.phone,
        ),
        call.accept_language,
    )
    return StaffCreated(
        username=account.username,
        status="pending_activation",
        school_code=body.school_code,
    )
