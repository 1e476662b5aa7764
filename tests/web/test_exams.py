"""National and regional exams in the family space (issue 17), at 390x844 in both
languages: the demo parent opens the exams tab of Amina, who sat the demo's regional exam,
and finds the calendar, the centre, the convocation's link and the published result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

AMINA = "J130012345"
PARENT = ("AB123456", "Parent-demo-2026!")
TEXTS = {
    "ar": {"centre": "ثانوية مولاي يوسف", "subject": "الرياضيات", "decision": "ناجح(ة)"},
    "fr": {"centre": "Lycée Moulay Youssef", "subject": "Mathématiques", "decision": "Admis(e)"},
}
READY = {"ar": "الاستدعاء جاهز", "fr": "Convocation prête"}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_family_sees_the_exam_its_convocation_and_result(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    page = new_page(lang)
    sign_in(page, *PARENT, "space")
    page.goto(f"/#/space/{AMINA}/national")
    wait_ready(page, "space-national")
    check_page(page)
    exam = page.locator("main section.national-exam").first
    for text in TEXTS[lang].values():
        expect(exam).to_contain_text(text)
    expect(exam).to_contain_text("14,75/20")
    expect(exam).to_contain_text("450117")
    exam.locator("button.secondary").click()
    link = exam.locator(".actions a")
    expect(link).to_be_visible(timeout=20_000)  # the first PDF loads fpdf2 and HarfBuzz
    expect(exam.locator(".actions")).to_contain_text(READY[lang])
    check_page(page)
