"""A class of two pupils with guardians, and the callers of the access matrix (absences and
timetables, issue 6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.domain.accounts import Account, AccountStatus, Role, Scope
from chalicelib.services.tokens import issue_access_token

PUPIL = "J130012345"
CLASSMATE = "J130012346"
OTHER_PUPIL = "K140054321"
SCHOOL = "SC0001"
OTHER_SCHOOL = "SC0002"
CLASS = "1AC-1"
PARENT = "AB123456"
FATHER_PHONE = "+212612345678"
MOTHER_PHONE = "+212661234567"
FATHER_EMAIL = "hassan@example.ma"


def _token(
    username: str, role: Role, school: str | None = None, children: tuple[str, ...] = ()
) -> str:
    return issue_access_token(
        Account(username, role, AccountStatus.ACTIVE, Scope(school_code=school), children=children)
    )


CALLERS: dict[str, Callable[[], str | None]] = {
    "the pupil": lambda: _token(PUPIL, Role.STUDENT),
    "a linked parent": lambda: _token(PARENT, Role.PARENT, children=(PUPIL,)),
    "a parent of another child": lambda: _token("CD654321", Role.PARENT, children=(OTHER_PUPIL,)),
    "staff of the school": lambda: _token("dir.own", Role.STAFF, SCHOOL),
    "staff of another school": lambda: _token("dir.other", Role.STAFF, OTHER_SCHOOL),
    "an operator": lambda: _token("ops.nat", Role.OPS),
    "anonymous": lambda: None,
}


def token(caller: str) -> str:
    value = CALLERS[caller]()
    assert value is not None
    return value


def _pupil(massar: str, school: str, first: str, guardians: dict[str, dict[str, Any]]) -> None:
    from chalicelib.store import classes, pupils
    from chalicelib.store.transactions import Transaction

    profile = {
        "first_name_lat": first,
        "last_name_lat": "El Alaoui",
        "first_name_ar": "أمينة",
        "last_name_ar": "العلوي",
        "school_code": school,
        "class_id": CLASS,
    }
    transaction = Transaction()
    pupils.add_pupil(transaction, massar, dict(profile), guardians, massar, {"role": "father"})
    transaction.commit()
    classes.save_class(school, CLASS, {"label": CLASS, "level": "1AC"})
    classes.save_member(school, CLASS, massar, {"massar_code": massar, **profile})


def seed_class() -> None:
    """PUPIL (father responsible, Arabic; mother) and CLASSMATE (no phone) in SCHOOL's
    class CLASS; OTHER_PUPIL in OTHER_SCHOOL's class of the same name."""
    _pupil(
        PUPIL,
        SCHOOL,
        "Amina",
        {
            "mother": {"first_name_lat": "Fatima", "phone": MOTHER_PHONE, "responsible": "false"},
            "father": {
                "first_name_lat": "Hassan",
                "cin": PARENT,
                "phone": FATHER_PHONE,
                "email": FATHER_EMAIL,
                "responsible": "true",
                "language": "ar",
            },
        },
    )
    _pupil(CLASSMATE, SCHOOL, "Youssef", {"father": {"first_name_lat": "Karim"}})
    _pupil(OTHER_PUPIL, OTHER_SCHOOL, "Omar", {"father": {"phone": "+212600000000"}})


def sheet(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": "2026-11-23",
        "session": "08:00-09:00",
        "subject": "Mathématiques",
        "absent": [{"massar_code": PUPIL, "justified": False}],
    }
    body.update(changes)
    return body


def record(api: Any, **changes: Any) -> Any:
    return api.post(
        f"/v1/schools/{SCHOOL}/classes/{CLASS}/absences",
        sheet(**changes),
        token=token("staff of the school"),
    )
