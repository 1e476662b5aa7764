"""The school staff's desk in the browser (web/js/views/desk*.js): a director in French
creates a test, enters a mark and records an absence that the parent then sees (and is
told of by SMS); a director in Arabic searches applications by an Arabic and by a Latin
name, approves one, rejects one and meets one decided meanwhile; the inbox reply and an
appointment approved at a time, which the parent is emailed about.

The desk writes marks, absences and decisions on the demo pupil, which the space's tests
count: this module runs its own devserver."""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from chalicelib.registration.hijri import gregorian_to_hijri
from devserver.harness import Http, running_devserver
from tests.registration_fixtures import APPLICATION
from tests.web.conftest import sign_in, wait_ready

PUPIL = "J130012345"
PARENT, PARENT_PASSWORD = "AB123456", "Parent-demo-2026!"
PARENT_PHONE, PARENT_EMAIL = "+212661234567", "hassan.alaoui@example.ma"
COLLEGE_STAFF = ("dir.cl4501", "Directeur-demo-2026!")
PRIMARY_STAFF = ("dir.ep0007", "Directrice-demo-2026!")
MOROCCO = ZoneInfo("Africa/Casablanca")


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver (overrides the session's one for `new_page`)."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


def open_tab(page: Any, label: str, tab: str) -> None:
    page.locator("ul.tabs a", has_text=label).click()
    wait_ready(page, f"desk-{tab}")
    expect(page.locator("ul.tabs a[aria-current=page]")).to_have_text(label)


def unique_latin() -> str:
    return "Zy" + "".join(random.choices("abcdefghijklmnoprstuv", k=6))


def unique_arabic() -> str:
    return "".join(random.choices("بتثجحخدذرزسشصضطظعغفقكلمنهوي", k=6))


def apply(devserver: Http, first_ar: str, first_lat: str) -> str:
    """An application to EP0007 (its catchment: Tabriquet) for a child of legal age."""
    campaign = devserver.call("GET", "/v1/campaigns/current")[2]
    birth = date.fromisoformat(campaign["birth_date_from"]) + timedelta(days=100)
    body = copy.deepcopy(APPLICATION)
    body["school_code"] = "EP0007"
    body["child"].update(
        first_name_ar=first_ar,
        first_name_lat=first_lat,
        birth_date=birth.isoformat(),
        birth_date_hijri=gregorian_to_hijri(birth),
        birth_certificate_number=f"{random.randint(1000, 99999)}/{birth.year}",
        birth_certificate_date=(birth + timedelta(days=5)).isoformat(),
    )
    # The arrondissement Tabriquet of Salé, by its official HCP code.
    body["residence"] = {"commune": "04.441.01.09", "address": "12 زنقة الورد، تابريكت"}
    status, _, answer = devserver.call("POST", "/v1/registrations", body)
    assert status == 201, answer
    assert answer["checks"] == {"age_eligible": True, "in_catchment": True}
    return str(answer["id"])


def test_mark_and_absence_reach_the_parent(devserver: Http, new_page: Callable[..., Any]) -> None:
    # The demo father has no phone on the pupil's record: the parent adds it (the space's
    # guardian correction) so that an unjustified absence has somewhere to be texted.
    parent = devserver.token(PARENT, PARENT_PASSWORD)
    status, _, body = devserver.call(
        "PATCH", f"/v1/students/{PUPIL}/guardians/father", {"phone": PARENT_PHONE}, token=parent
    )
    assert status == 200, body

    page = new_page("fr")
    sign_in(page, *COLLEGE_STAFF, "desk-applications")
    main = page.locator("main")
    expect(page.locator("ul.tabs a[aria-current=page]")).to_have_text("Préinscriptions")

    # A maths test for 1AC-1 (the only class: chosen already), then its marks.
    open_tab(page, "Notes", "marks")
    expect(main.get_by_label("Classe")).to_have_value("1AC-1")
    main.get_by_label("Matière").select_option(label="Mathématiques")
    expect(main.get_by_label("Type")).to_have_value("continuous")
    main.get_by_role("button", name="Créer et saisir les notes").click()
    wait_ready(page, "desk-marks-sheet")
    expect(main.locator("dl.facts")).to_contain_text("Mathématiques · Contrôle continu")
    row = main.get_by_role("row").filter(has_text="Amina El Alaoui")
    row.get_by_role("textbox").fill("21")
    main.get_by_role("button", name="Enregistrer").click()
    expect(row.locator(".error")).to_contain_text("note sur 20")
    row.get_by_role("textbox").fill("13,5")
    main.get_by_role("button", name="Enregistrer").click()
    expect(main.locator(".notice.good")).to_have_text("1 note enregistrée.")
    expect(row.locator("bdi.mark")).to_have_text("13,50/20")
    expect(row.locator(".badge")).to_have_text("enregistrée")

    # An absence this afternoon, unjustified.
    open_tab(page, "Absences", "absences")
    main.get_by_label("Séance").fill("14:00-15:00")
    main.get_by_label("Matière").select_option("maths")
    main.get_by_role("row").filter(has_text="Amina El Alaoui").get_by_label(
        "Absent(e)", exact=True
    ).check()
    main.get_by_role("button", name="Enregistrer les absences").click()
    recorded = main.locator(".result")
    expect(recorded.locator(".notice.good")).to_contain_text("Feuille enregistrée : 1 absence.")
    expect(recorded.locator("ul.recorded li")).to_contain_text("nouvelle")
    expect(recorded.locator("ul.recorded li")).to_contain_text("SMS envoyé au tuteur")
    sms = devserver.wait_for_message(PARENT_PHONE, contains="14:00-15:00")
    assert "absence non justifiée de Amina El Alaoui" in sms["body"]  # GSM-7 has é

    # The parent sees both.
    family = new_page("fr")
    sign_in(family, PARENT, PARENT_PASSWORD, "space")
    family.goto(f"/#/space/{PUPIL}/marks")
    wait_ready(family, "space-marks")
    expect(family.locator("main bdi.mark", has_text="13,50/20")).to_be_visible()
    family.goto(f"/#/space/{PUPIL}/absences")
    wait_ready(family, "space-absences")
    absences = family.locator("main li.absence")
    expect(absences).to_have_count(3)
    expect(absences.nth(0)).to_contain_text("14:00-15:00")
    expect(absences.nth(0).locator(".badge")).to_have_text("Non justifiée")


def test_applications_found_by_either_script_and_decided_in_arabic(
    devserver: Http, new_page: Callable[..., Any]
) -> None:
    first_ar, first_lat = unique_arabic(), unique_latin()
    other_ar, other_lat = unique_arabic(), unique_latin()
    rejected = apply(devserver, first_ar, first_lat)
    approved = apply(devserver, other_ar, other_lat)
    raced = apply(devserver, unique_arabic(), unique_latin())

    page = new_page("ar")
    sign_in(page, *PRIMARY_STAFF, "desk-applications")
    main = page.locator("main")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    rows = main.locator("tbody tr")

    # By the Arabic name: that child only, with both spellings and the checks.
    main.get_by_label("اسم الطفل").fill(first_ar)
    main.get_by_role("button", name="بحث").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"{first_ar} العلوي")
    expect(rows.first).to_contain_text(f"{first_lat} El Alaoui")
    expect(rows.first).to_contain_text("تابريكت")  # the commune by its name, not its code
    expect(rows.first.locator(".badge.good")).to_have_text(["السن مطابق", "داخل المجال"])

    # By the Latin name (in lower case): the other child only.
    main.get_by_label("اسم الطفل").fill(other_lat.lower())
    main.get_by_role("button", name="بحث").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"{other_ar} العلوي")

    # Approve it: the new Massar code is shown.
    rows.first.get_by_role("link").click()
    wait_ready(page, "desk-application")
    expect(main.locator("dl.facts").first).to_contain_text("2027-2028")
    expect(main).to_contain_text("محمد العلوي")  # the father, responsible
    main.get_by_role("button", name="قبول الطلب").click()
    main.get_by_role("button", name="نعم، أؤكد القبول").click()  # a decision is final: asked
    flash = main.locator(".notice.good")
    expect(flash).to_contain_text("تم قبول الطلب")
    massar = flash.locator(".code").inner_text()
    assert re.fullmatch(r"[A-Z]\d{9}", massar), massar
    expect(main.get_by_role("button", name="قبول الطلب")).to_have_count(0)
    status, _, answer = devserver.call(
        "GET", f"/v1/registrations/{approved}", token=devserver.token(*PRIMARY_STAFF)
    )
    assert answer["status"] == "approved" and answer["massar_code"] == massar

    # Reject the first one as out of the school's area.
    page.goto(f"/#/desk/applications/{rejected}")
    wait_ready(page, "desk-application")
    main.get_by_role("button", name="رفض الطلب").click()
    expect(main.locator(".form-error")).to_contain_text("اختر سبب الرفض")
    main.get_by_label("السكن خارج مجال المؤسسة").check()
    main.get_by_role("button", name="رفض الطلب").click()
    main.get_by_role("button", name="نعم، أؤكد الرفض").click()
    expect(main.locator(".notice.good")).to_contain_text("تم رفض الطلب")
    expect(main.locator("dl.facts").last).to_contain_text("السكن خارج مجال المؤسسة")

    # Under the "rejected" filter (the search box emptied).
    main.get_by_role("link", name="الرجوع إلى لائحة الطلبات").click()
    wait_ready(page, "desk-applications")
    main.get_by_label("الحالة").select_option("rejected")
    main.get_by_label("اسم الطفل").fill("")
    main.get_by_role("button", name="بحث").click()
    row = rows.filter(has_text=first_ar)
    expect(row).to_have_count(1)
    expect(row.locator(".badge.bad")).to_have_text("مرفوض")

    # Decided by someone else meanwhile: the 409 is said plainly.
    page.goto(f"/#/desk/applications/{raced}")
    wait_ready(page, "desk-application")
    status, _, answer = devserver.call(
        "POST", f"/v1/registrations/{raced}/approve", token=devserver.token(*PRIMARY_STAFF)
    )
    assert status == 200, answer
    main.get_by_label("السن غير مطابق").check()
    main.get_by_role("button", name="رفض الطلب").click()
    main.get_by_role("button", name="نعم، أؤكد الرفض").click()
    expect(main.locator(".form-error")).to_contain_text("تم البت في هذا الطلب مسبقا")
    main.get_by_role("button", name="إعادة التحميل").click()
    expect(main.locator("dl.facts").last).to_contain_text(answer["massar_code"])


def test_inbox_reply_and_appointment(devserver: Http, new_page: Callable[..., Any]) -> None:
    parent = devserver.token(PARENT, PARENT_PASSWORD)
    question = f"Question {unique_latin()} : la réunion des parents est-elle maintenue ?"
    status, _, body = devserver.call(
        "POST", f"/v1/students/{PUPIL}/messages", {"body": question}, token=parent
    )
    assert status == 201, body
    note = f"Rendez-vous {unique_latin()}"
    status, _, body = devserver.call(
        "POST",
        f"/v1/students/{PUPIL}/appointments",
        {"purpose": "meeting", "note": note},
        token=parent,
    )
    assert status == 201, body

    page = new_page("fr")
    sign_in(page, *COLLEGE_STAFF, "desk-applications")
    main = page.locator("main")

    open_tab(page, "Messages", "inbox")
    thread = main.locator("ul.threads li", has_text=PUPIL)
    expect(thread).to_contain_text(question)
    expect(thread.locator(".badge")).to_contain_text("non lu")
    thread.get_by_role("link").click()
    wait_ready(page, "desk-thread")
    expect(main.locator("ul.thread li").last).to_contain_text(question)
    reply = "Oui, jeudi à 17 h dans la salle polyvalente."
    main.get_by_label("Réponse").fill(reply)
    main.get_by_role("button", name="Envoyer").click()
    expect(main.locator(".notice.good")).to_have_text("Réponse envoyée.")
    expect(main.locator("ul.thread li.school").last).to_contain_text(reply)
    expect(main.get_by_label("Réponse")).to_have_value("")
    messages = devserver.call("GET", f"/v1/students/{PUPIL}/messages", token=parent)[2]
    assert messages["items"][-1]["body"] == reply and messages["items"][-1]["from_school"]

    open_tab(page, "Rendez-vous", "appointments")
    request = main.locator("li.appointment", has_text=note)
    expect(request.locator("h2")).to_contain_text("Entretien")
    day = datetime.now(MOROCCO).date() + timedelta(days=3)
    request.get_by_label("Date et heure du rendez-vous").fill(f"{day.isoformat()}T10:30")
    request.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(request.locator(".notice.good")).to_contain_text("Rendez-vous confirmé le")
    expect(request.locator("h2 .badge")).to_have_text("Confirmé")
    email = devserver.wait_for_message(PARENT_EMAIL, contains=f"{day:%d/%m/%Y} à 10:30")
    assert "confirme votre rendez-vous" in email["body"]


def test_letters_for_a_class_and_a_restored_code_in_arabic(
    devserver: Http, new_page: Callable[..., Any]
) -> None:
    staff = devserver.token(*COLLEGE_STAFF)
    newcomer = f"J13{random.randint(0, 9_999_999):07d}"
    status, _, body = devserver.call(
        "PUT",
        "/v1/schools/CL4501/classes/1AC-1/pupils",
        {
            "pupils": [
                {
                    "massar_code": newcomer,
                    "first_name_ar": "يوسف",
                    "last_name_ar": "بناني",
                    "first_name_lat": "Youssef",
                    "last_name_lat": "Bennani",
                }
            ]
        },
        token=staff,
    )
    assert status == 200, body

    page = new_page("ar")
    sign_in(page, *COLLEGE_STAFF, "desk-applications")
    main = page.locator("main")

    # The newcomer has no account yet: the class's job issues letters and links them.
    open_tab(page, "رسائل الحسابات", "letters")
    main.get_by_label("القسم").select_option("1AC-1")
    main.get_by_role("button", name="إصدار الرسائل").click()
    expect(main.locator(".progress .notice.good")).to_contain_text("انتهى الإصدار", timeout=30_000)
    link = main.get_by_role("link", name="تحميل رسائل 1AC-1")
    expect(link).to_have_attribute("href", re.compile(r"letters-1AC-1"))

    # A lost letter: a new initial code for that pupil, in lower case as typed.
    open_tab(page, "استرجاع القن الأولي", "codes")
    main.get_by_label("رمز مسار التلميذ(ة)").fill(newcomer.lower())
    main.get_by_role("button", name="إنشاء قن أولي جديد").click()
    expect(main.locator(".result .notice.good")).to_contain_text(newcomer)
    letter = main.get_by_role("link", name="تحميل الرسالة (PDF)")
    expect(letter).to_have_attribute("href", re.compile(rf"letter-{newcomer}"))
    expect(main.locator(".result")).to_contain_text("15 دقيقة")

    main.get_by_label("رمز مسار التلميذ(ة)").fill("J000000000")
    main.get_by_role("button", name="إنشاء قن أولي جديد").click()
    expect(main.locator(".form-error")).to_contain_text("لا يوجد تلميذ(ة) بهذا الرمز")
    expect(main.locator(".result")).to_be_empty()
