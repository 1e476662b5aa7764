"""Who may do what, in one place: every feature asks these functions.

Operators and schools. "An operator's scope covers this place" has one meaning:
a national operator (no academy, no province) covers everything; an academy's operator the
schools of that academy; a province's operator the schools of that province; an operator
holding both an academy and a province covers what lies in the province (the narrower) *and*
in the academy. (Older copies disagreed: some let the academy alone decide, one let either
match, some let any operator or only national ones through; this is the meaning kept.)
Staff act for the one school in their token.

Pupils' school life (seed 000): the pupil, a linked parent, and staff of the school where the
pupil's record says the pupil is enrolled now — nobody else (operators included). 404 (never
403): a pupil who is not yours does not exist for you. The pupil's and the parents' side
comes from the access token (a parent's children are in it), so their views are decided with
no read. Staff are decided from the pupil record — the current enrolment — never from the
school written on whatever item a view's query returns first (another school could have
planted one there).

The rules take their data in and read nothing. What reads (a pupil's record in `require_*`,
a school or pupil records in the "Reads" section) says so, and imports its store only when
called, so this module imports no AWS library.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from chalicelib.accounts.rules import Account, Role, Scope
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.errors import NotFound
from chalicelib.pupils.rules import PupilRecord

if TYPE_CHECKING:
    from chalicelib.schools.rules import SchoolData


class Placed(Protocol):
    """Anything with a place in the divisions: a school, an issuing job's school."""

    @property
    def academy(self) -> str | None: ...

    @property
    def province(self) -> str | None: ...


# --- Operators and staff: the rule -------------------------------------------------------


def scope_covers(scope: Scope, academy: str | None, province: str | None) -> bool:
    """Whether an operator's scope covers a place in `academy` and `province` (either may
    be unknown: an unknown part is covered by a national scope only, or by a scope that
    does not ask for it). The narrower province decides, and must lie in the academy."""
    if scope.province:
        return province == scope.province and (not scope.academy or academy == scope.academy)
    if scope.academy:
        return academy == scope.academy
    return True


def is_operator(principal: Principal | None) -> bool:
    return principal is not None and principal.role is Role.OPS


def is_national_operator(principal: Principal | None) -> bool:
    return (
        principal is not None
        and principal.role is Role.OPS
        and not (principal.scope.academy or principal.scope.province)
    )


def operator_covers(principal: Principal | None, academy: str | None, province: str | None) -> bool:
    """An operator whose scope covers the place (`scope_covers`); nobody else."""
    return (
        principal is not None
        and principal.role is Role.OPS
        and scope_covers(principal.scope, academy, province)
    )


def operator_covers_school(principal: Principal | None, school: Placed | None) -> bool:
    """An operator over this school; an unknown school (None) only a national operator."""
    if school is None:
        return is_national_operator(principal)
    return operator_covers(principal, school.academy, school.province)


def operator_covers_account(principal: Principal | None, account: Account) -> bool:
    """An operator over the place an account was made for (its scope's academy/province)."""
    return operator_covers(principal, account.scope.academy, account.scope.province)


def staff_of_school(principal: Principal | None, school_code: str | None) -> bool:
    """Staff whose token names this school."""
    return (
        principal is not None
        and principal.role is Role.STAFF
        and bool(school_code)
        and principal.scope.school_code == school_code
    )


def pupils_of_account(account: Account) -> list[str]:
    """The pupils an account stands for: a pupil's own code, a parent's children."""
    if account.role is Role.STUDENT:
        return [account.massar_code or account.username]
    if account.role is Role.PARENT:
        return list(account.children)
    return []


def staff_holds_account(
    principal: Principal | None, account: Account, records: Iterable[PupilRecord]
) -> bool:
    """Staff hold a pupil's account while the pupil record says the pupil is enrolled at
    their school, a parent's while one of the parent's children is (`records`: those of
    `pupils_of_account`), any other account of their school by its scope."""
    if principal is None or principal.role is not Role.STAFF:
        return False
    school = principal.scope.school_code
    if not school:
        return False
    if account.role in (Role.STUDENT, Role.PARENT):
        return any(record.enrolled_at(school) for record in records)
    return school == account.scope.school_code


# --- Pupils' school life -----------------------------------------------------------------


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


# --- Reads: the rules above, with the one item they need ----------------------------------


def school_placed(school_code: str) -> SchoolData | None:
    """The school (one GetItem), for where it lies."""
    from chalicelib.schools.store import get_school

    return get_school(school_code)


def operator_covers_school_code(principal: Principal | None, school_code: str) -> bool:
    """`operator_covers_school` by the school's code: reads the school only for an operator
    with an academy or a province (a national one covers every code, known or not)."""
    if not is_operator(principal):
        return False
    if is_national_operator(principal):
        return True
    return operator_covers_school(principal, school_placed(school_code))


def staff_or_operator_of_school(principal: Principal | None, school_code: str) -> bool:
    """The school's staff, or an operator over it."""
    return staff_of_school(principal, school_code) or operator_covers_school_code(
        principal, school_code
    )


def may_manage_account(principal: Principal | None, account: Account) -> bool:
    """Staff manage the accounts they hold (`staff_holds_account`: the pupil records read in
    one BatchGetItem), operators the accounts of their scope."""
    if principal is not None and principal.role is Role.STAFF:
        codes = pupils_of_account(account)
        if not codes or not principal.scope.school_code:
            return staff_holds_account(principal, account, ())
        from chalicelib.pupils import store as pupils

        return staff_holds_account(principal, account, pupils.get_records(codes).values())
    return operator_covers_account(principal, account)


def pupil_record(massar_code: str) -> PupilRecord | None:
    from chalicelib.pupils import store as pupils

    return pupils.get_record(massar_code)
