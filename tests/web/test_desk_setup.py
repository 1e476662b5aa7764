"""A school's year set up from the desk alone (issue 16), in each language: the demo
director of EP0007 creates a class, imports its roster (the demo pupil Salma moved into it
with two new pupils), adds the level's subjects with their coefficients, puts the class's
week, creates a test and enters a mark, records an absence and accepts the justification
the parent sent (posted through the API, as the family space does), then reads the
guardian corrections with the pupil's name. Each new page is checked (checks.py) and
photographed at 390×844 under /tmp/desk-shots/.

The test moves the demo pupil and rewrites the school's subjects: its own devserver."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http, running_devserver
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

STAFF = ("dir.ep0007", "Directrice-demo-2026!")
PARENT, PARENT_PASSWORD = "AB123456", "Parent-demo-2026!"
SALMA = "K140000001"
SHOTS = Path("/tmp/desk-shots")

WORDS = {
    "fr": {
        "classes": "Classes et élèves",
        "subjects": "Matières et coefficients",
        "timetable": "Emploi du temps",
        "marks": "Notes",
        "absences": "Absences",
        "guardians": "Corrections des tuteurs",
        "label": "Nom de la classe",
        "level": "Niveau",
        "create": "Créer la classe",
        "open": "Ouvrir",
        "file": "Fichier",
        "send_file": "Importer le fichier",
        "check": "Vérifier seulement (rien n'est envoyé)",
        "check_bad": "Lignes fausses : 3. Corrigez-les avant d'importer.",
        "check_good": "Lignes correctes : 3. Vous pouvez importer.",
        "imported": "Import terminé : 3 élèves inscrits ou mis à jour.",
        "add_subject": "Ajouter une matière",
        "subject_code": "Code de la matière",
        "coefficient": "Coefficient",
        "name_ar": "Nom en arabe",
        "name_fr": "Nom en français",
        "save_subjects": "Enregistrer les matières",
        "saved_subjects": "matières enregistrées.",
        "class": "Classe",
        "add_slot": "Ajouter une séance",
        "start": "Début",
        "end": "Fin",
        "subject": "Matière",
        "tuesday": "Mardi",
        "save_week": "Enregistrer la semaine",
        "saved_week": "Emploi du temps enregistré : 3 séances.",
        "create_test": "Créer et saisir les notes",
        "save": "Enregistrer",
        "one_mark": "1 note enregistrée.",
        "session": "Séance",
        "absent": "Absent(e)",
        "record": "Enregistrer les absences",
        "recorded": "Feuille enregistrée : 1 absence.",
        "pending_show": "Voir les justificatifs de cette classe",
        "accept": "Accepter le justificatif",
        "accepted": "Justificatif accepté.",
        "father": "Père",
        "phone": "Téléphone",
        "maths": "Mathématiques",
        "arabic": "Langue arabe",
    },
    "ar": {
        "classes": "الأقسام والتلاميذ",
        "subjects": "المواد والمعاملات",
        "timetable": "استعمال الزمن",
        "marks": "النقط",
        "absences": "الغياب",
        "guardians": "تصحيحات أولياء الأمور",
        "label": "اسم القسم",
        "level": "المستوى",
        "create": "إنشاء القسم",
        "open": "فتح",
        "file": "الملف",
        "send_file": "استيراد الملف",
        "check": "تحقق فقط (لا يُرسل شيء)",
        "check_bad": "أسطر خاطئة: 3. صححوها قبل الاستيراد.",
        "check_good": "الأسطر صحيحة (3). يمكنكم الاستيراد.",
        "imported": "تم الاستيراد، سُجِّل أو حُدِّث: 3 تلاميذ.",
        "add_subject": "إضافة مادة",
        "subject_code": "رمز المادة",
        "coefficient": "المعامل",
        "name_ar": "الاسم بالعربية",
        "name_fr": "الاسم بالفرنسية",
        "save_subjects": "حفظ المواد",
        "saved_subjects": "حُفظت المواد",
        "class": "القسم",
        "add_slot": "إضافة حصة",
        "start": "البداية",
        "end": "النهاية",
        "subject": "المادة",
        "tuesday": "الثلاثاء",
        "save_week": "حفظ الأسبوع",
        "saved_week": "تم حفظ استعمال الزمن: 3 حصص.",
        "create_test": "إنشاء وإدخال النقط",
        "save": "حفظ",
        "one_mark": "تم حفظ نقطة واحدة.",
        "session": "الحصة",
        "absent": "غائب(ة)",
        "record": "تسجيل الغياب",
        "recorded": "تم تسجيل ورقة الغياب: غياب واحد.",
        "pending_show": "عرض تبريرات هذا القسم",
        "accept": "قبول التبرير",
        "accepted": "تم قبول التبرير.",
        "father": "الأب",
        "phone": "الهاتف",
        "maths": "الرياضيات",
        "arabic": "اللغة العربية",
    },
}


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver (overrides the session's one for `new_page`)."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


def shoot(page: Any, lang: str, name: str) -> None:
    check_page(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{lang}-{name}.png"), full_page=True)


def open_tab(page: Any, label: str, view: str) -> None:
    page.locator("ul.tabs a", has_text=label).click()
    wait_ready(page, view)
    expect(page.locator("ul.tabs a[aria-current=page]")).to_have_text(label)


def roster_csv(class_id: str, codes: list[str]) -> bytes:
    lines = [
        "massar_code,class_id,first_name_ar,last_name_ar,first_name_lat,last_name_lat,birth_date"
    ]
    lines.append(f"{SALMA},{class_id},,,,,")
    lines.append(f"{codes[0]},{class_id},يوسف,بناني,Youssef,Bennani,2018-02-11")
    lines.append(f"{codes[1]},{class_id},خديجة,الإدريسي,Khadija,Idrissi,2018-07-30")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_class_set_up_and_running_from_the_desk(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    say = WORDS[lang]
    level = {"ar": "2AP", "fr": "3AP"}[lang]
    label = f"{level}-{random.randint(10, 99)}"
    codes = [f"S{random.randint(10**8, 10**9 - 1)}" for _ in range(2)]
    page = new_page(lang)
    main = page.locator("main")
    sign_in(page, *STAFF, "desk-applications")

    # A class, then its roster from a file.
    open_tab(page, say["classes"], "desk-classes")
    form = main.locator("form.new-class")
    form.get_by_label(say["label"]).fill(label)
    form.get_by_label(say["level"]).fill(level)
    form.get_by_role("button", name=say["create"]).click()
    expect(form.locator(".notice.good")).to_contain_text(label)
    # Checked first, nothing sent: a file naming another class is wrong on each row.
    upload = main.locator("input[type=file]")
    imported = main.locator(".roster-import + .result")
    upload.set_input_files(
        {"name": "liste.csv", "mimeType": "text/csv", "buffer": roster_csv("9Z-9", codes)}
    )
    main.get_by_role("button", name=say["check"]).click()
    expect(imported.locator(".notice.bad")).to_have_text(say["check_bad"])
    upload.set_input_files(
        {"name": "liste.csv", "mimeType": "text/csv", "buffer": roster_csv(label, codes)}
    )
    main.get_by_role("button", name=say["check"]).click()
    expect(imported.locator(".notice.good")).to_have_text(say["check_good"])
    expect(imported.locator("tbody tr")).to_have_count(3)
    main.get_by_role("button", name=say["send_file"]).click()
    expect(main.locator(".roster-import + .result .notice.good")).to_have_text(say["imported"])
    expect(imported.locator("tbody tr").first).to_contain_text("Salma" if lang == "fr" else "سلمى")
    shoot(page, lang, "classes")
    form.get_by_role("link", name=say["open"]).click()
    wait_ready(page, "desk-class")
    expect(main.locator("table.pupils tbody tr")).to_have_count(3)
    expect(main.locator("table.pupils")).to_contain_text(
        "Youssef Bennani" if lang == "fr" else "يوسف بناني"
    )
    shoot(page, lang, "class")

    # The level's subjects with their coefficients (kept: the other levels' ones).
    open_tab(page, say["subjects"], "desk-subjects")
    editor = main.locator("form.subjects")
    before = editor.locator("fieldset.subject-row").count()
    for code, coefficient, name_ar, name_fr in (
        ("MATH", "3", "الرياضيات", "Mathématiques"),
        ("ARAB", "4,5", "اللغة العربية", "Langue arabe"),
    ):
        editor.get_by_role("button", name=say["add_subject"]).click()
        row = editor.locator("fieldset.subject-row").last
        expect(row.get_by_label(say["subject_code"])).to_be_focused()
        row.get_by_label(say["level"]).fill(level)
        row.get_by_label(say["subject_code"]).fill(code)
        row.get_by_label(say["coefficient"]).fill(coefficient)
        row.get_by_label(say["name_ar"]).fill(name_ar)
        row.get_by_label(say["name_fr"]).fill(name_fr)
    editor.get_by_role("button", name=say["save_subjects"]).click()
    expect(editor.locator(".notice.good")).to_contain_text(say["saved_subjects"])
    expect(editor.locator("fieldset.subject-row")).to_have_count(before + 2)
    shoot(page, lang, "subjects")

    # The week: two sessions on Monday, one on Tuesday.
    open_tab(page, say["timetable"], "desk-timetable")
    main.get_by_label(say["class"]).select_option(label=label)
    page.wait_for_function("n => location.hash.endsWith(n)", arg=label)
    wait_ready(page, "desk-timetable")
    week = main.locator("form.timetable")
    for day, subject in (
        (None, say["maths"]),
        (None, say["arabic"]),
        (say["tuesday"], say["maths"]),
    ):
        if day:
            week.get_by_label(day).check()
        week.get_by_role("button", name=say["add_slot"]).click()
        slot = week.locator("fieldset.slot").last
        expect(slot.get_by_label(say["subject"])).to_be_focused()
        slot.get_by_label(say["subject"]).select_option(label=subject)
    week.get_by_role("button", name=say["save_week"]).click()
    expect(week.locator(".notice.good")).to_have_text(say["saved_week"])
    page.reload()
    wait_ready(page, "desk-timetable")
    expect(main.locator("fieldset.slot")).to_have_count(2)  # Monday's, read back
    expect(main.locator("fieldset.slot").first.get_by_label(say["start"])).to_have_value("08:00")
    shoot(page, lang, "timetable")

    # A test and Salma's mark.
    open_tab(page, say["marks"], "desk-marks")
    main.get_by_label(say["class"]).select_option(label=label)
    main.get_by_label(say["subject"]).select_option(label=say["maths"])
    main.get_by_role("button", name=say["create_test"]).click()
    wait_ready(page, "desk-marks-sheet")
    expect(main.locator("dl.facts")).to_contain_text(label)
    main.locator(f"input[data-massar={SALMA}]").fill("16,5")
    main.get_by_role("button", name=say["save"], exact=True).click()
    expect(main.locator(".notice.good")).to_have_text(say["one_mark"])

    # An absence, the parent's justification, the desk's decision.
    open_tab(page, say["absences"], "desk-absences")
    main.get_by_label(say["class"]).select_option(label=label)
    wait_ready(page, "desk-absences")
    main.get_by_label(say["session"]).fill("08:00-09:00")
    main.get_by_label(say["subject"]).select_option(label=say["maths"])
    main.get_by_role("row").filter(has_text="Salma" if lang == "fr" else "سلمى").get_by_label(
        say["absent"], exact=True
    ).check()
    main.get_by_role("button", name=say["record"]).click()
    expect(main.locator(".result .notice.good")).to_contain_text(say["recorded"])
    parent = devserver.token(PARENT, PARENT_PASSWORD)
    status, _, absences = devserver.call("GET", f"/v1/students/{SALMA}/absences", token=parent)
    assert status == 200, absences
    absence = next(a for a in absences["items"] if not a.get("justification"))
    status, _, body = devserver.call(
        "POST",
        f"/v1/students/{SALMA}/absences/{absence['id']}/justification",
        {"text": "Rendez-vous chez le médecin"},
        token=parent,
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert status == 201, body
    main.get_by_role("button", name=say["pending_show"]).click()
    item = main.locator("ul.justifications li").filter(has_text="Rendez-vous chez le médecin")
    item.get_by_role("button", name=say["accept"]).click()
    expect(item.locator(".notice.good")).to_have_text(say["accepted"])

    # The father corrects his phone from the space: the desk reads it with Salma's name.
    phone = f"+2126{random.randint(10**7, 10**8 - 1)}"
    status, _, body = devserver.call(
        "PATCH", f"/v1/students/{SALMA}/guardians/father", {"phone": phone}, token=parent
    )
    assert status == 200, body
    open_tab(page, say["guardians"], "desk-guardians")
    latest = main.locator("ul.guardian-changes > li").first
    expect(latest.locator("h2")).to_contain_text("Salma" if lang == "fr" else "سلمى")
    expect(latest.locator("h2")).to_contain_text(SALMA)
    expect(latest).to_contain_text(say["father"])
    expect(latest.locator("dl.changes dt")).to_have_text([say["phone"]])
    expect(latest.locator("dl.changes dd")).to_contain_text(phone)
    shoot(page, lang, "guardians")
