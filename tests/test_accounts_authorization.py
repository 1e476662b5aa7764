"""Who may call each account route: every role, on its own account or school, on another's,
and nobody signed in. Each row is (route, caller, expected status)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from chalicelib.schools.classes import store as classes
from tests.account_fixtures import PARENT_CIN, PUPIL, seed, seed_parent, seed_pupil
from tests.conftest import Api

OWN_SCHOOL = "SC0001"
OTHER_SCHOOL = "SC0999"
STRONG = "Palmier#Oued-2032"


def token(role: Role, username: str, **scope: str) -> str:
    return issue_access_token(Account(username, role, AccountStatus.ACTIVE, Scope(**scope)))


CALLERS = {
    "none": lambda: None,
    "parent": lambda: token(Role.PARENT, PARENT_CIN),
    "student": lambda: token(Role.STUDENT, PUPIL),
    "staff of the school": lambda: token(Role.STAFF, "dir.own", school_code=OWN_SCHOOL),
    "staff of another school": lambda: token(Role.STAFF, "dir.other", school_code=OTHER_SCHOOL),
    "national operator": lambda: token(Role.OPS, "ops.nat"),
    "operator of another academy": lambda: token(Role.OPS, "ops.far", academy="03"),
}

STAFF_BODY = {
    "username": "dir.new",
    "school_code": OWN_SCHOOL,
    "first_name": "N",
    "last_name": "N",
    "email": "n@example.ma",
}

# (method, path, body, {caller: status}); callers not named get the row's default.
MATRIX: list[tuple[str, str, Any, dict[str, int], int]] = [
    ("POST", "/v1/staff", STAFF_BODY, {"national operator": 201, "none": 401}, 403),
    (
        "POST",
        f"/v1/accounts/{PUPIL}/initial-code",
        None,
        {
            "staff of the school": 200,
            "national operator": 200,
            "staff of another school": 404,
            "operator of another academy": 404,
            "none": 401,
        },
        403,
    ),
    (
        "GET",
        f"/v1/accounts/{PUPIL}/audit",
        None,
        {"national operator": 200, "operator of another academy": 404, "none": 401},
        403,
    ),
    (
        "POST",
        f"/v1/schools/{OWN_SCHOOL}/account-batches",
        {},
        {
            "staff of the school": 202,
            "national operator": 202,
            "staff of another school": 404,
            "operator of another academy": 404,
            "none": 401,
        },
        403,
    ),
    (
        "POST",
        "/v1/auth/password/change",
        {"current_password": "not-it-at-all-1!", "new_password": "Palmier#Oued-2033"},
        # Signed in, anyone may try on their own account only: a wrong password is 401.
        {"none": 401, "parent": 401},
        401,
    ),
    ("GET", "/v1/me", None, {"none": 401}, 200),
    ("PATCH", "/v1/me", {"language": "ar"}, {"none": 401}, 200),
]

ROWS = [
    pytest.param(
        method, path, body, caller, expected.get(caller, default), id=f"{method} {path} {caller}"
    )
    for method, path, body, expected, default in MATRIX
    for caller in CALLERS
]


@pytest.fixture
def world(api: Api) -> None:
    from chalicelib.schools.rules import SchoolData
    from chalicelib.schools.store import save_school

    seed_pupil(school_code=OWN_SCHOOL)
    seed_parent(password=STRONG)
    for username, role, school in (
        ("dir.own", Role.STAFF, OWN_SCHOOL),
        ("dir.other", Role.STAFF, OTHER_SCHOOL),
        ("ops.nat", Role.OPS, None),
        ("ops.far", Role.OPS, None),
    ):
        seed(username, role, password=STRONG, school_code=school)
    # A pupil account for /v1/me as a student.
    seed(PUPIL + "x", Role.STUDENT, password=STRONG)
    save_school(
        SchoolData(
            code=OWN_SCHOOL,
            name_ar="إعدادية",
            name_fr="Collège",
            cycle="middle",
            sector="public",
            academy="04",  # official HCP codes: Rabat-Salé-Kénitra,
            province="04.421",  # préfecture de Rabat,
            commune="04.421.01.01",  # arrondissement Agdal Riyad
        ),
        None,
        create_only=True,
    )
    classes.save_class(OWN_SCHOOL, "1AC-1", {"label": "1AC-1"})


@pytest.mark.parametrize(("method", "path", "body", "caller", "status"), ROWS)
def test_account_routes(
    api: Api, world: None, method: str, path: str, body: Any, caller: str, status: int
) -> None:
    answer = api.call(method, path, body, token=CALLERS[caller]())
    assert answer.status_code == status, answer.body


def test_issuing_progress_is_for_the_school_and_operators(api: Api, world: None) -> None:
    own = CALLERS["staff of the school"]()
    asked = api.post(f"/v1/schools/{OWN_SCHOOL}/account-batches", {}, token=own)
    url = f"/v1/account-batches/{asked.json_body['id']}"
    expected = {
        "none": 401,
        "parent": 403,
        "student": 403,
        "staff of the school": 200,
        "staff of another school": 404,
        "national operator": 200,
        "operator of another academy": 404,
    }
    for caller, status in expected.items():
        assert api.get(url, token=CALLERS[caller]()).status_code == status, caller


def test_logout_only_ends_the_callers_own_session(api: Api, world: None) -> None:
    parent = api.post("/v1/auth/login", {"username": PARENT_CIN, "password": STRONG}).json_body
    staff = api.post("/v1/auth/login", {"username": "dir.own", "password": STRONG}).json_body
    answer = api.post(
        "/v1/auth/logout", {"refresh_token": parent["refresh_token"]}, token=staff["access_token"]
    )
    assert answer.status_code == 204
    still = api.post("/v1/auth/refresh", {"refresh_token": parent["refresh_token"]})
    assert still.status_code == 200


def test_me_is_always_the_callers_own(api: Api, world: None) -> None:
    parent = api.post("/v1/auth/login", {"username": PARENT_CIN, "password": STRONG}).json_body
    me = api.get("/v1/me", token=parent["access_token"]).json_body
    assert me["username"] == PARENT_CIN
    changed = api.call("PATCH", "/v1/me", {"username": "dir.own"}, token=parent["access_token"])
    assert changed.status_code == 422  # no field chooses whose account it is


def test_an_academy_operator_creates_staff_only_in_its_academy(api: Api, world: None) -> None:
    inside = token(Role.OPS, "ops.rsk", academy="04")
    created = api.post("/v1/staff", {**STAFF_BODY, "username": "dir.rsk"}, token=inside)
    assert created.status_code == 201, created.body
    unknown = api.post(
        "/v1/staff", {**STAFF_BODY, "username": "dir.x", "school_code": "ZZ0000"}, token=inside
    )
    assert unknown.status_code == 403
    outside = token(Role.OPS, "ops.fes", academy="03")  # Fès-Meknès
    refused = api.post("/v1/staff", {**STAFF_BODY, "username": "dir.y"}, token=outside)
    assert refused.status_code == 403
