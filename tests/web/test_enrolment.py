"""The school year around the pupil record in the browser, in both languages: a director
creates a class, enrols pupils by the roster import (a wrong file first: nothing written,
the errors by row) and by the form, sees them with their names, meets a pupil enrolled at
another school and asks for the transfer, which the other school's director releases (or
refuses, with a reason); a pupil waiting for a class is placed; year-end decisions for a
class; a parent re-registers a child in the space and the school's list shows it.

This module runs its own devserver: it moves pupils between the demo schools."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from chalicelib.registration.hijri import gregorian_to_hijri
from devserver.harness import Http, running_devserver
from tests.registration_fixtures import APPLICATION
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

COLLEGE, PRIMARY = "CL4501", "EP0007"
COLLEGE_STAFF = ("dir.cl4501", "Directeur-demo-2026!")
PRIMARY_STAFF = ("dir.ep0007", "Directrice-demo-2026!")
PARENT, PARENT_PASSWORD = "AB123456", "Parent-demo-2026!"
AMINA, SALMA = "J130012345", "K140000001"
SHOTS = Path("/tmp/massar-enrolment-shots")
LANGS = ["ar", "fr"]
# Each language's run works on its own pupils and classes.
CODES = {"ar": "J24000011", "fr": "J24000022"}
WORDS = {
    "ar": {
        "classes": "الأقسام والتلاميذ",
        "transfers": "الانتقالات",
        "yearend": "نهاية السنة",
        "label": "اسم القسم",
        "level": "المستوى",
        "create": "إنشاء القسم",
        "file": "الملف",
        "import": "استيراد الملف",
        "refused": "لم يُسجَّل أي شيء",
        "row": "السطر {n}",
        "imported": "تم الاستيراد، سُجِّل أو حُدِّث: تلميذان",
        "created": "جديد",
        "massar": "رمز مسار",
        "first_lat": "الاسم الشخصي بالحروف اللاتينية",
        "last_lat": "الاسم العائلي بالحروف اللاتينية",
        "first_ar": "الاسم الشخصي بالعربية",
        "add": "إضافة إلى القسم",
        "elsewhere": "مسجل(ة) بمؤسسة أخرى",
        "ask_transfer": "طلب انتقال هذا التلميذ(ة)",
        "send_ask": "إرسال الطلب",
        "already_open": "يوجد طلب انتقال مفتوح لهذا التلميذ(ة).",
        "to_class": "القسم المستقبِل",
        "asked": "أُرسل طلب انتقال التلميذ(ة)",
        "requested": "في انتظار القرار",
        "release": "قبول الانتقال",
        "yes_release": "نعم، أؤكد القبول",
        "refuse": "رفض الانتقال",
        "yes_refuse": "نعم، أؤكد الرفض",
        "reason": "سبب الرفض",
        "reason_needed": "اكتبوا سبب الرفض.",
        "released": "مقبول",
        "refused_status": "مرفوض",
        "cancel_request": "إلغاء الطلب",
        "yes_cancel": "نعم، ألغِ الطلب",
        "cancelled": "ملغى",
        "place": "إلحاق بالقسم",
        "placed": "أُلحق",
        "bad_code": "رمز مسار غير صالح",
        "unknown_class": "قسم غير معروف",
    },
    "fr": {
        "classes": "Classes et élèves",
        "transfers": "Transferts",
        "yearend": "Fin d'année",
        "label": "Nom de la classe",
        "level": "Niveau",
        "create": "Créer la classe",
        "file": "Fichier",
        "import": "Importer le fichier",
        "refused": "Rien n'a été enregistré",
        "row": "Ligne {n}",
        "imported": "Import terminé : 2 élèves inscrits",
        "created": "nouveau",
        "massar": "Code Massar",
        "first_lat": "Prénom en lettres latines",
        "last_lat": "Nom en lettres latines",
        "first_ar": "Prénom en arabe",
        "add": "Ajouter à la classe",
        "elsewhere": "inscrit dans une autre école",
        "ask_transfer": "Demander le transfert de cet élève",
        "send_ask": "Envoyer la demande",
        "already_open": "Une demande de transfert de cet élève est déjà ouverte.",
        "to_class": "Classe d'accueil",
        "asked": "Demande de transfert de l'élève",
        "requested": "en attente de décision",
        "release": "Accepter le transfert",
        "yes_release": "Oui, j'accepte le transfert",
        "refuse": "Refuser le transfert",
        "yes_refuse": "Oui, je refuse le transfert",
        "reason": "Motif du refus",
        "reason_needed": "Indiquez le motif du refus.",
        "released": "accepté",
        "refused_status": "refusé",
        "cancel_request": "Annuler la demande",
        "yes_cancel": "Oui, annuler la demande",
        "cancelled": "annulé",
        "place": "Placer dans la classe",
        "placed": "placé(e) en",
        "bad_code": "code Massar invalide",
        "unknown_class": "classe inconnue",
    },
}


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver (overrides the session's one for `new_page`)."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


def shot(page: Any, name: str) -> None:
    """Check the page against the cross-page rules, and keep a picture of it."""
    check_page(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def csv_file(rows: list[dict[str, str]]) -> dict[str, Any]:
    columns = [
        "massar_code",
        "class_id",
        "first_name_lat",
        "last_name_lat",
        "first_name_ar",
        "last_name_ar",
    ]
    lines = [",".join(columns)] + [",".join(r.get(c, "") for c in columns) for r in rows]
    return {"name": "liste.csv", "mimeType": "text/csv", "buffer": "\n".join(lines).encode()}


def xlsx_file(rows: list[dict[str, str]]) -> dict[str, Any]:
    import io

    from openpyxl import Workbook

    columns = [
        "massar_code",
        "class_id",
        "first_name_lat",
        "last_name_lat",
        "first_name_ar",
        "last_name_ar",
    ]
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {"name": "liste.xlsx", "mimeType": mime, "buffer": out.getvalue()}


def seed_at_primary(devserver: Http, massar: str, first_lat: str) -> None:
    """A pupil of the other school, enrolled there through the API."""
    token = devserver.token(*PRIMARY_STAFF)
    row = {
        "massar_code": massar,
        "first_name_lat": first_lat,
        "last_name_lat": "Bennani",
        "first_name_ar": "سعيد",
        "last_name_ar": "بناني",
        "guardian_cin": "ZT" + massar[-6:],
        "guardian_role": "mother",
    }
    status, _, body = devserver.call(
        "PUT", f"/v1/schools/{PRIMARY}/classes/1AP-1/pupils", {"pupils": [row]}, token=token
    )
    assert status == 200, body


@pytest.mark.parametrize("lang", LANGS)
def test_a_director_enrols_by_import_and_by_form_and_asks_a_transfer(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    say = WORDS[lang]
    base = CODES[lang]
    label = f"1AC-{lang.upper()}"
    page = new_page(lang)
    sign_in(page, *COLLEGE_STAFF, "desk-applications")
    main = page.locator("main")
    page.locator("ul.tabs a", has_text=say["classes"]).click()
    wait_ready(page, "desk-classes")
    shot(page, f"classes-{lang}")

    # A new class.
    main.get_by_label(say["label"]).fill(label)
    main.get_by_label(say["level"]).fill("1ac")
    main.get_by_role("button", name=say["create"]).click()
    expect(main.locator("ul.classes")).to_contain_text(label)

    # A wrong file: nothing written, each bad row said.
    wrong = [
        {"massar_code": base + "1", "class_id": label, "first_name_lat": "Nadia"},
        {"massar_code": "nope", "class_id": label},
        {"massar_code": base + "2", "class_id": "9Z-9"},
    ]
    main.get_by_label(say["file"]).set_input_files(csv_file(wrong))
    main.get_by_role("button", name=say["import"]).click()
    report = main.locator(".result")
    expect(report.locator(".notice.bad")).to_contain_text(say["refused"])
    expect(report.locator("li[data-row='3']")).to_contain_text(say["row"].format(n=3))
    expect(report.locator("li[data-row='3']")).to_contain_text(say["bad_code"])
    expect(report.locator("li[data-row='3']")).to_contain_text(say["massar"])
    expect(report.locator("li[data-row='4']")).to_contain_text(say["unknown_class"])
    expect(report.locator("li[data-row='2']")).to_have_count(0)
    shot(page, f"classes-import-refused-{lang}")

    right = [
        {
            "massar_code": base + "1",
            "class_id": label,
            "first_name_lat": "Nadia",
            "last_name_lat": "Idrissi",
            "first_name_ar": "نادية",
            "last_name_ar": "الإدريسي",
        },
        {
            "massar_code": base + "2",
            "class_id": label,
            "first_name_lat": "Omar",
            "last_name_lat": "Fassi",
            "first_name_ar": "عمر",
            "last_name_ar": "الفاسي",
        },
    ]
    # The right file: CSV in Arabic, XLSX (as Massar exports it) in French.
    main.get_by_label(say["file"]).set_input_files(
        csv_file(right) if lang == "ar" else xlsx_file(right)
    )
    main.get_by_role("button", name=say["import"]).click()
    expect(report.locator(".notice.good")).to_contain_text(say["imported"])
    expect(report.locator("tbody tr")).to_have_count(2)
    expect(report.locator("tbody tr").first.locator(".badge")).to_have_text(say["created"])
    shot(page, f"classes-import-done-{lang}")

    # The class: both pupils with their names.
    main.locator("ul.classes a", has_text=label).click()
    wait_ready(page, "desk-class")
    rows = main.locator("table.pupils tbody tr")
    expect(rows).to_have_count(2)
    expected = "Nadia Idrissi" if lang == "fr" else "نادية الإدريسي"
    expect(rows.filter(has_text=base + "1")).to_contain_text(expected)
    expect(rows.filter(has_text=base + "1")).to_contain_text(
        "Nadia Idrissi" if lang == "ar" else "نادية الإدريسي"
    )

    # One more by the form.
    main.get_by_label(say["massar"]).fill(base + "3")
    form = main.locator("form.add-pupil")
    expect(form.get_by_label(say["first_lat"])).to_have_attribute("name", "pupils.0.first_name_lat")
    form.locator("[name='pupils.0.first_name_lat']").fill("Yousra")
    form.locator("[name='pupils.0.last_name_lat']").fill("Chraibi")
    form.locator("[name='pupils.0.first_name_ar']").fill("يسرى")
    main.get_by_role("button", name=say["add"]).click()
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text=base + "3")).to_contain_text("Yousra")
    shot(page, f"class-{lang}")

    # A pupil of the other school: refused in words, with the way to ask for the transfer.
    other, later, refused_one, withdrawn = (base + n for n in "4567")
    for code, first in (
        (other, "Said"),
        (later, "Karim"),
        (refused_one, "Hamza"),
        (withdrawn, "Ali"),
    ):
        seed_at_primary(devserver, code, first)
    main.get_by_label(say["massar"]).fill(other)
    main.get_by_role("button", name=say["add"]).click()
    error = main.locator(".form-error")
    expect(error).to_contain_text(say["elsewhere"])
    expect(error).not_to_contain_text("/v1/")
    shot(page, f"class-elsewhere-{lang}")
    error.get_by_role("link", name=say["ask_transfer"]).click()
    wait_ready(page, "desk-transfers")
    expect(main.get_by_label(say["massar"])).to_have_value(other)
    expect(main.get_by_label(say["to_class"])).to_have_value(label)
    main.get_by_role("button", name=say["send_ask"]).click()
    expect(main.locator(".notice.good")).to_contain_text(say["asked"])
    incoming = main.locator("section.incoming li.transfer")
    expect(incoming.filter(has_text=other).locator(".badge")).to_have_text(say["requested"])
    # Three more typed in, with no class; the last one withdrawn.
    for code in (later, refused_one, withdrawn):
        main.get_by_label(say["massar"]).fill(code)
        main.get_by_role("button", name=say["send_ask"]).click()
        expect(incoming.filter(has_text=code)).to_have_count(1)
    main.get_by_label(say["massar"]).fill(later)
    main.get_by_role("button", name=say["send_ask"]).click()
    expect(main.locator("form.ask-transfer .form-error")).to_contain_text(say["already_open"])
    gone = incoming.filter(has_text=withdrawn)
    gone.get_by_role("button", name=say["cancel_request"]).click()
    gone.get_by_role("button", name=say["yes_cancel"]).click()
    expect(incoming.filter(has_text=withdrawn).locator(".badge")).to_have_text(say["cancelled"])
    shot(page, f"transfers-incoming-{lang}")

    # The other school decides: two released, one refused with a reason.
    other_page = new_page(lang)
    sign_in(other_page, *PRIMARY_STAFF, "desk-applications")
    other_page.goto("/#/desk/transfers")
    wait_ready(other_page, "desk-transfers")
    theirs = other_page.locator("main section.outgoing li.transfer")
    expect(theirs.filter(has_text=withdrawn).locator(".badge")).to_have_text(say["cancelled"])
    expect(theirs.filter(has_text=withdrawn).get_by_role("button")).to_have_count(0)
    # Their own pupil, named (the transfer carries only the code).
    expect(theirs.filter(has_text=other)).to_contain_text(
        "Said Bennani" if lang == "fr" else "سعيد بناني"
    )
    shot(other_page, f"transfers-outgoing-{lang}")
    for code in (other, later):
        mine = theirs.filter(has_text=code)
        mine.get_by_role("button", name=say["release"]).click()
        mine.get_by_role("button", name=say["yes_release"]).click()
        expect(theirs.filter(has_text=code).locator(".badge")).to_have_text(say["released"])
    no = theirs.filter(has_text=refused_one)
    no.get_by_role("button", name=say["refuse"]).click()
    expect(no.locator(".form-error")).to_contain_text(say["reason_needed"])
    no.get_by_label(say["reason"]).fill("Dossier incomplet")
    no.get_by_role("button", name=say["refuse"]).click()
    shot(other_page, f"transfers-refuse-confirm-{lang}")
    no.get_by_role("button", name=say["yes_refuse"]).click()
    expect(theirs.filter(has_text=refused_one).locator(".badge")).to_have_text(
        say["refused_status"]
    )
    expect(theirs.filter(has_text=refused_one)).to_contain_text("Dossier incomplet")
    shot(other_page, f"transfers-decided-{lang}")

    # Back at the college: the decisions; the first pupil is in the class asked for, the
    # second waits for a class and is placed in it.
    page.goto("/#/desk/transfers")
    wait_ready(page, "desk-transfers")
    expect(incoming.filter(has_text=other).locator(".badge")).to_have_text(say["released"])
    expect(incoming.filter(has_text=refused_one)).to_contain_text("Dossier incomplet")
    page.goto("/#/desk/classes")
    wait_ready(page, "desk-classes")
    waiting = main.locator(".awaiting-list li").filter(has_text=later)
    expect(waiting).to_contain_text("Karim" if lang == "fr" else "سعيد")
    waiting.get_by_role("combobox").select_option(label)
    shot(page, f"classes-awaiting-{lang}")
    waiting.get_by_role("button", name=say["place"]).click()
    expect(main.locator(".awaiting-list")).to_contain_text(say["placed"])
    page.goto(f"/#/desk/classes/{label}")
    wait_ready(page, "desk-class")
    expect(rows).to_have_count(5)
    expect(rows.filter(has_text=other)).to_contain_text("Said" if lang == "fr" else "سعيد")
    expect(rows.filter(has_text=later)).to_contain_text("Karim" if lang == "fr" else "سعيد")
    check_page(page)


YEAR_END = {
    "ar": {
        "staff": COLLEGE_STAFF,
        "school": COLLEGE,
        "class": "1AC-1",
        "child": AMINA,
        "name": "أمينة العلوي",
        "promoted": "ينتقل",
        "repeats": "يكرر",
        "leaves": "يغادر المؤسسة",
        "cancel": "إلغاء",
        "yes_send": "نعم، أرسل القرارات",
        "show": "عرض تلاميذ القسم",
        "send": "إرسال القرارات",
        "sent": "تم تسجيل",
        "class_label": "القسم",
        "tab": "إعادة التسجيل",
        "decision": "ينتقل إلى المستوى الموالي",
        "check_link": "التحقق من معطيات أولياء الأمر",
        "checked": "تحققت من معطيات أولياء الأمر",
        "must_check": "أكدوا أولا أنكم تحققتم",
        "confirm": "تأكيد إعادة التسجيل",
        "confirmed": "تم تأكيد إعادة التسجيل يوم",
        "listed": "أكدها ولي الأمر يوم",
        "count": "عدد إعادات التسجيل المؤكدة: 1",
        "nothing": "اختر قرارا لتلميذ(ة) واحد(ة) على الأقل.",
    },
    "fr": {
        "staff": PRIMARY_STAFF,
        "school": PRIMARY,
        "class": "1AP-1",
        "child": SALMA,
        "name": "Salma El Alaoui",
        "promoted": "Admis(e)",
        "repeats": "Redouble",
        "leaves": "Quitte l'école",
        "cancel": "Annuler",
        "yes_send": "Oui, envoyer les décisions",
        "show": "Afficher les élèves de la classe",
        "send": "Envoyer les décisions",
        "sent": "décision(s) enregistrée(s)",
        "class_label": "Classe",
        "tab": "Réinscription",
        "decision": "Admis(e) au niveau suivant",
        "check_link": "Vérifier les données des parents et tuteurs",
        "checked": "J'ai vérifié les données des parents et tuteurs",
        "must_check": "Confirmez d'abord avoir vérifié",
        "confirm": "Confirmer la réinscription",
        "confirmed": "Réinscription confirmée le",
        "listed": "confirmée par le tuteur le",
        "count": "Réinscriptions confirmées\u00a0: 1",
        "nothing": "Choisissez la décision d'au moins un élève.",
    },
}


@pytest.mark.parametrize("lang", LANGS)
def test_year_end_decisions_then_the_parent_re_registers_and_the_school_sees_it(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    say = {**WORDS[lang], **YEAR_END[lang]}
    child = say["child"]
    # A classmate who leaves the school at the end of the year.
    leaver = CODES[lang] + "9"
    status, _, body = devserver.call(
        "PUT",
        f"/v1/schools/{say['school']}/classes/{say['class']}/pupils",
        {"pupils": [{"massar_code": leaver, "first_name_lat": "Mehdi", "first_name_ar": "مهدي"}]},
        token=devserver.token(*say["staff"]),
    )
    assert status == 200, body
    page = new_page(lang)
    sign_in(page, *say["staff"], "desk-applications")
    main = page.locator("main")
    page.locator("ul.tabs a", has_text=say["yearend"]).click()
    wait_ready(page, "desk-yearend")
    shot(page, f"yearend-{lang}")
    main.get_by_label(say["class_label"]).select_option(say["class"])
    main.get_by_role("button", name=say["show"]).click()
    wait_ready(page, "desk-yearend-class")
    main.get_by_role("button", name=say["send"]).click()
    expect(main.locator(".form-error")).to_contain_text(say["nothing"])
    pupil = main.locator(f"ul.decisions li[data-massar='{child}']")
    expect(pupil).to_contain_text(say["name"])
    pupil.get_by_label(say["promoted"], exact=True).check()
    if lang == "fr":  # CP is no usual level: the director says the next one
        pupil.locator("input[name^=next]").fill("1ap")
    main.locator(f"ul.decisions li[data-massar='{leaver}']").get_by_label(
        say["leaves"], exact=True
    ).check()
    main.get_by_role("button", name=say["send"]).click()
    shot(page, f"yearend-confirm-{lang}")
    main.locator(".confirm-box").get_by_role("button", name=say["cancel"]).click()
    expect(main.locator(".confirm-box")).to_have_count(0)
    main.get_by_role("button", name=say["send"]).click()
    main.get_by_role("button", name=say["yes_send"]).click()
    expect(main.locator(".notice.good")).to_contain_text(say["sent"])
    leaving = main.locator(f"ul.decisions li[data-massar='{leaver}'] .outcome .badge")
    expect(leaving).to_have_text(say["leaves"])
    expect(pupil.locator(".outcome .badge")).to_have_text(say["promoted"])
    shot(page, f"yearend-class-{lang}")
    # Sent again later, the page shows what was decided.
    page.reload()
    wait_ready(page, "desk-yearend-class")
    expect(pupil.get_by_label(say["promoted"], exact=True)).to_be_checked()

    # The parent: the decision, then the re-registration after checking the guardians.
    family = new_page(lang)
    sign_in(family, PARENT, PARENT_PASSWORD, "space")
    family.goto(f"/#/space/{child}/marks")
    wait_ready(family, "space-marks")
    family.locator("ul.tabs a", has_text=say["tab"]).click()
    wait_ready(family, "space-reregistration")
    space = family.locator("main")
    expect(space.locator("section.decision")).to_contain_text(say["decision"])
    shot(family, f"space-reregistration-{lang}")
    space.get_by_role("button", name=say["confirm"]).click()
    expect(space.locator(".form-error")).to_contain_text(say["must_check"])
    space.get_by_role("link", name=say["check_link"]).click()
    wait_ready(family, "space-guardians")
    family.go_back()
    wait_ready(family, "space-reregistration")
    space.get_by_label(say["checked"]).check()
    space.get_by_role("button", name=say["confirm"]).click()
    expect(space.locator("section.rereg .notice.good")).to_contain_text(say["confirmed"])
    shot(family, f"space-reregistered-{lang}")
    family.reload()
    wait_ready(family, "space-reregistration")
    expect(space.locator("section.rereg .notice.good")).to_contain_text(say["confirmed"])
    expect(space.get_by_role("button", name=say["confirm"])).to_have_count(0)

    # The school's list of re-registrations for the coming year.
    page.goto("/#/desk/yearend")
    wait_ready(page, "desk-yearend")
    listed = main.locator(f"section.rereg-list li[data-massar='{child}']")
    expect(listed).to_contain_text(say["name"])
    expect(listed).to_contain_text(say["listed"])
    expect(main.locator("section.rereg-list")).to_contain_text(say["count"])
    shot(page, f"yearend-rereg-{lang}")
    page.goto(f"/#/desk/yearend/{say['class']}")
    wait_ready(page, "desk-yearend-class")
    expect(pupil.locator(".rereg")).to_contain_text(say["listed"])


AXE_PAGES = [
    (COLLEGE_STAFF, "/#/desk/classes", "desk-classes"),
    (COLLEGE_STAFF, "/#/desk/classes/1AC-1", "desk-class"),
    (COLLEGE_STAFF, "/#/desk/transfers", "desk-transfers"),
    (PRIMARY_STAFF, "/#/desk/transfers", "desk-transfers"),
    (COLLEGE_STAFF, "/#/desk/yearend", "desk-yearend"),
    (COLLEGE_STAFF, "/#/desk/yearend/1AC-1", "desk-yearend-class"),
    ((PARENT, PARENT_PASSWORD), f"/#/space/{SALMA}/reregistration", "space-reregistration"),
]


@pytest.mark.parametrize("lang", LANGS)
def test_the_new_pages_have_no_serious_accessibility_violation(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    import json

    from tests.web.test_accessibility import serious_violations

    found: dict[str, list[str]] = {}
    for (username, password), path, view in AXE_PAGES:
        status, _, answer = devserver.call(
            "POST", "/v1/auth/login", {"username": username, "password": password}
        )
        assert status == 200, answer
        page = new_page(lang, bypass_csp=True)  # axe is injected as a script of the test's own
        page.add_init_script(
            f"localStorage.setItem('massar.session', {json.dumps(json.dumps(answer))})"
        )
        page.goto(path)
        wait_ready(page, view)
        check_page(page)
        found[f"{username} {path}"] = serious_violations(page)
        page.context.close()
    assert not any(found.values()), found


def approved_application(devserver: Http, first_ar: str, first_lat: str) -> str:
    """An application to EP0007 for a child of legal age, approved: the new Massar code."""
    campaign = devserver.call("GET", "/v1/campaigns/current")[2]
    birth = date.fromisoformat(campaign["birth_date_from"]) + timedelta(days=100)
    body = copy.deepcopy(APPLICATION)
    body["school_code"] = PRIMARY
    body["child"].update(
        first_name_ar=first_ar,
        first_name_lat=first_lat,
        birth_date=birth.isoformat(),
        birth_date_hijri=gregorian_to_hijri(birth),
        birth_certificate_number=f"{random.randint(1000, 99999)}/{birth.year}",
        birth_certificate_date=(birth + timedelta(days=5)).isoformat(),
    )
    school = devserver.call("GET", f"/v1/schools/{PRIMARY}")[2]
    area = (school.get("catchment") or [school["commune"]])[0]  # in the school's area
    body["residence"] = {"commune": area, "address": "12 زنقة الورد، تابريكت"}
    status, _, answer = devserver.call("POST", "/v1/registrations", body)
    assert status == 201, answer
    token = devserver.token(*PRIMARY_STAFF)
    status, _, answer = devserver.call(
        "POST", f"/v1/registrations/{answer['id']}/approve", token=token
    )
    assert status == 200, answer
    return str(answer["massar_code"])


@pytest.mark.parametrize("lang", LANGS)
def test_an_approved_pre_registration_is_placed_in_a_class(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    say = WORDS[lang]
    first_ar, first_lat = {"ar": ("ريم", "Rim"), "fr": ("إلياس", "Ilyas")}[lang]
    massar = approved_application(devserver, first_ar, first_lat)
    page = new_page(lang)
    sign_in(page, *PRIMARY_STAFF, "desk-applications")
    page.goto("/#/desk/classes")
    wait_ready(page, "desk-classes")
    main = page.locator("main")
    waiting = main.locator(".awaiting-list li").filter(has_text=massar)
    expect(waiting).to_contain_text(first_lat if lang == "fr" else first_ar)
    waiting.get_by_role("combobox").select_option("1AP-1")
    waiting.get_by_role("button", name=say["place"]).click()
    expect(main.locator(".awaiting-list")).to_contain_text(say["placed"])
    check_page(page)
    main.locator(".awaiting-list").get_by_role("link").first.click()
    wait_ready(page, "desk-class")
    row = main.locator("table.pupils tbody tr").filter(has_text=massar)
    expect(row).to_contain_text(f"{first_ar} العلوي")
    expect(row).to_contain_text(f"{first_lat} El Alaoui")
    check_page(page)
