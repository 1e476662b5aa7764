"""The staff's screens name the pupils beside their Massar codes (issue 15): the desk's
inbox and a thread, the appointments, at 390x844 in both languages, every page checked; the
API adds the names from the pupil record, one BatchGetItem for a page."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

PUPIL = "J130012345"  # the demo pupil of CL4501
NAMES = ("أمينة العلوي", "Amina El Alaoui")
PARENT = ("AB123456", "Parent-demo-2026!")
STAFF = ("dir.cl4501", "Directeur-demo-2026!")


def visit(page: Any, path: str, view: str) -> None:
    page.goto(path)
    wait_ready(page, view)
    check_page(page)


def test_the_desk_names_the_pupils(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    parent = devserver.token(*PARENT)
    word = "Zy" + "".join(random.choices("abcdefghijklmnoprstuv", k=6))
    status, _, body = devserver.call(
        "POST", f"/v1/students/{PUPIL}/messages", {"body": f"Question {word}"}, token=parent
    )
    assert status == 201, body
    status, _, body = devserver.call(
        "POST",
        f"/v1/students/{PUPIL}/appointments",
        {"purpose": "school_certificate", "note": f"Certificat {word}"},
        token=parent,
    )
    assert status == 201, body

    # The API: names beside the code in the inbox, the thread and the appointments.
    staff = devserver.token(*STAFF)
    inbox = devserver.call("GET", "/v1/schools/CL4501/messages", token=staff)[2]
    row = next(i for i in inbox["items"] if i["massar_code"] == PUPIL)
    assert row["pupil"]["first_name_lat"] == "Amina" and row["pupil"]["last_name_ar"] == "العلوي"
    thread = devserver.call("GET", f"/v1/students/{PUPIL}/messages", token=staff)[2]
    assert thread["pupil"]["first_name_ar"] == "أمينة"
    listed = devserver.call("GET", "/v1/schools/CL4501/appointments", token=staff)[2]
    assert all(
        i["pupil"]["last_name_lat"] == "El Alaoui"
        for i in listed["items"]
        if i["massar_code"] == PUPIL
    )

    page = new_page(lang)
    sign_in(page, *STAFF, "desk-applications")
    main = page.locator("main")
    visit(page, "/#/desk/inbox", "desk-inbox")
    item = main.locator("ul.threads li", has_text=word)
    for name in NAMES:
        expect(item).to_contain_text(name)
    expect(item).to_contain_text(PUPIL)
    item.get_by_role("link").click()
    wait_ready(page, "desk-thread")
    check_page(page)
    for name in NAMES:
        expect(main.locator("p.pupil")).to_contain_text(name)
    expect(main.locator("p.pupil")).to_contain_text(PUPIL)

    visit(page, "/#/desk/appointments", "desk-appointments")
    request = main.locator("li.appointment", has_text=word)
    for name in NAMES:
        expect(request.locator("dd.pupil")).to_contain_text(name)
    expect(request).to_contain_text(PUPIL)


@pytest.fixture(params=["ar", "fr"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)
