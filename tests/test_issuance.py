"""Issuing initial codes in bulk: a job per school or class, letters per class, idempotent
re-runs, and the journey issue → letter → activate → sign in (seed 000)."""

from __future__ import annotations

import re
from typing import Any

import pypdfium2

from chalicelib.accounts.rules import Role
from tests.account_fixtures import token_for
from tests.conftest import Api
from tests.enrolment_fixtures import enrol

SCHOOL = {
    "code": "CL4501",
    "name_ar": "إعدادية ابن بطوطة",
    "name_fr": "Collège Ibn Battouta",
    "cycle": "middle",
    "sector": "public",
    "academy": "04",  # official HCP codes: Rabat-Salé-Kénitra,
    "province": "04.421",  # préfecture de Rabat,
    "commune": "04.421.01.01",  # arrondissement Agdal Riyad
    "catchment": ["04.421.01.01"],
}
PUPILS = [
    {
        "massar_code": "J130000001",
        "first_name_lat": "Amina",
        "last_name_lat": "Tazi",
        "first_name_ar": "أمينة",
        "last_name_ar": "التازي",
        "guardian_cin": "AB111111",
        "guardian_first_name_lat": "Karim",
        "guardian_last_name_lat": "Tazi",
        "guardian_first_name_ar": "كريم",
        "guardian_last_name_ar": "التازي",
    },
    {
        "massar_code": "J130000002",
        "first_name_lat": "Youssef",
        "last_name_lat": "Idrissi",
        "first_name_ar": "يوسف",
        "last_name_ar": "الإدريسي",
    },
]
STRONG = "Cedre&Atlas-2031"


def school_with_classes(api: Api, ops_token: str) -> None:
    answer = api.post("/v1/schools", SCHOOL, token=ops_token)
    assert answer.status_code == 201, answer.body
    enrol(api, ops_token, SCHOOL["code"], "1AC-1", [PUPILS[0]])
    enrol(api, ops_token, SCHOOL["code"], "1AC-2", [PUPILS[1]])


def run_batch(api: Api, pump: Any, token: str, class_id: str | None = None) -> dict[str, Any]:
    body = {"class_id": class_id} if class_id else {}
    asked = api.post(f"/v1/schools/{SCHOOL['code']}/account-batches", body, token=token)
    assert asked.status_code == 202, asked.body
    assert asked.json_body["status"] == "queued"
    pump.drain()
    answer = api.get(f"/v1/account-batches/{asked.json_body['id']}", token=token)
    assert answer.status_code == 200
    return dict(answer.json_body)


def letters(batch: dict[str, Any]) -> dict[str, str]:
    """username → initial code, read from the PDFs as a school would print them."""
    from urllib.parse import unquote, urlparse

    from chalicelib.core.config import settings
    from chalicelib.core.files import read

    found = {}
    for cls in batch["classes"]:
        if not cls["letters_url"]:
            continue
        path = unquote(urlparse(cls["letters_url"]).path).lstrip("/")
        pdf = pypdfium2.PdfDocument(read(path.removeprefix(settings().media_bucket + "/")))
        for page in pdf:
            text = page.get_textpage().get_text_range()
            username = re.search(r"Identifiant : (\S+)", text)
            code = re.search(r"Code initial : (\S+)", text)
            assert username and code, text
            found[username.group(1)] = code.group(1)
    return found


def test_issue_letter_activate_sign_in(api: Api, pump: Any, ops_token: str) -> None:
    school_with_classes(api, ops_token)
    staff = token_for(Role.STAFF, "dir.cl4501", SCHOOL["code"])
    batch = run_batch(api, pump, staff)
    assert batch["status"] == "done"
    assert (batch["classes_total"], batch["classes_done"]) == (2, 2)
    assert batch["issued"] == 4  # two pupils, two parents (one by CIN, one by Massar code)
    assert sum(c["issued"] for c in batch["classes"]) == 4  # each class says what it issued
    codes = letters(batch)
    assert set(codes) == {"J130000001", "AB111111", "J130000002"}  # the second parent: J130000002
    answer = api.post(
        "/v1/auth/activate",
        {
            "username": "AB111111",
            "initial_code": codes["AB111111"],
            "new_password": STRONG,
            "email": "karim@example.ma",
        },
    )
    assert answer.status_code == 200, answer.body
    me = api.get("/v1/me", token=answer.json_body["access_token"]).json_body
    assert me["role"] == "parent"
    assert [c["massar_code"] for c in me["children"]] == ["J130000001"]
    signed_in = api.post("/v1/auth/login", {"username": "AB111111", "password": STRONG})
    assert signed_in.status_code == 200


def test_a_rerun_skips_active_accounts_and_replaces_pending_codes(
    api: Api, pump: Any, ops_token: str
) -> None:
    school_with_classes(api, ops_token)
    first = letters(run_batch(api, pump, ops_token, "1AC-1"))
    activated = api.post(
        "/v1/auth/activate",
        {"username": "J130000001", "initial_code": first["J130000001"], "new_password": STRONG},
    )
    assert activated.status_code == 200
    second_batch = run_batch(api, pump, ops_token, "1AC-1")
    assert (second_batch["issued"], second_batch["skipped"]) == (1, 1)
    second = letters(second_batch)
    assert set(second) == {"AB111111"}  # the active pupil gets no new letter
    old = api.post("/v1/auth/login", {"username": "AB111111", "password": first["AB111111"]})
    assert old.status_code == 401  # the earlier code is void
    new = api.post("/v1/auth/login", {"username": "AB111111", "password": second["AB111111"]})
    assert new.json_body["error"]["code"] == "activation_required"
    assert (
        api.post("/v1/auth/login", {"username": "J130000001", "password": STRONG}).status_code
        == 200
    )


def test_a_redelivered_class_message_issues_nothing_twice(
    api: Api, pump: Any, ops_token: str, app: Any
) -> None:
    from chalicelib.accounts.issuance.service import issue_class

    school_with_classes(api, ops_token)
    batch = run_batch(api, pump, ops_token, "1AC-1")
    codes = letters(batch)
    issue_class(batch["id"], "1AC-1")  # the same piece delivered again
    again = api.get(f"/v1/account-batches/{batch['id']}", token=ops_token).json_body
    assert again["issued"] == batch["issued"]
    still = api.post("/v1/auth/login", {"username": "AB111111", "password": codes["AB111111"]})
    assert still.json_body["error"]["code"] == "activation_required"


def test_who_may_issue(api: Api, pump: Any, ops_token: str) -> None:
    school_with_classes(api, ops_token)
    url = f"/v1/schools/{SCHOOL['code']}/account-batches"
    other_staff = token_for(Role.STAFF, "dir.other", "CL9999")
    assert api.post(url, {}, token=other_staff).status_code == 404
    assert api.post(url, {}, token=token_for(Role.PARENT, "AB999999")).status_code == 403
    assert api.post(url, {}).status_code == 401
    assert api.post(url, {"class_id": "NOPE"}, token=ops_token).status_code == 404
    batch = run_batch(api, pump, ops_token, "1AC-2")
    assert api.get(f"/v1/account-batches/{batch['id']}", token=other_staff).status_code == 404
