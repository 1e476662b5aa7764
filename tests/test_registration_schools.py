"""Schools and their areas (one by one and by CSV/XLSX import), campaigns, and the
operators' dashboard."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest

from tests.conftest import Api
from tests.registration_fixtures import (
    COMMUNE,
    DISTRICT,
    SCHOOL,
    SCHOOL_BODY,
    SCHOOL_YEAR,
    application,
    create_school,
    open_campaign,
    ready,
    staff_token,
    submit,
)


def codes(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.body
    return [row["code"] for row in answer.json_body["items"]]


def test_create_list_and_update_a_school(api: Api, ops_token: str) -> None:
    create_school(api, ops_token)
    create_school(api, ops_token, code="CO0001", cycle="middle")
    again = api.post("/v1/schools", SCHOOL_BODY, token=ops_token)
    assert again.status_code == 409 and again.json_body["error"]["code"] == "already_exists"
    assert codes(api.get(f"/v1/schools?commune={COMMUNE}&cycle=primary")) == [SCHOOL]
    assert codes(api.get(f"/v1/schools?commune={DISTRICT}")) == ["CO0001", SCHOOL]
    assert codes(api.get("/v1/schools?commune=04.421.01.01")) == []  # Agdal Riyad, Rabat
    assert codes(api.get("/v1/schools?province=06.141&cycle=middle")) == ["CO0001"]
    one = api.get(f"/v1/schools/{SCHOOL}")
    assert one.status_code == 200 and one.json_body["catchment"] == [COMMUNE, DISTRICT]

    moved = {k: v for k, v in SCHOOL_BODY.items() if k != "code"}
    moved["catchment"] = ["06.141.01.03"]  # Maârif
    updated = api.call("PUT", f"/v1/schools/{SCHOOL}", moved, token=ops_token)
    assert updated.status_code == 200 and updated.json_body["result"] == "updated"
    assert codes(api.get("/v1/schools?commune=06.141.01.03&cycle=primary")) == [SCHOOL]
    assert codes(api.get(f"/v1/schools?commune={COMMUNE}&cycle=primary")) == []
    same = api.call("PUT", f"/v1/schools/{SCHOOL}", moved, token=ops_token)
    assert same.json_body["result"] == "unchanged"
    missing = api.call("PUT", "/v1/schools/EP9999", moved, token=ops_token)
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "x"}, "code"),
        ({"cycle": "college"}, "cycle"),
        ({"sector": "semi"}, "sector"),
        ({"name_ar": ""}, "name_ar"),
        ({"catchment": ["ok", "no good!"]}, "catchment.1"),
        ({"catchment": [f"C{i}" for i in range(41)]}, "catchment"),
    ],
)
def test_school_fields_are_checked(
    api: Api, ops_token: str, changes: dict[str, Any], field: str
) -> None:
    answer = api.post("/v1/schools", {**SCHOOL_BODY, **changes}, token=ops_token)
    assert answer.status_code == 422, answer.body
    assert field in answer.json_body["error"]["fields"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"academy": "CASABLANCA-SETTAT"}, "academy", "région inconnue"),  # a made-up code
        ({"academy": "13"}, "academy", "région inconnue"),
        ({"province": "06.999"}, "province", "province ou préfecture inconnue"),
        ({"academy": "04"}, "province", "n'appartient pas à la région"),
        ({"commune": "TABRIQUET"}, "commune", "commune ou arrondissement inconnu"),
        ({"commune": "04.441.01.09"}, "commune", "n'appartient pas à la province"),
        ({"catchment": [COMMUNE, "06.141.01.99"]}, "catchment.1", "inconnu"),
    ],
)
def test_schools_speak_the_official_codes(
    api: Api, ops_token: str, changes: dict[str, Any], field: str, words: str
) -> None:
    answer = api.post("/v1/schools", {**SCHOOL_BODY, **changes}, token=ops_token)
    assert answer.status_code == 422, answer.body
    fields = answer.json_body["error"]["fields"]
    assert words in fields[field], fields
    arabic = api.post(
        "/v1/schools",
        {**SCHOOL_BODY, **changes},
        token=ops_token,
        headers={"Accept-Language": "ar"},
    )
    assert arabic.status_code == 422 and arabic.json_body["error"]["fields"][field] != fields[field]
    moved = {k: v for k, v in {**SCHOOL_BODY, **changes}.items() if k != "code"}
    create_school(api, ops_token)
    update = api.call("PUT", f"/v1/schools/{SCHOOL}", moved, token=ops_token)
    assert update.status_code == 422 and field in update.json_body["error"]["fields"]


def test_school_answers_name_their_places(api: Api, ops_token: str) -> None:
    created = api.post("/v1/schools", SCHOOL_BODY, token=ops_token)
    assert created.status_code == 201, created.body
    for body in (created.json_body, api.get(f"/v1/schools/{SCHOOL}").json_body):
        assert (body["academy"], body["academy_name_fr"]) == ("06", "Casablanca-Settat")
        assert (body["province"], body["province_name_ar"]) == ("06.141", "الدار البيضاء")
        assert (body["commune_name_ar"], body["commune_name_fr"]) == ("أنفا", "Anfa")
        assert body["catchment_names"] == [
            {"code": COMMUNE, "name_ar": "أنفا", "name_fr": "Anfa"},
            {"code": DISTRICT, "name_ar": "سيدي بليوط", "name_fr": "Sidi Belyout"},
        ]
    (row,) = api.get(f"/v1/schools?commune={DISTRICT}").json_body["items"]
    assert (row["commune"], row["commune_name_fr"]) == (COMMUNE, "Anfa")


def test_listing_schools_needs_an_area_or_a_province(api: Api) -> None:
    answer = api.get("/v1/schools")
    assert answer.status_code == 422 and "commune" in answer.json_body["error"]["fields"]


def _import(api: Api, token: str, content: bytes, fmt: str = "csv", **extra: Any) -> Any:
    body = {"format": fmt, "content_base64": base64.b64encode(content).decode(), **extra}
    return api.post("/v1/schools/import", body, token=token)


# Official codes: Casablanca-Settat (06), the préfectures of Casablanca (06.141) and
# Mohammadia (06.371); Anfa (C1), Maârif (C2), Sidi Belyout (C3), Mohammadia's commune (C4).
C1, C2, C3, C4 = "06.141.01.01", "06.141.01.03", "06.141.01.07", "06.371.01.01"
CSV = (
    "code;name_ar;name_fr;cycle;sector;academy;province;commune;catchment\n"
    f"EP1001;مدرسة النور;École An-Nour;primary;public;06;06.141;{C1};{C1}|{C2}\n"
    f"EP1002;مدرسة الفتح;École Al Fath;primaire;public;06;06.141;{C1};\n"
    f"EP1003;;École sans nom;primary;public;06;06.141;{C3};{C3}\n"
    f"EP1001;مدرسة النور;École An-Nour;primary;public;06;06.141;{C1};{C1}\n"
    f"EP1004;مدرسة الأطلس;École Atlas;primary;private;06;06.371;{C4};\n"
).encode("utf-8-sig")


def test_csv_import_reports_row_by_row(api: Api, ops_token: str) -> None:
    dry = _import(api, ops_token, CSV, dry_run=True)
    assert dry.status_code == 200, dry.body
    assert dry.json_body["created"] == 2 and dry.json_body["failed"] == 3
    assert codes(api.get(f"/v1/schools?commune={C1}")) == []

    report = _import(api, ops_token, CSV).json_body
    rows = {row["row"]: row for row in report["rows"]}
    assert rows[2]["status"] == "created" and rows[6]["status"] == "created"
    assert rows[3]["status"] == "error" and "cycle" in rows[3]["errors"]
    assert rows[4]["errors"]["name_ar"] == "champ vide"
    assert rows[5]["errors"] == {"code": "code répété dans le fichier"}
    assert codes(api.get(f"/v1/schools?commune={C2}")) == ["EP1001"]
    assert codes(api.get(f"/v1/schools?commune={C4}")) == ["EP1004"]  # its own commune

    again = _import(api, ops_token, CSV).json_body
    assert again["unchanged"] == 2 and again["created"] == 0


def test_an_import_reports_unknown_places_row_by_row(api: Api, ops_token: str) -> None:
    made_up = (
        "code;name_ar;name_fr;cycle;sector;academy;province;commune;catchment\n"
        "EP1101;مدرسة;École;primary;public;RSK;RABAT;AGDAL;\n"  # the old internal codes
        f"EP1102;مدرسة;École;primary;public;06;04.441;{C1};\n"
        f"EP1103;مدرسة;École;primary;public;06;06.141;{C1};{C2}|06.141.01.99\n"
        f"EP1104;مدرسة;École;primary;public;06;06.141;{C1};{C2}\n"
    ).encode()
    report = _import(api, ops_token, made_up).json_body
    rows = {row["row"]: row for row in report["rows"]}
    assert set(rows[2]["errors"]) == {"academy", "province", "commune"}
    assert "région inconnue" in rows[2]["errors"]["academy"]
    assert "n'appartient pas à la région" in rows[3]["errors"]["province"]
    assert set(rows[4]["errors"]) == {"catchment.1"}
    assert rows[5]["status"] == "created" and report["failed"] == 3


def test_xlsx_import(api: Api, ops_token: str) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Code",
            "name_ar",
            "name_fr",
            "cycle",
            "sector",
            "academy",
            "province",
            "commune",
            "catchment",
        ]
    )
    sheet.append(
        [
            "EP2001",
            "مدرسة ابن سينا",
            "École Ibn Sina",
            "primary",
            "public",
            "04",  # Rabat-Salé-Kénitra
            "04.421",  # préfecture de Rabat
            "04.421.01.01",  # Agdal Riyad
            "04.421.01.01 04.421.01.06",  # and Souissi
        ]
    )
    sheet.append(
        [
            "EP2002",
            "Ibn Rochd",
            "École Ibn Rochd",
            "primary",
            "public",
            "04",
            "04.421",
            "04.421.01.01",
            "",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(api, ops_token, buffer.getvalue(), "xlsx").json_body
    assert [row["status"] for row in report["rows"]] == ["created", "created"]
    assert codes(api.get("/v1/schools?commune=04.421.01.06")) == ["EP2001"]


@pytest.mark.parametrize(
    ("content", "fmt", "field"),
    [
        (b"code;name_ar\nEP1;x\n", "csv", "columns.name_fr"),
        (b"", "csv", "content_base64"),
        (b"not a zip", "xlsx", "content_base64"),
        ("\xe9".encode("latin-1") * 10, "csv", "content_base64"),
    ],
)
def test_unreadable_imports_are_422(
    api: Api, ops_token: str, content: bytes, fmt: str, field: str
) -> None:
    if not content:
        answer = api.post(
            "/v1/schools/import", {"format": fmt, "content_base64": "!!"}, token=ops_token
        )
    else:
        answer = _import(api, ops_token, content, fmt)
    assert answer.status_code == 422, answer.body
    assert field in answer.json_body["error"]["fields"]


def test_an_academy_operator_imports_only_its_schools(api: Api, ops_token: str) -> None:
    from chalicelib.accounts.rules import Role
    from tests.registration_fixtures import token

    rabat = token("ops.rabat", Role.OPS, academy="04")
    report = _import(api, rabat, CSV).json_body
    assert report["created"] == 0
    assert {r["status"] for r in report["rows"]} == {"error"}


def test_campaigns(api: Api, ops_token: str) -> None:
    assert api.get("/v1/campaigns/current").status_code == 404
    body = open_campaign(api, ops_token, note="6 ans révolus au 31 décembre")
    current = api.get("/v1/campaigns/current")
    assert current.status_code == 200
    assert current.json_body["school_year"] == SCHOOL_YEAR and current.json_body["is_open"]
    assert current.json_body["birth_date_to"] == body["birth_date_to"]
    assert api.get(f"/v1/campaigns/{SCHOOL_YEAR}").status_code == 200
    assert api.get("/v1/campaigns/2001-2002").status_code == 404
    bad_year = api.call("PUT", "/v1/campaigns/2026-2028", body, token=ops_token)
    assert bad_year.status_code == 422 and "school_year" in bad_year.json_body["error"]["fields"]
    reversed_dates = {**body, "closes_on": "2000-01-01"}
    bad = api.call("PUT", f"/v1/campaigns/{SCHOOL_YEAR}", reversed_dates, token=ops_token)
    assert bad.status_code == 422
    assert bad.json_body["error"]["fields"]["closes_on"] == "avant la date d'ouverture"


def test_dashboard_counts_by_status_scope_and_hour(api: Api, ops_token: str, pump: Any) -> None:
    ready(api, ops_token)
    create_school(api, ops_token, code="EP0003", province="06.371", commune="06.371.01.01")
    made = []
    for n, school in enumerate([SCHOOL, SCHOOL, SCHOOL, "EP0003"]):
        body = application(school_code=school, child__birth_certificate_number=f"{n}/2020")
        made.append(submit(api, body).json_body["id"])
    director = staff_token()
    api.post(f"/v1/registrations/{made[0]}/approve", token=director)
    api.post(f"/v1/registrations/{made[1]}/reject", {"reason": "under_age"}, token=director)
    pump.drain()  # the counts come from the registrations stream

    def board(scope: str, token: str = ops_token) -> dict[str, Any]:
        answer = api.get(
            f"/v1/dashboard/registrations?school_year={SCHOOL_YEAR}&scope={scope}", token=token
        )
        assert answer.status_code == 200, answer.body
        return dict(answer.json_body)

    national = board("national")
    assert national["counts"] == {"submitted": 2, "approved": 1, "rejected": 1, "total": 4}
    assert [r["scope"] for r in national["breakdown"]] == ["academy:06"]
    assert national["breakdown"][0]["name_fr"] == "Casablanca-Settat"
    assert sum(h["submissions"] for h in national["hours"]) == 4
    academy = board("academy:06")
    assert (academy["name_ar"], academy["name_fr"]) == ("الدار البيضاء-سطات", "Casablanca-Settat")
    assert {r["scope"]: (r["total"], r["name_fr"]) for r in academy["breakdown"]} == {
        "province:06.141": (3, "Casablanca"),
        "province:06.371": (1, "Mohammadia"),
    }
    province = board("province:06.141")
    assert province["breakdown"] == [
        {"scope": f"school:{SCHOOL}", "submitted": 1, "approved": 1, "rejected": 1, "total": 3}
    ]
    school = board(f"school:{SCHOOL}", director)
    assert school["counts"] == {"submitted": 1, "approved": 1, "rejected": 1, "total": 3}
    assert school["hours"][0]["hour"].endswith(":00Z")
    current = api.get("/v1/dashboard/registrations", token=ops_token)
    assert current.status_code == 200 and current.json_body["scope"] == "national"
    bad = api.get("/v1/dashboard/registrations?scope=planet:x", token=ops_token)
    assert bad.status_code == 422


def test_no_scan_on_the_dashboard_or_lists(api: Api, ops_token: str) -> None:
    from unittest import mock

    from botocore.client import BaseClient

    ready(api, ops_token)
    submit(api)
    real = BaseClient._make_api_call
    operations: list[str] = []

    def spy(client: Any, name: str, params: Any) -> Any:
        operations.append(name)
        return real(client, name, params)

    with mock.patch.object(BaseClient, "_make_api_call", spy):
        api.get(f"/v1/dashboard/registrations?school_year={SCHOOL_YEAR}", token=ops_token)
        api.get(f"/v1/schools/{SCHOOL}/registrations?q=yass", token=staff_token())
        api.get(f"/v1/schools?commune={COMMUNE}")
    assert operations and "Scan" not in operations
