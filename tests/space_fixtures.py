"""A pupil with guardians at a school, and the callers of the access matrix (issue 6)."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from tests.account_fixtures import seed

PUPIL = "J130012345"
OTHER_PUPIL = "K140054321"
SCHOOL = "SC0001"
OTHER_SCHOOL = "SC0002"
PARENT = "AB123456"
PARENT_EMAIL = "hassan@example.ma"
GUARDIANS = {
    "father": {
        "first_name_ar": "حسن",
        "last_name_ar": "العلوي",
        "first_name_lat": "Hassan",
        "last_name_lat": "El Alaoui",
        "cin": PARENT,
        "phone": "+212612345678",
        "profession": "Technicien",
    },
    "mother": {
        "first_name_ar": "فاطمة",
        "last_name_ar": "بناني",
        "first_name_lat": "Fatima",
        "last_name_lat": "Bennani",
    },
}


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


def seed_world() -> None:
    """The pupil at SCHOOL with two guardians, the other pupil at OTHER_SCHOOL, the school,
    and the requester's account (with an email)."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from chalicelib.schools.rules import SchoolData
    from chalicelib.schools.store import save_school

    for massar, school, first in ((PUPIL, SCHOOL, "Amina"), (OTHER_PUPIL, OTHER_SCHOOL, "Omar")):
        transaction = Transaction()
        pupils.add_pupil(
            transaction,
            massar,
            {
                "first_name_lat": first,
                "last_name_lat": "El Alaoui",
                "first_name_ar": "أمينة",
                "last_name_ar": "العلوي",
                "school_code": school,
                "class_id": "1AC-1",
            },
            dict(GUARDIANS) if massar == PUPIL else {},  # type: ignore[arg-type]
            PARENT if massar == PUPIL else "CD654321",
            {"role": "father"},
        )
        transaction.commit()
    save_school(
        SchoolData(
            code=SCHOOL,
            name_ar="إعدادية ابن بطوطة",
            name_fr="Collège Ibn Battouta, Fès",
            cycle="middle",
            sector="public",
            academy="03",  # official HCP codes: Fès-Meknès,
            province="03.231",  # préfecture de Fès,
            commune="03.231.01.01",  # arrondissement Agdal
        ),
        None,
        create_only=True,
    )
    seed(
        PARENT,
        Role.PARENT,
        password="Strong-password-2026!",
        profile={"first_name": "Hassan", "email": PARENT_EMAIL, "cin": PARENT},
        children=(PUPIL,),
    )
    seed(PUPIL, Role.STUDENT, password="Strong-password-2026!", massar_code=PUPIL)
