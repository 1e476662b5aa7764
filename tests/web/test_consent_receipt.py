"""The pre-registration form's data-protection notice (law 09-08) with the guardian's
required consent, and the printable receipt from the confirmation screen and from #/track
(issue 15, "also expected by parents"); at 390x844 in both languages, every page checked."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready
from tests.web.test_journey import CASES, fill_application, legal_birth_date

NOTICE = {
    "ar": ("القانون 09-08", "الاطلاع", "تصحيحها"),
    "fr": ("loi 09-08", "consulter", "corriger"),
}
RECEIPT = {"ar": "وصل التسجيل الأولي", "fr": "Récépissé de préinscription"}


def stub_print(page: Any) -> None:
    page.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; }; 0")


def printed_receipt(page: Any, child_lat: str | None) -> None:
    """The Print button calls window.print; on paper only the receipt shows."""
    stub_print(page)
    page.locator("button.print").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    try:
        expect(page.locator("header.bar")).to_be_hidden()
        expect(page.locator("button.print")).to_be_hidden()
        expect(page.locator(".receipt .print-only").first).to_be_visible()
        expect(page.locator(".receipt dl.facts")).to_be_visible()
        if child_lat:
            expect(page.locator(".receipt dl.sent")).to_contain_text(child_lat)
    finally:
        page.emulate_media(media="screen")


def test_the_form_asks_consent_and_the_receipt_prints(
    new_page: Callable[..., Any], devserver: Http, lang: str
) -> None:
    case = CASES[lang]
    phone = "0662" + "".join(secrets.choice("0123456789") for _ in range(6))
    page = new_page(lang)
    page.goto("/#/register")
    wait_ready(page, "register")
    check_page(page)

    # --- The notice: what, why, who, and how to ask for access or correction; short lines.
    notice = page.locator("fieldset.privacy")
    expect(notice).to_be_visible()
    for words in NOTICE[lang]:
        expect(notice).to_contain_text(words)
    assert notice.locator("li").count() == 4
    box = page.locator("[name='consent.data_protection']")
    assert box.get_attribute("required") is not None and not box.is_checked()

    # --- Sent without the consent: the server refuses, the box says why.
    birth = legal_birth_date(devserver)
    fill_application(page, case, phone, f"{secrets.randbelow(10**6)}/{birth.year}", birth)
    box.uncheck()
    page.locator("form.registration button[type=submit]").click()
    error = page.locator("[data-field='consent.data_protection'] .error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("09-08")
    expect(box).to_have_attribute("aria-invalid", "true")
    check_page(page)

    # --- Ticked: sent, and the confirmation screen is the receipt.
    box.check()
    page.locator("form.registration button[type=submit]").click()
    wait_ready(page, "track-status")
    check_page(page)
    sent = page.locator(".receipt dl.sent")
    expect(sent).to_contain_text(case["child"][2])
    expect(sent).to_contain_text(case["child"][0])
    expect(sent).to_contain_text("09-08/")
    printed_receipt(page, case["child"][2])
    reference = page.locator("dl.facts bdi.code").nth(1).inner_text()
    tracking = page.locator("dl.facts bdi.code").first.inner_text()
    expect(page.locator(".receipt")).to_contain_text("EP0007")

    # --- The school sees the consent, stored with the application and its time.
    director = devserver.token("dir.ep0007", "Directrice-demo-2026!")
    status, _, seen = devserver.call("GET", f"/v1/registrations/{reference}", token=director)
    assert status == 200, seen
    consent = seen["application"]["consent"]
    assert consent["data_protection"] is True and consent["version"].startswith("09-08/")
    assert consent["given_at"]
    desk = new_page(lang)
    sign_in(desk, "dir.ep0007", "Directrice-demo-2026!", "desk-applications")
    desk.goto(f"/#/desk/applications/{reference}")
    wait_ready(desk, "desk-application")
    check_page(desk)
    expect(desk.locator("main")).to_contain_text(consent["version"])

    # --- From another phone, with the tracking code alone: the receipt prints too.
    other = new_page(lang)
    other.goto("/#/track")
    wait_ready(other, "track")
    check_page(other)
    other.fill("[name=tracking_code]", tracking)
    other.locator("form button[type=submit]").click()
    wait_ready(other, "track-status")
    check_page(other)
    expect(other.locator(".receipt dl.facts")).to_contain_text(reference)
    assert other.locator(".receipt dl.sent").count() == 0  # what was sent stays on the first
    printed_receipt(other, None)
    expect(other.locator(".receipt .print-only").first).to_contain_text(RECEIPT[lang])
    check_page(other)


@pytest.fixture(params=["ar", "fr"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)
