"""A class of two pupils with guardians, and the callers of the access matrix (absences and
timetables, issue 6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.clock import school_year_day

# The people and the seven-caller access matrix are the space's, shared with its other tests.
from tests.space_fixtures import (  # noqa: F401 - re-exported to the absences tests
    CALLERS,
    OTHER_PUPIL,
    OTHER_SCHOOL,
    PARENT,
    PUPIL,
    SCHOOL,
    token,
)

CLASSMATE = "J130012346"
CLASS = "1AC-1"
FATHER_PHONE = "+212612345678"
MOTHER_PHONE = "+212661234567"
FATHER_EMAIL = "hassan@example.ma"


def _pupil(massar: str, school: str, first: str, guardians: dict[str, dict[str, Any]]) -> None:
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from chalicelib.schools.classes import store as classes

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


def absence_day() -> date:
    """The default sheet's day: 23 November of the last school year. The app refuses a day
    after its today; this one is always before it, and the same all school year long."""
    return school_year_day(1, 11, 23)


def sheet(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "date": absence_day().isoformat(),
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
