"""Guardian data (seed 000): a linked parent reads the guardian block of a child and confirms
or corrects it; a correction is applied with an audit record (before, after) and listed for
the school (what changed, by whom)."""

from __future__ import annotations

from chalicelib.accounts.audit.rules import Origin
from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_record
from chalicelib.core.cursors import Page
from chalicelib.core.errors import InvalidFields, NotAllowed, NotFound
from chalicelib.core.identifiers import is_cin, normalise_cin, normalise_phone

ROLES = ("father", "mother", "guardian")
FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_lat",
    "last_name_lat",
    "cin",
    "phone",
    "email",
    "profession",
    "address",
)


def read(principal: Principal, massar_code: str) -> dict[str, dict[str, str]]:
    return dict(require_record(principal, massar_code).guardians)


def _normalised(changes: dict[str, str]) -> dict[str, str]:
    out = dict(changes)
    problems: dict[str, str] = {}
    if "cin" in out:
        cin = normalise_cin(out["cin"])
        if is_cin(cin):
            out["cin"] = cin
        else:
            problems["cin"] = "invalid_cin"
    if "phone" in out:
        phone = normalise_phone(out["phone"])
        if phone:
            out["phone"] = phone
        else:
            problems["phone"] = "invalid_phone"
    if "email" in out:
        out["email"] = out["email"].lower()
    if problems:
        raise InvalidFields("guardian", problems)
    return out


def correct(
    principal: Principal, massar_code: str, role: str, changes: dict[str, str], origin: Origin
) -> dict[str, str]:
    """Apply `changes` (an empty body confirms the block as it is)."""
    from chalicelib.school_life.guardians import store as guardians

    record = require_record(principal, massar_code)
    school = record.school_code
    if principal.role is not Role.PARENT:
        raise NotAllowed("only a linked parent corrects guardian data")
    if role not in ROLES or school is None:
        raise NotFound("guardian")
    before = record.guardians.get(role)
    if before is None:
        raise NotFound("guardian")
    cleaned = _normalised({k: v for k, v in changes.items() if k in FIELDS})
    changed = {k: v for k, v in cleaned.items() if before.get(k) != v}
    return guardians.apply(massar_code, school, role, before, changed, principal.username, origin)


def changes_for_school(
    principal: Principal, school_code: str, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    from chalicelib.school_life.appointments.service import require_staff_of
    from chalicelib.school_life.guardians import store as guardians

    require_staff_of(principal, school_code)
    return guardians.changes(school_code, limit, cursor)
