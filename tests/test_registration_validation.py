"""Every rule of the application, each with a failing example: the answer names the field,
in French or Arabic. One moto world for the module (nothing here is ever written)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from chalice.test import Client
from moto import mock_aws

from tests.clock import casablanca_today
from tests.conftest import OPS_PASSWORD, OPS_USERNAME, Api, reset_caches
from tests.registration_fixtures import (
    CHILD_BIRTH,
    SCHOOL_BODY,
    WINDOW_TO,
    application,
    open_campaign,
    person,
)


@pytest.fixture(scope="module")
def world() -> Iterator[Api]:
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
            middle = {**SCHOOL_BODY, "code": "CO0001", "cycle": "middle"}
            assert api.post("/v1/schools", middle, token=ops).status_code == 201
            open_campaign(api, ops)
            yield api
    reset_caches()


def fields_of(answer: Any) -> dict[str, str]:
    assert answer.status_code == 422, answer.body
    assert answer.json_body["error"]["code"] == "validation_failed"
    return dict(answer.json_body["error"]["fields"])


sibling = {
    "first_name_ar": "سلمى",
    "last_name_ar": "العلوي",
    "first_name_lat": "Salma",
    "last_name_lat": "El Alaoui",
    "birth_date": (WINDOW_TO + timedelta(days=200)).isoformat(),
}
CASES: list[tuple[str, dict[str, Any], str, str]] = [
    # (what, changes, field, French words in the message)
    (
        "child's Arabic name in Latin",
        {"child__first_name_ar": "Yassine"},
        "child.first_name_ar",
        "lettres arabes",
    ),
    (
        "child's Latin name in Arabic",
        {"child__last_name_lat": "العلوي"},
        "child.last_name_lat",
        "lettres latines",
    ),
    (
        "father's Arabic name with digits",
        {"father": person("محمد2", "Mohamed", phone="0612345678")},
        "father.first_name_ar",
        "lettres arabes",
    ),
    (
        "mother's Latin name in Cyrillic",
        {"mother": person("فاطمة", "Фатима")},
        "mother.first_name_lat",
        "lettres latines",
    ),
    ("empty name", {"child__first_name_ar": "ـــ "}, "child.first_name_ar", "vide"),
    ("missing first name", {"child__first_name_lat": None}, "child.first_name_lat", "obligatoire"),
    ("gender", {"child__gender": "X"}, "child.gender", "non prévue"),
    ("birth date format", {"child__birth_date": "10/05/2020"}, "child.birth_date", "AAAA-MM-JJ"),
    (
        "birth date in the future",
        # A callable: the app's today is read when the test runs, not when it is collected.
        {"child__birth_date": lambda: casablanca_today(3).isoformat()},
        "child.birth_date",
        "futur",
    ),
    (
        "Hijri format",
        {"child__birth_date_hijri": "20/07/1441"},
        "child.birth_date_hijri",
        "hégirienne",
    ),
    (
        "Hijri and Gregorian disagree",
        {"child__birth_date_hijri": "1400-01-01"},
        "child.birth_date_hijri",
        "ne correspond pas",
    ),
    ("birth place empty", {"child__birth_place": "  "}, "child.birth_place", "vide"),
    (
        "certificate number",
        {"child__birth_certificate_number": "12#4"},
        "child.birth_certificate_number",
        "acte",
    ),
    (
        "certificate before birth",
        {"child__birth_certificate_date": (CHILD_BIRTH - timedelta(days=1)).isoformat()},
        "child.birth_certificate_date",
        "antérieure",
    ),
    (
        "father's CIN",
        {"father": person("محمد", "Mohamed", cin="123", phone="0612345678")},
        "father.cin",
        "CIN",
    ),
    (
        "father's phone not a Moroccan mobile",
        {"father": person("محمد", "Mohamed", phone="0522123456")},
        "father.phone",
        "mobile",
    ),
    (
        "father's email",
        {"father": person("محمد", "Mohamed", email="not-an-email")},
        "father.email",
        "",
    ),
    (
        "no reachable contact for the guardian",
        {"father": person("محمد", "Mohamed")},
        "father.phone",
        "téléphone ou un e-mail",
    ),
    ("guardian role unknown", {"guardian_role": "uncle"}, "guardian_role", "non prévue"),
    ("guardian block missing", {"guardian_role": "guardian"}, "guardian", "tuteur"),
    (
        "guardian block not expected",
        {"guardian": person("علي", "Ali", phone="0700000000")},
        "guardian",
        "seulement",
    ),
    (
        "sibling of school age",
        {"siblings": [{**sibling, "birth_date": CHILD_BIRTH.isoformat()}]},
        "siblings.0.birth_date",
        "âge scolaire",
    ),
    (
        "sibling's Arabic name",
        {"siblings": [{**sibling, "first_name_ar": "Salma"}]},
        "siblings.0.first_name_ar",
        "lettres arabes",
    ),
    (
        "residence commune",
        {"residence": {"commune": "!!", "address": "x"}},
        "residence.commune",
        "commune",
    ),
    (
        "residence address missing",
        {"residence": {"commune": "06.141.01.01"}},
        "residence.address",
        "obligatoire",
    ),
    ("unknown school", {"school_code": "EP9999"}, "school_code", "inconnu"),
    ("not a primary school", {"school_code": "CO0001"}, "school_code", "primaire"),
    ("school code format", {"school_code": "x"}, "school_code", "code"),
    ("photo key not ours", {"photo_key": "../etc/passwd"}, "photo_key", "photo"),
    ("photo never uploaded", {"photo_key": "photos/" + "a" * 32}, "photo_key", "introuvable"),
    ("unknown field (mass assignment)", {"status": "approved"}, "status", "non autorisé"),
    ("language", {"language": "en"}, "language", "non prévue"),
]


@pytest.mark.parametrize(("what", "changes", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_names_its_field(
    world: Api, what: str, changes: dict[str, Any], field: str, words: str
) -> None:
    changes = {key: value() if callable(value) else value for key, value in changes.items()}
    fields = fields_of(world.post("/v1/registrations", application(**changes)))
    assert field in fields, fields
    assert words in fields[field]


def test_every_problem_is_reported_at_once_within_a_phase(world: Api) -> None:
    body = application(
        child__first_name_ar="Yassine", child__gender="X", father=person("محمد", "Mohamed", cin="1")
    )
    assert {"child.first_name_ar", "child.gender", "father.cin"} <= set(
        fields_of(world.post("/v1/registrations", body))
    )


def test_field_messages_speak_arabic(world: Api) -> None:
    answer = world.post(
        "/v1/registrations",
        application(child__first_name_ar="Yassine"),
        headers={"Accept-Language": "ar"},
    )
    assert answer.json_body["error"]["message"] == "بعض الحقول غير صالحة."
    assert fields_of(answer)["child.first_name_ar"] == "يجب كتابته بالحروف العربية"
    crossed = world.post(
        "/v1/registrations",
        application(child__birth_date_hijri="1400-01-01"),
        headers={"Accept-Language": "ar"},
    )
    assert fields_of(crossed)["child.birth_date_hijri"] == "لا يطابق تاريخ الازدياد الميلادي"


def test_blank_optional_fields_mean_absent_and_values_are_normalised(world: Api) -> None:
    from chalicelib.registration.rules import Application

    body = application(
        father=person(
            " محمـــد ",
            "  Mohamed ",
            cin="be 123456",
            phone="+212 6 12 34 56 78",
            email="",
            profession="",
        )
    )
    parsed = Application.model_validate(body)
    assert parsed.father.first_name_ar == "محمد"
    assert parsed.father.first_name_lat == "Mohamed"
    assert parsed.father.cin == "BE123456"
    assert parsed.father.phone == "+212612345678"
    assert parsed.father.email is None and parsed.father.profession is None


@pytest.mark.parametrize("raw", [b"null", b"[]", b'{"child": 5}', b'{"siblings": "x"}', b"\xff"])
def test_bad_bodies_never_yield_a_5xx(world: Api, raw: bytes) -> None:
    answer = world.post("/v1/registrations", raw=raw)
    assert 400 <= answer.status_code < 500, answer.body
