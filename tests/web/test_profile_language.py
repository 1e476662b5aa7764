"""The profile's message language is the one PATCH /v1/me stored (issue 15): "not chosen
yet" while none is stored (never the page's language shown as if saved), the choice saved
and shown again after a reload, and a change back saved too (the page compares with what is
stored now). At 390x844 in both languages, every page checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http, running_devserver
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

# One account per language, neither with a language stored in the demo data.
ACCOUNTS = {
    "ar": ("dir.cl4501", "Directeur-demo-2026!"),
    "fr": ("dir.ep0007", "Directrice-demo-2026!"),
}
UNSET = {"ar": "لم تُختر بعد", "fr": "Pas encore choisie"}
SAVED = {"ar": "تم الحفظ.", "fr": "Enregistré."}


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver: the languages it stores stay here."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


def stored(devserver: Http, lang: str) -> Any:
    status, _, me = devserver.call("GET", "/v1/me", token=devserver.token(*ACCOUNTS[lang]))
    assert status == 200, me
    return me.get("language")  # absent when none is stored


def save(page: Any, lang: str, value: str) -> None:
    page.select_option("select[name=language]", value)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main .notice.good").first).to_be_visible()


def test_the_profile_shows_the_stored_language(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    other = "fr" if lang == "ar" else "ar"
    assert stored(devserver, lang) is None
    page = new_page(lang)
    sign_in(page, *ACCOUNTS[lang], "desk-applications")
    page.goto("/#/profile")
    wait_ready(page, "profile")
    check_page(page)
    select = page.locator("select[name=language]")
    assert select.input_value() == ""  # none stored: not the page's language
    expect(select.locator("option:checked")).to_have_text(UNSET[lang])

    save(page, lang, lang)
    expect(page.locator("main .notice.good").first).to_have_text(SAVED[lang])
    assert stored(devserver, lang) == lang
    assert select.locator("option[value='']").count() == 0
    check_page(page)

    page.reload()
    wait_ready(page, "profile")
    check_page(page)
    assert page.locator("select[name=language]").input_value() == lang

    # Changed, then changed back on the same page: both saved.
    save(page, lang, other)
    assert stored(devserver, lang) == other
    page.locator("main .notice.good").first.evaluate("el => el.remove()")
    save(page, lang, lang)
    assert stored(devserver, lang) == lang
    check_page(page)


@pytest.fixture(params=["ar", "fr"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)
