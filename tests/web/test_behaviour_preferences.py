"""Behaviour notes and notification preferences in the web client (issue 17), at 390x844
in both languages: a director writes a note from the desk's behaviour tab, the parent reads
it in the family space's behaviour tab, and switches a kind of message off (and back on)
in the profile, where absences and decisions stay on and cannot be unticked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http, running_devserver
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

AMINA = "J130012345"  # the demo parent's child at CL4501
PARENT = ("AB123456", "Parent-demo-2026!")
DIRECTOR = ("dir.cl4501", "Directeur-demo-2026!")
WHAT = {"ar": "لم يحضر دفتر التمارين", "fr": "N'a pas apporté son cahier d'exercices"}
KIND = {"ar": "عدم إحضار الواجب أو الأدوات", "fr": "Travail ou matériel non apporté"}
SAVED = {"ar": "تم الحفظ.", "fr": "Enregistré."}


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver: the notes and choices it stores stay here."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


@pytest.fixture(params=["ar", "fr"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_note_written_at_the_desk_shows_in_the_family_space(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    desk = new_page(lang)
    sign_in(desk, *DIRECTOR, "desk-applications")
    desk.goto("/#/desk/behaviour")
    wait_ready(desk, "desk-behaviour")
    check_page(desk)
    form = desk.locator("form.behaviour-note")
    form.locator("select[name=massar_code]").select_option(AMINA)
    form.locator("select[name=kind]").select_option("missing_work")
    form.locator("textarea[name=description]").fill(WHAT[lang])
    form.locator("button[type=submit]").click()
    expect(desk.locator("main .result .notice.good")).to_be_visible()
    expect(desk.locator("main ul.behaviour")).to_contain_text(WHAT[lang])
    check_page(desk)

    space = new_page(lang)
    sign_in(space, *PARENT, "space")
    space.goto(f"/#/space/{AMINA}/behaviour")
    wait_ready(space, "space-behaviour")
    check_page(space)
    note = space.locator("main ul.behaviour li", has_text=WHAT[lang])
    expect(note).to_contain_text(KIND[lang])


def preferences(devserver: Http) -> Any:
    status, _, body = devserver.call(
        "GET", "/v1/me/notification-preferences", token=devserver.token(*PARENT)
    )
    assert status == 200, body
    return body["preferences"]


def test_the_parent_switches_a_kind_off_and_on_in_the_profile(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    page = new_page(lang)
    sign_in(page, *PARENT, "space")
    page.goto("/#/profile")
    wait_ready(page, "profile")
    form = page.locator("main form.preferences")
    expect(form).to_be_visible()
    check_page(page)
    for locked in ("absences.sms", "decisions.email"):
        box = form.locator(f"input[name='{locked}']")
        expect(box).to_be_checked()
        expect(box).to_be_disabled()

    behaviour_sms = form.locator("input[name='behaviour.sms']")
    behaviour_sms.uncheck()
    form.locator("button[type=submit]").click()
    expect(form.locator(".notice.good")).to_have_text(SAVED[lang])
    assert preferences(devserver)["behaviour"] == {"email": True, "sms": False}

    page.reload()
    wait_ready(page, "profile")
    form = page.locator("main form.preferences")
    expect(form.locator("input[name='behaviour.sms']")).not_to_be_checked()
    check_page(page)
    form.locator("input[name='behaviour.sms']").check()
    form.locator("button[type=submit]").click()
    expect(form.locator(".notice.good")).to_be_visible()
    assert preferences(devserver)["behaviour"] == {"email": True, "sms": True}
