"""Who may see a pupil's school life (seed 000): the pupil, a linked parent, and staff of the
pupil's school — nobody else (operators included).

The caller's side comes from the access token (a parent's children are in it), so a view
checks access with no read of its own; the pupil's school is read from the items the view
queries anyway (each carries it), or from the pupil's profile when the view has none.
"""

from __future__ import annotations

from chalicelib.domain.accounts import Role
from chalicelib.domain.errors import NotFound
from chalicelib.services.tokens import Principal


def may_see_pupil(principal: Principal, massar_code: str, pupil_school: str | None) -> bool:
    if principal.role is Role.STUDENT:
        return principal.username == massar_code
    if principal.role is Role.PARENT:
        return massar_code in principal.children
    if principal.role is Role.STAFF:
        return pupil_school is not None and principal.scope.school_code == pupil_school
    return False


def require_pupil(principal: Principal, massar_code: str, pupil_school: str | None) -> None:
    """404 (never 403): a pupil who is not yours does not exist for you."""
    if not may_see_pupil(principal, massar_code, pupil_school):
        raise NotFound("pupil")


def school_of_pupil(massar_code: str) -> str | None:
    """The pupil's school from the profile (one GetItem), for views without items of their own."""
    from chalicelib.store import pupils

    profile = pupils.get_profile(massar_code)
    return profile.get("school_code") if profile else None
