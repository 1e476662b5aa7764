"""Who may see a pupil's school life (seed 000): the pupil, a linked parent, and staff of the
school where the pupil's record says the pupil is enrolled now — nobody else (operators
included). 404 (never 403): a pupil who is not yours does not exist for you.

The pupil's and the parents' side comes from the access token (a parent's children are in
it), so their views are decided with no read. Staff are decided from the pupil record — the
current enrolment — never from the school written on whatever item a view's query returns
first (another school could have planted one there).
"""

from __future__ import annotations

from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.errors import NotFound
from chalicelib.pupils.rules import PupilRecord


def _family_may_see(principal: Principal, massar_code: str) -> bool:
    if principal.role is Role.STUDENT:
        return principal.username == massar_code
    if principal.role is Role.PARENT:
        return massar_code in principal.children
    return False


def may_see_pupil(principal: Principal, massar_code: str, record: PupilRecord | None) -> bool:
    if principal.role is Role.STAFF:
        school = principal.scope.school_code
        return record is not None and bool(school) and record.enrolled_at(school or "")
    return _family_may_see(principal, massar_code)


def require_pupil(principal: Principal, massar_code: str) -> PupilRecord | None:
    """Let in the pupil, a linked parent (no read) or staff of the pupil's current school
    (one GetItem of the record, returned)."""
    if principal.role is not Role.STAFF:
        if not _family_may_see(principal, massar_code):
            raise NotFound("pupil")
        return None
    record = pupil_record(massar_code)
    if not may_see_pupil(principal, massar_code, record):
        raise NotFound("pupil")
    return record


def require_record(principal: Principal, massar_code: str) -> PupilRecord:
    """As `require_pupil`, for views that need the record itself (school, class, guardians)."""
    record = require_pupil(principal, massar_code)
    if record is None:
        record = pupil_record(massar_code)
    if record is None:
        raise NotFound("pupil")
    return record


def require_staff_of_pupil(principal: Principal, massar_code: str) -> PupilRecord:
    """Staff of the pupil's current school only (writes about a pupil)."""
    if principal.role is not Role.STAFF:
        raise NotFound("pupil")
    record = require_pupil(principal, massar_code)
    assert record is not None  # staff are always decided from the record
    return record


def pupil_record(massar_code: str) -> PupilRecord | None:
    from chalicelib.pupils import store as pupils

    return pupils.get_record(massar_code)


def school_of_pupil(massar_code: str) -> str | None:
    """The pupil's current school, from the record (one GetItem)."""
    record = pupil_record(massar_code)
    return record.school_code if record else None
