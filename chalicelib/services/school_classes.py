"""Classes of a school and their pupils (issue 6: school structure), kept by its staff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.domain.accounts import Role
from chalicelib.domain.errors import InvalidFields, NotFound
from chalicelib.domain.identifiers import is_massar_code
from chalicelib.services.tokens import Principal
from chalicelib.store import classes

MEMBER_FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_lat",
    "last_name_lat",
    "guardian_cin",
    "guardian_first_name_ar",
    "guardian_last_name_ar",
    "guardian_first_name_lat",
    "guardian_last_name_lat",
)


def _staff_of(principal: Principal, school_code: str) -> None:
    if principal.role is Role.OPS and not (principal.scope.academy or principal.scope.province):
        return
    if principal.role is not Role.STAFF or principal.scope.school_code != school_code:
        raise NotFound("school")


def save_class(
    principal: Principal, school_code: str, class_id: str, data: dict[str, str]
) -> dict[str, str]:
    _staff_of(principal, school_code)
    classes.save_class(school_code, class_id, {k: v for k, v in data.items() if v})
    return classes.get_class(school_code, class_id) or {}


def list_classes(principal: Principal, school_code: str) -> list[dict[str, str]]:
    _staff_of(principal, school_code)
    return classes.classes_of_school(school_code)


def put_pupils(
    principal: Principal, school_code: str, class_id: str, pupils: Sequence[dict[str, Any]]
) -> list[dict[str, str]]:
    """Add (or update) pupils of the class; every row is checked before anything is written."""
    _staff_of(principal, school_code)
    if classes.get_class(school_code, class_id) is None:
        raise NotFound("class")
    problems = {
        f"pupils.{n}.massar_code": "not_a_massar_code"
        for n, pupil in enumerate(pupils)
        if not is_massar_code(str(pupil.get("massar_code", "")))
    }
    if problems:
        raise InvalidFields("pupils", problems)
    for pupil in pupils:
        data = {k: str(pupil[k]) for k in MEMBER_FIELDS if pupil.get(k)}
        classes.save_member(school_code, class_id, str(pupil["massar_code"]), data)
    return classes.members_of_class(school_code, class_id)


def pupils_of_class(principal: Principal, school_code: str, class_id: str) -> list[dict[str, str]]:
    _staff_of(principal, school_code)
    if classes.get_class(school_code, class_id) is None:
        raise NotFound("class")
    return classes.members_of_class(school_code, class_id)
