"""Who may do what: every registration, school, campaign and dashboard route against
anonymous callers, a parent, a director of another school, operators of another academy,
and the rightful caller. One moto world for the module; refusals change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client
from moto import mock_aws

from chalicelib.accounts.rules import Role
from tests.conftest import OPS_PASSWORD, OPS_USERNAME, Api, reset_caches
from tests.registration_fixtures import (
    OTHER_SCHOOL,
    SCHOOL,
    SCHOOL_BODY,
    SCHOOL_YEAR,
    application,
    open_campaign,
    parent_token,
    staff_token,
    token,
)


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, Any]]:
    with mock_aws():
        reset_caches()
        from app import app
        from chalicelib.accounts.sign_in.service import bootstrap_ops_account
        from devserver.resources import create_local_resources

        create_local_resources()
        bootstrap_ops_account(OPS_USERNAME, OPS_PASSWORD)
        with Client(app, stage_name="dev") as client:
            api = Api(client)
            login = {"username": OPS_USERNAME, "password": OPS_PASSWORD}
            ops = api.post("/v1/auth/login", login).json_body["access_token"]
            assert api.post("/v1/schools", SCHOOL_BODY, token=ops).status_code == 201
            # In Rabat-Salé-Kénitra (04): préfecture de Rabat, arrondissement Agdal Riyad.
            rabat = {"academy": "04", "province": "04.421", "commune": "04.421.01.01"}
            other = {**SCHOOL_BODY, "code": OTHER_SCHOOL, **rabat, "catchment": []}
            assert api.post("/v1/schools", other, token=ops).status_code == 201
            open_campaign(api, ops)
            made = api.post("/v1/registrations", application()).json_body
            yield {"api": api, "ops": ops, "made": made}
    reset_caches()


CALLERS = {
    "anonymous": lambda: None,
    "parent": parent_token,
    "director of another school": lambda: staff_token(OTHER_SCHOOL, "dir.other"),
    "director": staff_token,
    "operator of another academy": lambda: token("ops.rabat", Role.OPS, academy="04"),
    "operator of the academy": lambda: token("ops.casa", Role.OPS, academy="06"),
    "national operator": lambda: token("ops.nat", Role.OPS),
}

# (method, path, body, {caller: expected status}); callers not listed are not asked.
ROWS: list[tuple[str, str, Any, dict[str, int]]] = [
    (
        "POST",
        "/v1/schools",
        {**SCHOOL_BODY, "code": "EP7777"},
        {
            "anonymous": 401,
            "parent": 403,
            "director": 403,
            "operator of another academy": 403,
        },
    ),
    (
        "PUT",
        f"/v1/schools/{SCHOOL}",
        {k: v for k, v in SCHOOL_BODY.items() if k != "code"},
        {
            "anonymous": 401,
            "parent": 403,
            "director": 403,
            "operator of another academy": 403,
            "operator of the academy": 200,
        },
    ),
    (
        "POST",
        "/v1/schools/import",
        {"format": "csv", "content_base64": "Y29kZQ=="},
        {"anonymous": 401, "parent": 403, "director": 403},
    ),
    (
        "PUT",
        f"/v1/campaigns/{SCHOOL_YEAR}",
        {  # fixed days: every caller here is refused, so they are never stored or compared
            "opens_on": "2026-01-01",
            "closes_on": "2026-01-02",
            "birth_date_from": "2019-01-01",
            "birth_date_to": "2019-12-31",
        },
        {"anonymous": 401, "parent": 403, "director": 403, "operator of the academy": 403},
    ),
    (
        "GET",
        f"/v1/schools/{SCHOOL}/registrations",
        None,
        {
            "anonymous": 401,
            "parent": 403,
            "director of another school": 403,
            "operator of another academy": 403,
            "director": 200,
            "operator of the academy": 200,
            "national operator": 200,
        },
    ),
    (
        "GET",
        f"/v1/schools/{SCHOOL}/registrations?q=yassine",
        None,
        {"parent": 403, "director of another school": 403, "director": 200},
    ),
    (
        "GET",
        "/v1/registrations/{id}",
        None,
        {
            "anonymous": 404,
            "parent": 404,
            "director of another school": 404,
            "operator of another academy": 404,
            "director": 200,
            "operator of the academy": 200,
        },
    ),
    (
        "GET",
        "/v1/registrations/{id}?tracking_code=AAAA-BBBB-CCCC",
        None,
        {"anonymous": 404, "parent": 404},
    ),
    (
        "GET",
        "/v1/registrations/{id}?tracking_code={tracking_code}",
        None,
        {"anonymous": 200, "director of another school": 200},
    ),
    (
        "POST",
        "/v1/registrations/{id}/approve",
        None,
        {
            "anonymous": 401,
            "parent": 403,
            "director of another school": 404,
            "operator of another academy": 404,
            "operator of the academy": 403,
            "national operator": 403,
        },
    ),
    (
        "POST",
        "/v1/registrations/{id}/reject",
        {"reason": "under_age"},
        {
            "anonymous": 401,
            "parent": 403,
            "director of another school": 404,
            "national operator": 403,
        },
    ),
    (
        "GET",
        f"/v1/dashboard/registrations?school_year={SCHOOL_YEAR}&scope=school:{SCHOOL}",
        None,
        {
            "anonymous": 401,
            "parent": 403,
            "director of another school": 403,
            "operator of another academy": 403,
            "director": 200,
            "operator of the academy": 200,
        },
    ),
    (
        "GET",
        f"/v1/dashboard/registrations?school_year={SCHOOL_YEAR}&scope=national",
        None,
        {"director": 403, "operator of the academy": 403, "national operator": 200},
    ),
    (
        "GET",
        f"/v1/dashboard/registrations?school_year={SCHOOL_YEAR}&scope=academy:04",
        None,
        {"operator of the academy": 403, "operator of another academy": 200},
    ),
]

CASES = [
    (method, path, body, caller, status)
    for method, path, body, expected in ROWS
    for caller, status in expected.items()
]


@pytest.mark.parametrize(
    ("method", "path", "body", "caller", "status"),
    CASES,
    ids=[f"{c[0]} {c[1].split('?')[0]} as {c[3]}" for c in CASES],
)
def test_authorization_matrix(
    world: dict[str, Any], method: str, path: str, body: Any, caller: str, status: int
) -> None:
    api: Api = world["api"]
    made = world["made"]
    path = path.replace("{id}", made["id"]).replace("{tracking_code}", made["tracking_code"])
    answer = api.call(method, path, body, token=CALLERS[caller]())
    assert answer.status_code == status, answer.body
    if status >= 400 and caller != "anonymous":
        assert "error" in answer.json_body  # (the gateway itself refuses anonymous callers)


def test_the_application_is_still_undecided_after_every_refusal(world: dict[str, Any]) -> None:
    api: Api = world["api"]
    made = world["made"]
    seen = api.get(f"/v1/registrations/{made['id']}?tracking_code={made['tracking_code']}")
    assert seen.json_body["status"] == "submitted"


def test_only_staff_and_operators_see_the_whole_application(world: dict[str, Any]) -> None:
    api: Api = world["api"]
    made = world["made"]
    holder = api.get(f"/v1/registrations/{made['id']}?tracking_code={made['tracking_code']}")
    assert "application" not in holder.json_body and "decided_by" not in holder.json_body
    staff = api.get(f"/v1/registrations/{made['id']}", token=staff_token())
    assert staff.json_body["application"]["father"]["cin"] == "BE123456"


def test_every_registration_route_is_in_the_matrix(world: dict[str, Any]) -> None:
    from chalicelib.core.http import OPERATIONS

    mine = {
        (op.method, op.path)
        for op in OPERATIONS
        if op.tag in ("registrations", "schools", "campaigns", "dashboard") and op.signed_in
    }
    normalised = {
        (
            method,
            path.split("?")[0]
            .replace(f"/{SCHOOL}", "/{code}")
            .replace(f"/{SCHOOL_YEAR}", "/{school_year}"),
        )
        for method, path, _, _ in ROWS
    }
    assert mine <= normalised, mine - normalised
