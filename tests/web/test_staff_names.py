"""The staff's screens name the pupils beside their Massar codes (issue 15): the desk's
inbox and a thread, the appointments, at 390x844 in both languages, every page checked; the
API adds the names from the pupil record, one BatchGetItem for a page."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from devserver.harness import Http, running_devserver
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

PUPIL = "J130012345"  # the demo pupil of CL4501
NAMES = ("أمينة العلوي", "Amina El Alaoui")
PARENT = ("AB123456", "Parent-demo-2026!")
STAFF = ("dir.cl4501", "Directeur-demo-2026!")


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver: the justification it sends stays here."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


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

    session = {"ar": "08:00-09:00", "fr": "09:00-10:00"}[lang]
    status, _, body = devserver.call(
        "POST",
        "/v1/schools/CL4501/classes/1AC-1/absences",
        {
            "date": datetime.now(ZoneInfo("Africa/Casablanca")).date().isoformat(),
            "session": session,
            "absent": [{"massar_code": PUPIL, "justified": False}],
        },
        token=devserver.token(*STAFF),
    )
    assert status == 200, body
    absences = devserver.call("GET", f"/v1/students/{PUPIL}/absences", token=parent)[2]
    open_one = next(a for a in absences["items"] if a["session"] == session)
    status, _, body = devserver.call(
        "POST",
        f"/v1/students/{PUPIL}/absences/{open_one['id']}/justification",
        {"text": f"Malade {word}"},
        token=parent,
    )
    assert status in (200, 201), body

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

    # Absences: the class list and the justifications waiting name the pupil with the code.
    visit(page, "/#/desk/absences", "desk-absences")
    row = main.get_by_role("row").filter(has_text=PUPIL)
    for name in NAMES:
        expect(row.first).to_contain_text(name)
    main.locator("section:has(.pending) button.secondary").click()
    waiting = main.locator("ul.justifications li", has_text=word)
    for name in NAMES:
        expect(waiting).to_contain_text(name)
    expect(waiting).to_contain_text(PUPIL)
    check_page(page)

    visit(page, "/#/desk/appointments", "desk-appointments")
    request = main.locator("li.appointment", has_text=word)
    for name in NAMES:
        expect(request.locator("dd.pupil")).to_contain_text(name)
    expect(request).to_contain_text(PUPIL)


@pytest.fixture(params=["ar", "fr"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)
