"""The parents' and pupils' space in the browser (web/js/views/space.js): a parent in Arabic
reads a child's marks, absences, timetable, exams, results and guardians, justifies an
absence, writes to the school and asks for a certificate; a pupil in French lands in their
own space; the marks and absences seen before stay readable offline (service worker)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from devserver.harness import Http
from tests.web.conftest import sign_in, wait_ready

PUPIL = "J130012345"
# A 1×1 PNG: the API checks a justification photo's first bytes.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
)


def open_tab(page: Any, label: str, tab: str) -> None:
    page.locator("ul.tabs a", has_text=label).click()
    wait_ready(page, f"space-{tab}")
    expect(page.locator("ul.tabs a[aria-current=page]")).to_have_text(label)


def test_parent_reads_and_writes_in_arabic(new_page: Callable[..., Any], devserver: Http) -> None:
    page = new_page("ar")
    sign_in(page, "AB123456", "Parent-demo-2026!", "space")
    main = page.locator("main")
    children = main.locator("ul.children li")
    expect(children).to_have_count(2)
    expect(children.nth(0)).to_contain_text("أمينة العلوي")
    expect(children.nth(0)).to_contain_text("1AC-1")
    expect(children.nth(1)).to_contain_text("سلمى العلوي")

    children.nth(0).get_by_role("link").click()
    wait_ready(page, "space-marks")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("أمينة العلوي")
    expect(page.locator("ul.tabs a[aria-current=page]")).to_have_text("النقط")
    # Arabic subject names; a mark stays "15,50/20", left to right, inside Arabic text.
    expect(main.get_by_role("heading", name="الرياضيات")).to_be_visible()
    expect(main.locator("bdi.mark[dir=ltr]", has_text="15,50/20")).to_be_visible()
    expect(main.locator(".mark.absent")).to_have_text("غائب")
    expect(main.locator(".average")).to_contain_text("معدل الأسدس 1")
    expect(main.locator(".average bdi[dir=ltr]")).to_have_text("11,41/20")

    open_tab(page, "الغياب", "absences")
    absences = main.locator("li.absence")
    expect(absences).to_have_count(2)
    unjustified, justified = absences.nth(0), absences.nth(1)  # newest first
    expect(justified).to_contain_text("مبرر")
    expect(justified).to_contain_text("certificat médical")
    expect(justified.locator(".hijri")).to_contain_text("هـ")
    expect(unjustified.locator(".badge")).to_have_text("غير مبرر")
    expect(unjustified).to_contain_text("الرياضيات")

    open_tab(page, "استعمال الزمن", "timetable")
    monday = main.locator("section.day").first
    expect(monday.get_by_role("heading")).to_have_text("الاثنين")
    expect(monday).to_contain_text("08:00–09:00")
    expect(monday).to_contain_text("اللغة العربية")
    expect(monday).to_contain_text("S2")

    open_tab(page, "الفروض والامتحانات", "exams")
    exam = main.locator("table.exams tbody tr")
    expect(exam).to_have_count(1)
    expect(exam).to_contain_text("الامتحان الموحد المحلي")
    expect(exam.locator(".hijri")).to_contain_text("هـ")

    open_tab(page, "النتائج", "results")
    expect(main.locator("dl.results")).to_contain_text("الأسدس 1")
    expect(main.locator("dl.results dd").first).to_have_text("11,41/20")
    expect(main.locator("dl.results dd.average")).to_have_text("11,41/20")
    # The semester's bulletin: a PDF behind a short-lived link, offered as a download.
    main.get_by_role("button", name="بيان نقط الأسدس 1 (PDF)").click()
    link = main.locator(".notice.good a", has_text="تحميل")
    expect(link).to_be_visible()
    pdf = page.request.get(str(link.get_attribute("href")))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    open_tab(page, "أولياء الأمر", "guardians")
    father = main.locator("section.guardian")
    expect(father.get_by_role("heading")).to_have_text("الأب")
    expect(father).to_contain_text("AB123456")
    father.get_by_role("button", name="تأكيد صحة المعطيات").click()
    expect(main.locator(".notice.good")).to_contain_text("تم تأكيد المعطيات")
    expect(main.locator("section.guardian")).to_contain_text("تم التأكيد بتاريخ")
    # A correction the API refuses shows its reason under the field; then one it takes.
    father = main.locator("section.guardian")
    father.get_by_text("تصحيح المعطيات").click()
    phone = father.get_by_label("الهاتف المحمول")
    phone.fill("123")
    father.get_by_role("button", name="حفظ التصحيحات").click()
    expect(father.locator("[data-field=phone] .error")).to_contain_text("هاتف محمول مغربي")
    expect(phone).to_have_attribute("aria-invalid", "true")
    phone.fill("0612345678")
    father.get_by_role("button", name="حفظ التصحيحات").click()
    expect(main.locator(".notice.good")).to_contain_text("تم حفظ التصحيحات")
    expect(main.locator("section.guardian bdi[dir=ltr]", has_text="+212612345678")).to_be_visible()

    # Justify the unjustified absence, with a photo of the note.
    open_tab(page, "الغياب", "absences")
    unjustified = main.locator("li.absence").nth(0)
    unjustified.get_by_text("تبرير هذا الغياب").click()
    unjustified.get_by_label("سبب الغياب").fill("كانت مريضة")
    unjustified.locator("input[type=file]").set_input_files(
        {"name": "note.png", "mimeType": "image/png", "buffer": PNG}
    )
    unjustified.get_by_role("button", name="إرسال التبرير").click()
    unjustified = main.locator("li.absence").nth(0)
    expect(unjustified.locator(".notice.good")).to_contain_text("تم إرسال التبرير")
    expect(unjustified.locator(".badge")).to_have_text("التبرير قيد الدراسة")
    expect(unjustified).to_contain_text("كانت مريضة")
    expect(unjustified).to_contain_text("مع صورة")
    expect(unjustified.get_by_text("تبرير هذا الغياب")).to_have_count(0)

    # The school writes first: the parent sees one unread message from the school.
    director = devserver.token("dir.cl4501", "Directeur-demo-2026!")
    status, _, _ = devserver.call(
        "POST", f"/v1/students/{PUPIL}/messages", {"body": "مرحبا، نذكركم بالامتحان"}, director
    )
    assert status == 201
    open_tab(page, "المراسلات", "messages")
    expect(main.locator(".unread")).to_contain_text("رسائل جديدة: 1")
    from_school = main.locator("ul.thread li.school").last
    expect(from_school).to_contain_text("نذكركم بالامتحان")
    expect(from_school).to_contain_text("المؤسسة")
    main.get_by_label("نص الرسالة").fill("هل يمكن مقابلة أستاذ الرياضيات؟")
    main.get_by_role("button", name="إرسال").click()
    expect(main.locator("ul.thread li").last).to_contain_text("هل يمكن مقابلة أستاذ الرياضيات؟")
    expect(main.locator("ul.thread li").last).to_contain_text("أنت")
    expect(main.locator(".notice.good")).to_contain_text("تم إرسال الرسالة")

    open_tab(page, "المواعيد", "appointments")
    main.get_by_label("شهادة مدرسية").check()
    main.get_by_label("ملاحظة").fill("من أجل ملف المنحة")
    main.get_by_role("button", name="إرسال الطلب").click()
    expect(main.locator(".notice.good")).to_contain_text("تم إرسال طلبك")
    request = main.locator("li.appointment").last
    expect(request).to_contain_text("شهادة مدرسية")
    expect(request.locator(".badge")).to_have_text("في الانتظار")
    expect(request).to_contain_text("من أجل ملف المنحة")


def test_pupil_lands_in_own_space_in_french(new_page: Callable[..., Any]) -> None:
    page = new_page("fr")
    sign_in(page, PUPIL, "Eleve-demo-2026!", "space-marks")
    expect(page).to_have_url(re.compile(rf"#/space/{PUPIL}/marks$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    main = page.locator("main")
    expect(page.locator("h1")).to_have_text("Amina El Alaoui")
    expect(main.locator("ul.tabs")).to_contain_text("Emploi du temps")
    expect(page.locator("ul.tabs a[aria-current=page]")).to_have_text("Notes")
    expect(main.get_by_role("heading", name="Mathématiques")).to_be_visible()
    expect(main.locator(".average")).to_contain_text("Moyenne du semestre 1")
    expect(main.locator(".average .mark")).to_have_text("11,41/20")
    expect(main.get_by_role("cell", name="Contrôle continu").first).to_be_visible()
    expect(main.locator(".mark.absent")).to_have_text("absent")

    # Semester 2 has no marks yet.
    main.get_by_role("link", name="Semestre 2").click()
    expect(main.get_by_text("Pas encore de notes pour ce semestre.")).to_be_visible()

    # A pupil reads their absences but only a parent justifies them.
    open_tab(page, "Absences", "absences")
    expect(main.locator("li.absence").first).to_contain_text("Mathématiques")
    expect(main.get_by_text("Justifier cette absence")).to_have_count(0)


def test_marks_and_absences_stay_readable_offline(new_page: Callable[..., Any]) -> None:
    page = new_page("fr")
    page.goto("/?sw=1#/signin")
    wait_ready(page, "signin")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    page.wait_for_function("Boolean(navigator.serviceWorker.controller)")

    sign_in(page, "AB123456", "Parent-demo-2026!", "space")
    page.goto(f"/#/space/{PUPIL}/marks")
    wait_ready(page, "space-marks")
    open_tab(page, "Absences", "absences")
    expect(page.locator(".notice.warn")).to_have_count(0)

    page.context.set_offline(True)
    page.reload()
    wait_ready(page, "space-absences")
    main = page.locator("main")
    expect(main.locator(".notice.warn")).to_contain_text("Vous êtes hors ligne")
    expect(main.locator("li.absence")).to_have_count(2)
    expect(main.locator("li.absence").nth(1)).to_contain_text("certificat médical")

    open_tab(page, "Notes", "marks")
    expect(main.locator(".notice.warn")).to_contain_text("Vous êtes hors ligne")
    expect(main.locator(".average .mark")).to_have_text("11,41/20")
    expect(main.locator("bdi.mark", has_text="15,50/20")).to_be_visible()

    # What was never seen says so, with a way to retry.
    open_tab_offline = page.locator("ul.tabs a", has_text="Messages")
    open_tab_offline.click()
    wait_ready(page, "space-unavailable")
    expect(main.locator(".notice.bad")).to_contain_text("aucune donnée enregistrée")
    expect(main.get_by_role("button", name="Réessayer")).to_be_visible()
    page.context.set_offline(False)
