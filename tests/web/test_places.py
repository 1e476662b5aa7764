"""Registration as a parent meets it (issue 15 #6): région → province → commune or
arrondissement chosen by their Arabic or French names from the official divisions, then the
schools serving that place — at a phone's size, in both languages."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http, running_devserver
from tests.web.checks import check_page
from tests.web.conftest import wait_ready

SHOTS = Path(os.environ.get("WEB_SHOTS", "/tmp/massar-web-shots"))
# The demo's primary school EP0007 serves Tabriquet, an arrondissement of Salé.
NAMES = {
    "ar": {
        "region": "الرباط-سلا-القنيطرة",
        "province": "سلا",
        "commune": "تابريكت",
        "group": "سلا: المقاطعات",
        "school": "مدرسة المسيرة الابتدائية",
        "rural": "أولاد الطيب",  # a commune of the préfecture of Fès with no demo school
        "none": "لا توجد مؤسسة ابتدائية",
    },
    "fr": {
        "region": "Rabat-Salé-Kénitra",
        "province": "Salé",
        "commune": "Tabriquet",
        "group": "Salé : arrondissements",
        "school": "École primaire Al Massira",
        "rural": "Oulad Tayeb",
        "none": "Aucune école primaire",
    },
}


CITY_SCHOOL = {
    "code": "EP0901",
    "name_ar": "مدرسة سلا الجديدة",
    "name_fr": "École Salé Al Jadida",
    "cycle": "primary",
    "sector": "public",
    "academy": "04",
    "province": "04.441",
    "commune": "04.441.01.05",  # in Bettana
    "catchment": ["04.441.01.0"],  # the whole commune of Salé, every arrondissement
}


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    from devserver.__main__ import DEFAULT_OPS_PASSWORD, DEFAULT_OPS_USERNAME

    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        ops = http.token(DEFAULT_OPS_USERNAME, DEFAULT_OPS_PASSWORD)
        status = http.call("POST", "/v1/schools", CITY_SCHOOL, token=ops)[0]
        assert status == 201
        yield http


@pytest.fixture(params=["ar", "fr"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def choose(page: Any, name: str, label: str) -> None:
    """Pick an option by the words a parent reads (never by code), once it has loaded."""
    select = page.locator(f"select[name='{name}']")
    expect(select.locator("option", has_text=label).first).to_be_attached()
    select.select_option(label=label)


def test_register_offers_places_by_name_then_the_schools_serving_them(
    new_page: Callable[..., Any], lang: str
) -> None:
    say = NAMES[lang]
    page = new_page(lang)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/v1/places/" in r.url else None)
    page.goto("/#/register")
    wait_ready(page, "register")
    main = page.locator("main")
    # No code to type any more: three lists, the first one filled, the others waiting.
    expect(main.locator("input[name='residence.commune']")).to_have_count(0)
    regions = main.locator("select[name='place.region'] option")
    expect(regions).to_have_count(13)  # "—" and the 12 régions
    expect(main.locator("select[name='place.province'] option")).to_have_count(1)
    assert not [u for u in asked if "/communes" in u]  # nothing of a province yet
    check_page(page)

    choose(page, "place.region", say["region"])
    choose(page, "place.province", say["province"])
    commune = main.locator("select[name='residence.commune']")
    expect(commune.locator(f"optgroup[label='{say['group']}'] option")).to_have_count(5)
    choose(page, "residence.commune", say["commune"])
    # Sent as Salé's commune and the arrondissement (district), by their official codes.
    picked = commune.locator("option:checked")
    expect(picked).to_have_attribute("value", "04.441.01.09")
    expect(picked).to_have_attribute("data-commune", "04.441.01.0")
    school = main.locator("select[name=school_code]")
    # Tabriquet's own school, and one serving all of Salé (asked for the city's commune too).
    expect(school.locator("option", has_text=say["school"])).to_be_attached()
    expect(school.locator("option", has_text=CITY_SCHOOL[f"name_{lang}"])).to_be_attached()
    school.select_option("EP0007")
    expect(main.locator("p.check.good").first).to_be_visible()
    expect(main.locator("p.check.good").first).to_contain_text("2")
    assert [u.split("/v1/places/")[1] for u in asked] == [
        "regions",
        "regions/04/provinces",
        "provinces/04.441/communes",
    ]
    check_page(page)
    main.locator("[data-field='residence.commune']").scroll_into_view_if_needed()
    shot(page, f"register-places-{lang}")

    # The choice is kept with the draft: back on the page, the same place and school.
    page.wait_for_function(
        "() => (localStorage.getItem('massar.registration_draft') || '').includes('04.441.01.09')"
    )
    page.reload()
    wait_ready(page, "register")
    expect(main.locator("select[name='place.province']")).to_have_value("04.441")
    expect(commune).to_have_value("04.441.01.09")
    expect(school).to_have_value("EP0007")
    check_page(page)

    # Another région: the province and commune start again; a place no school serves says so.
    choose(page, "place.region", "فاس-مكناس" if lang == "ar" else "Fès-Meknès")
    expect(commune).to_have_value("")
    expect(main.locator("select[name=school_code]")).to_have_count(0)
    choose(page, "place.province", "فاس" if lang == "ar" else "Fès")
    choose(page, "residence.commune", say["rural"])
    expect(main.locator("p.check.bad")).to_contain_text(say["none"])
    check_page(page)
    shot(page, f"register-places-none-{lang}")
