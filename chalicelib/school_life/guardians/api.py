"""Guardian data over HTTP (seed 000): read, confirm or correct; the school sees changes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core.fields import page_params, query_params
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.guardians.schemas import (
        Guardian,
        GuardianChanges,
        GuardianPatch,
        Guardians,
    )

guardians_bp = Blueprint(__name__)


def _guardian(role: str, data: dict[str, str]) -> dict[str, Any]:
    return {"role": role, **{k: v for k, v in data.items() if k != "confirmed_by"}}


@route(
    guardians_bp,
    "/v1/students/{massar}/guardians",
    "GET",
    summary="The guardian block of a pupil (the pupil, a linked parent, staff of the school)",
    tag="space",
    returns="chalicelib.school_life.guardians.schemas:Guardians",
    signed_in=True,
    errors=(404,),
)
def read_guardians(call: Call) -> Guardians:
    from chalicelib.school_life.guardians import service as guardians
    from chalicelib.school_life.guardians.schemas import Guardians

    massar = call.param("massar")
    found = guardians.read(call.require(), massar)
    return Guardians.model_validate(
        {
            "massar_code": massar,
            "items": [_guardian(role, data) for role, data in sorted(found.items())],
        }
    )


@route(
    guardians_bp,
    "/v1/students/{massar}/guardians/{role}",
    "PATCH",
    summary="Confirm (empty body) or correct a guardian's data (a linked parent)",
    tag="space",
    body="chalicelib.school_life.guardians.schemas:GuardianPatch",
    returns="chalicelib.school_life.guardians.schemas:Guardian",
    signed_in=True,
    errors=(403, 404, 422),
)
def correct_guardian(call: Call) -> Guardian:
    from chalicelib.school_life.guardians import service as guardians
    from chalicelib.school_life.guardians.schemas import Guardian

    body: GuardianPatch = call.body
    changes = {k: str(v) for k, v in body.model_dump(exclude_none=True).items()}
    role = call.param("role")
    after = guardians.correct(call.require(), call.param("massar"), role, changes, call.origin)
    return Guardian.model_validate(_guardian(role, after))


@route(
    guardians_bp,
    "/v1/schools/{code}/guardian-changes",
    "GET",
    summary="Guardian data corrected by parents, newest first (staff of the school)",
    tag="space",
    returns="chalicelib.school_life.guardians.schemas:GuardianChanges",
    signed_in=True,
    errors=(404,),
)
def guardian_changes(call: Call) -> GuardianChanges:
    from chalicelib.school_life.guardians import service as guardians
    from chalicelib.school_life.guardians.schemas import GuardianChanges

    limit, cursor = page_params(query_params(call.request), call.language)
    page = guardians.changes_for_school(call.require(), call.param("code"), limit, cursor)
    return GuardianChanges.model_validate(
        {
            "items": [
                {
                    "massar_code": i["massar_code"],
                    "role": i["role"],
                    "changed_by": i["changed_by"],
                    "changed_at": i["changed_at"],
                    "before": json.loads(i["before"]),
                    "after": json.loads(i["after"]),
                }
                for i in page.items
            ],
            "next_cursor": page.next_cursor,
        }
    )
