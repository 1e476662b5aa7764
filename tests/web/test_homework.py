"""Homework in the browser (issue 17): a director posts homework with a PDF from the desk
(web/js/views/desk-homework.js), a parent reads it in the child's space
(web/js/views/space-homework.js) and, offline, still does (the service worker keeps the list
like the marks); every page in both languages, at a phone's size, checked with axe."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http, running_devserver
from tests.clock import casablanca_today
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready
from tests.web.test_accessibility import serious_violations

PUPIL = "J130012345"
STAFF = ("dir.cl4501", "Directeur-demo-2026!")
PARENT = ("AB123456", "Parent-demo-2026!")
# Over a photo's 1 MB: the devserver's upload proxy follows the form's own size condition.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + b"%" * 1_500_000 + b"\ntrailer <<>>\n%%EOF\n"
SHOTS = Path(os.environ.get("WEB_SCREENSHOTS", "/tmp/massar-homework-shots"))


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver (its homework stays out of the other tests' pages)."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def with_service_worker(page: Any) -> None:
    page.goto("/?sw=1#/signin")
    wait_ready(page, "signin")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)")


def post_homework(page: Any, title: str, due: str) -> None:
    form = page.locator("form.homework-new")
    form.locator("select[name=subject]").select_option(index=1)
    form.locator("input[name=due_date]").fill(due)
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=instructions]").fill(
        "Exercices 3 et 4, page 52.\nRédiger au propre."
    )
    form.locator("input[type=file]").set_input_files(
        {"name": "exercices.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.get_by_role("button", name="Publier le devoir").click()


def test_staff_posts_the_parent_reads_it_then_offline(new_page: Callable[..., Any]) -> None:
    due = (casablanca_today() + timedelta(days=3)).isoformat()
    staff = new_page("fr", bypass_csp=True)  # axe is the test's own script
    sign_in(staff, *STAFF, "desk-applications")
    staff.goto("/#/desk/homework")
    wait_ready(staff, "desk-homework")
    expect(staff.locator("ul.tabs a[aria-current=page]")).to_have_text("Devoirs")
    if staff.locator("select[name=class_id]").input_value() != "1AC-1":
        staff.locator("select[name=class_id]").select_option("1AC-1")
        wait_ready(staff, "desk-homework")
    main = staff.locator("main")
    # A due date in the past is refused before anything is sent.
    post_homework(staff, "Devoir d'hier", (casablanca_today() - timedelta(days=1)).isoformat())
    expect(main.locator("[data-field=due_date] .error")).to_be_visible()
    post_homework(staff, "Exercices de géométrie", due)
    expect(main.locator(".result .notice.good")).to_contain_text("Exercices de géométrie")
    item = main.locator("li.homework", has_text="Exercices de géométrie")
    expect(item).to_contain_text("1 document")
    expect(main.locator(".homework-desk h2")).to_contain_text("Devoirs à venir : 1 devoir")
    check_page(staff)
    assert not serious_violations(staff)
    staff.evaluate("window.scrollTo(0, 0)")
    shot(staff, "desk-homework-fr")

    staff_ar = new_page("ar", bypass_csp=True)  # axe is the test's own script
    sign_in(staff_ar, *STAFF, "desk-applications")
    staff_ar.goto("/#/desk/homework")
    wait_ready(staff_ar, "desk-homework")
    if staff_ar.locator("select[name=class_id]").input_value() != "1AC-1":
        staff_ar.locator("select[name=class_id]").select_option("1AC-1")
        wait_ready(staff_ar, "desk-homework")
    expect(staff_ar.locator("html")).to_have_attribute("dir", "rtl")
    expect(staff_ar.locator(".homework-desk h2")).to_contain_text("الواجبات المنتظرة: واجب واحد")
    expect(staff_ar.locator("li.homework")).to_contain_text("وثيقة واحدة")
    check_page(staff_ar)
    assert not serious_violations(staff_ar)
    shot(staff_ar, "desk-homework-ar")

    parent = new_page("ar", bypass_csp=True)  # axe is the test's own script
    with_service_worker(parent)
    sign_in(parent, *PARENT, "space")
    parent.goto(f"/#/space/{PUPIL}/homework")
    wait_ready(parent, "space-homework")
    main = parent.locator("main")
    expect(parent.locator("ul.tabs a[aria-current=page]")).to_have_text("الواجبات")
    homework = main.locator("li.homework")
    expect(homework).to_have_count(1)
    expect(homework).to_contain_text("Exercices de géométrie")
    expect(homework).to_contain_text("يُسلَّم بعد 3 أيام")
    expect(main.locator(".homework-count")).to_have_text("واجب واحد في الانتظار")
    expect(homework.get_by_role("link", name="exercices.pdf")).to_be_visible()
    expect(homework).to_contain_text("(PDF، 1.4 ميغابايت)")
    check_page(parent)
    assert not serious_violations(parent)
    shot(parent, "space-homework-ar")

    parent.context.set_offline(True)
    parent.reload()
    wait_ready(parent, "space-homework")
    expect(main.locator(".notice.warn").first).to_be_visible()
    expect(main.locator("li.homework")).to_have_count(1)
    expect(main.locator("li.homework")).to_contain_text("Exercices de géométrie")
    expect(main.locator("li.homework")).to_contain_text("لا تُفتح إلا مع الاتصال")
    check_page(parent)
    shot(parent, "space-homework-offline-ar")
    parent.context.set_offline(False)

    pupil = new_page("fr", bypass_csp=True)  # axe is the test's own script
    sign_in(pupil, PUPIL, "Eleve-demo-2026!", "space-marks")
    pupil.goto(f"/#/space/{PUPIL}/homework")
    wait_ready(pupil, "space-homework")
    main = pupil.locator("main")
    expect(main.locator(".homework-count")).to_have_text("1 devoir à faire")
    expect(main.locator("li.homework")).to_contain_text("À rendre dans 3 jours")
    check_page(pupil)
    assert not serious_violations(pupil)
    shot(pupil, "space-homework-fr")
    main.get_by_role("button", name="Voir les devoirs passés").click()
    expect(main.get_by_text("Aucun devoir passé.")).to_be_visible()
