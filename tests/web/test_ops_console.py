"""The operators' console in the browser (web/js/views/ops*.js, issue 16): an operator, using
only the web client, opens a campaign and edits it, creates a school and imports others,
creates the school's director (whose initial code goes by email), issues a school's accounts
and downloads the letters, follows the dashboard down to the school, resends a notification
and reads an account's security trail — in French; then every console page is visited in
Arabic and in French, each checked (`check_page`) and photographed at 390×844 under
/tmp/ops-shots/. The tab bars (the console's and the desk's) stay one row on a phone.

What happens outside the console is set up through the API as the people concerned would
do it: a family applies to the new school, a school's roster gets a new pupil, someone
mistypes a director's password. The console opens a campaign for a later school year,
which becomes the open one: this module runs its own devserver."""

from __future__ import annotations

import copy
import random
import re
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from chalicelib.registration.hijri import gregorian_to_hijri
from devserver.harness import Http, running_devserver
from tests.registration_fixtures import APPLICATION
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

OPS = ("ops.admin", "Massar-dev-2026!")
DIRECTOR = ("dir.cl4501", "Directeur-demo-2026!")
MOROCCO = ZoneInfo("Africa/Casablanca")
SHOTS = Path("/tmp/ops-shots")
DEMO_PHONE = "+212661234567"  # the demo father's, who got the demo absences' SMS


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver (overrides the session's one for `new_page`)."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def today() -> date:
    return datetime.now(MOROCCO).date()


def next_free_year() -> str:
    """The school year after the demo's campaign (the demo opens the coming one)."""
    day = today()
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start + 2}-{start + 3}"


def open_tab(page: Any, label: str, view: str) -> None:
    page.locator("ul.tabs a", has_text=label).click()
    wait_ready(page, view)
    expect(page.locator("ul.tabs a[aria-current=page]")).to_have_text(label)
    assert page.evaluate("document.activeElement.tagName") == "H1"  # focus follows the page


def visit(page: Any, path: str, view: str) -> None:
    page.goto(path)
    wait_ready(page, view)
    check_page(page)


def wait_until(check: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("condition not met in time")


def apply(devserver: Http, school: str, email: str) -> dict[str, Any]:
    """A family living in Tabriquet (Salé) applies to `school` for a child of legal age."""
    campaign = devserver.call("GET", "/v1/campaigns/current")[2]
    birth = date.fromisoformat(campaign["birth_date_from"]) + timedelta(days=100)
    body = copy.deepcopy(APPLICATION)
    body["school_code"] = school
    body["child"].update(
        first_name_lat="Zy" + "".join(random.choices("abcdefghijklmnoprstuv", k=6)),
        birth_date=birth.isoformat(),
        birth_date_hijri=gregorian_to_hijri(birth),
        birth_certificate_number=f"{random.randint(1000, 99999)}/{birth.year}",
        birth_certificate_date=(birth + timedelta(days=5)).isoformat(),
    )
    body["father"]["email"] = email
    body["residence"] = {"commune": "04.441.01.09", "address": "12 زنقة الورد، تابريكت"}
    status, _, answer = devserver.call("POST", "/v1/registrations", body)
    assert status == 201, answer
    assert answer["checks"] == {"age_eligible": True, "in_catchment": True}
    return dict(answer)


def new_pupil_in_class(devserver: Http, token: str, school: str, class_id: str) -> str:
    """A class of `school` with a pupil new to the system (the school's own roster work)."""
    massar = f"J13{random.randint(0, 9_999_999):07d}"
    status, _, answer = devserver.call(
        "PUT",
        f"/v1/schools/{school}/classes/{class_id}",
        {"label": class_id, "level": "1AC"},
        token,
    )
    assert status == 200, answer
    pupil = {
        "massar_code": massar,
        "first_name_ar": "سارة",
        "last_name_ar": "بناني",
        "first_name_lat": "Sara",
        "last_name_lat": "Bennani",
        "birth_date": "2014-03-02",
        "gender": "F",
        "guardian_role": "mother",
        "guardian_cin": f"AA{random.randint(100000, 999999)}",
        "guardian_first_name_ar": "نادية",
        "guardian_last_name_ar": "بناني",
        "guardian_first_name_lat": "Nadia",
        "guardian_last_name_lat": "Bennani",
    }
    path = f"/v1/schools/{school}/classes/{class_id}/pupils"
    status, _, answer = devserver.call("PUT", path, {"pupils": [pupil]}, token)
    assert status == 200, answer
    return massar


def messages_to(devserver: Http, to: str) -> list[dict[str, Any]]:
    return [m for m in devserver.outbox() if m["to"] == to]


def test_an_operator_runs_the_registration_from_the_console(
    devserver: Http, new_page: Callable[..., Any]
) -> None:
    page = new_page("fr")
    sign_in(page, *OPS, "ops-dashboard")  # an operator lands on the console
    check_page(page)
    expect(page.locator("ul.tabs a[aria-current=page]")).to_have_text("Tableau de bord")
    expect(page.locator(".bar nav a[aria-current=page]")).to_have_text("Console des opérateurs")

    # --- A campaign for the next school year, open from yesterday; the one receiving the
    # families' applications edited (the app's rule: of the open campaigns of the school
    # years starting last year, this year or next, the latest).
    open_tab(page, "Campagnes", "ops-campaigns")
    demo = devserver.call("GET", "/v1/campaigns/current")[2]["school_year"]
    year = next_free_year()
    start = int(year[:4])
    page.locator("select[name=school_year]").select_option(year)
    page.fill("input[name=opens_on]", (today() - timedelta(days=1)).isoformat())
    page.fill("input[name=closes_on]", (today() + timedelta(days=60)).isoformat())
    page.fill("input[name=birth_date_from]", date(start - 6, 1, 1).isoformat())
    page.fill("input[name=birth_date_to]", date(start - 6, 12, 31).isoformat())
    page.locator("form button[type=submit]").click()
    expect(page.locator("main .notice.good")).to_have_text(f"Campagne {year} enregistrée.")
    expect(page.locator("li.campaign", has_text=year).locator(".badge")).to_have_text("Ouverte")
    candidates = {f"{y}-{y + 1}" for y in (today().year - 1, today().year, today().year + 1)}
    current = max({demo, year} & candidates)
    receiving = page.locator("li.campaign", has_text=current)
    expect(receiving.locator(".current")).to_have_text("Reçoit les demandes des familles")
    expect(page.locator("li.campaign .current")).to_have_count(1)
    assert devserver.call("GET", "/v1/campaigns/current")[2]["school_year"] == current
    check_page(page)
    shot(page, "journey-campaign-opened-fr")
    receiving.get_by_role("link", name=f"Modifier la campagne {current}").click()
    wait_ready(page, "ops-campaign")
    closes = today() + timedelta(days=90)
    page.fill("input[name=closes_on]", closes.isoformat())
    page.fill("textarea[name=note]", "Six ans révolus au 31 décembre")
    page.locator("form button[type=submit]").click()
    expect(page.locator("main .notice.good")).to_have_text(f"Campagne {current} enregistrée.")
    expect(page.locator("li.campaign", has_text=current)).to_contain_text("Six ans révolus")
    saved = devserver.call("GET", f"/v1/campaigns/{current}")[2]
    assert (saved["closes_on"], saved["is_open"]) == (closes.isoformat(), True)

    # A mistake is told under its field, in French.
    page.locator("li.campaign", has_text=year).get_by_role("link").click()
    wait_ready(page, "ops-campaign")
    page.fill("input[name=birth_date_to]", (today() + timedelta(days=5)).isoformat())
    page.locator("form button[type=submit]").click()
    expect(page.locator("[data-field=birth_date_to] .error")).to_be_visible()
    check_page(page)

    # --- A school in Tabriquet (Salé), serving Tabriquet and Layayda.
    open_tab(page, "Écoles", "ops-schools")
    page.locator("ul.switch a", has_text="Nouvelle école").click()
    wait_ready(page, "ops-schools-new")
    code = f"EP{random.randint(1000, 9999)}{random.randint(10, 99)}"
    page.fill("input[name=code]", code.lower())
    page.fill("input[name=name_ar]", "مدرسة النخيل")
    page.fill("input[name=name_fr]", "École Les Palmiers")
    page.locator("select[name=cycle]").select_option("primary")
    page.locator("select[name=academy]").select_option("04")
    expect(page.locator("select[name=province] option[value='04.441']")).to_be_attached()
    page.locator("select[name=province]").select_option("04.441")
    expect(page.locator("select[name=commune] option[value='04.441.01.09']")).to_be_attached()
    page.locator("select[name=commune]").select_option("04.441.01.09")
    expect(page.locator("input.area[value='04.441.01.09']")).to_be_checked()  # its own
    page.locator("input.area[value='04.441.01.07']").check()
    page.locator("form button[type=submit]").click()
    expect(page.locator("main .notice.good")).to_contain_text("École créée")
    check_page(page)
    shot(page, "journey-school-created-fr")
    school = devserver.call("GET", f"/v1/schools/{code}")[2]
    assert sorted(school["catchment"]) == ["04.441.01.07", "04.441.01.09"]
    page.get_by_role("link", name="Écoles de Salé").click()
    wait_ready(page, "ops-schools")
    ours = page.locator("li.school", has_text=code)
    expect(ours).to_contain_text("École Les Palmiers")
    check_page(page)

    # Others from a file: one row right, one wrong; checked first, then imported.
    page.locator("ul.switch a", has_text="Importer un fichier").click()
    wait_ready(page, "ops-schools-import")
    other = f"EP{random.randint(1000, 9999)}{random.randint(10, 99)}"
    csv = (
        "code;name_ar;name_fr;cycle;sector;academy;province;commune;catchment\n"
        f"{other};مدرسة الزيتون;École Les Oliviers;primary;public;04;04.441;04.441.01.05;"
        "04.441.01.05\n"
        "BAD1;مدرسة;École;nursery;public;04;04.441;04.441.01.05;\n"
    )
    upload = {"name": "ecoles.csv", "mimeType": "text/csv", "buffer": csv.encode()}
    page.set_input_files("input[name=file]", upload)
    page.check("input[name=dry_run]")
    page.locator("form button[type=submit]").click()
    report = page.locator("#report-h2")
    expect(report).to_have_text(
        "Vérification : 1 école créée, 0 école mise à jour, 0 école inchangée, 1 ligne en erreur."
    )
    assert devserver.call("GET", f"/v1/schools/{other}")[0] == 404  # nothing written
    page.uncheck("input[name=dry_run]")
    page.locator("form button[type=submit]").click()
    expect(report).to_have_text(
        "1 école créée, 0 école mise à jour, 0 école inchangée, 1 ligne en erreur."
    )
    expect(page.locator("tr.bad-row")).to_contain_text("3")  # the spreadsheet's row number
    expect(page.locator("tr.bad-row .row-errors")).to_contain_text("cycle")
    check_page(page)
    shot(page, "journey-import-report-fr")
    assert devserver.call("GET", f"/v1/schools/{other}")[0] == 200

    # --- Its director: the initial code goes by email, never on screen.
    page.goto("/#/ops/schools/in/04.441")
    wait_ready(page, "ops-schools")
    page.locator("li.school", has_text=code).get_by_role("link", name="Compte du directeur").click()
    wait_ready(page, "ops-staff")
    expect(page.locator("input[name=school_code]")).to_have_value(code)
    expect(page.locator(".school-name")).to_contain_text("École Les Palmiers")
    username = f"dir.{code.lower()}"
    expect(page.locator("input[name=username]")).to_have_value(username)
    email = f"{username}@example.ma"
    page.fill("input[name=first_name]", "Karima")
    page.fill("input[name=last_name]", "Tazi")
    page.fill("input[name=email]", email)
    page.locator("form button[type=submit]").click()
    expect(page.locator("main .notice.good")).to_contain_text(f"Compte {username} créé")
    expect(page.locator(".code-sent")).to_contain_text(f"Le code initial a été envoyé à {email}")
    check_page(page)
    shot(page, "journey-director-created-fr")
    letter = devserver.wait_for_message(email, "Code initial")
    found = re.search(r"Code initial : (\S+)", letter["body"])
    assert found and found.group(1) not in page.inner_text("body")  # the email alone has it
    activated = devserver.call(
        "POST",
        "/v1/auth/activate",
        {
            "username": username,
            "initial_code": found.group(1),
            "new_password": "Palmiers-2026-dir!",
        },
    )
    assert activated[0] == 200, activated  # the director can start
    # The same form sent again is the same request (its Idempotency-Key): nothing new. Another
    # person with the same username is refused, under the username.
    page.locator("form button[type=submit]").click()
    expect(page.locator("main .notice.good")).to_contain_text(f"Compte {username} créé")
    assert len(messages_to(devserver, email)) == 1
    page.fill("input[name=first_name]", "Karim")
    page.locator("form button[type=submit]").click()
    expect(page.locator("[data-field=username] .error")).to_be_visible()
    # The email's notification: a code is never resent.
    page.get_by_role("link", name="Suivre l'e-mail envoyé").click()
    wait_ready(page, "ops-notifications")
    sent = page.locator("li.notification").first
    expect(sent).to_contain_text("staff_initial_code")
    expect(sent.locator("button.resend")).to_have_count(0)
    expect(sent).to_contain_text("ne se renvoie pas")

    # --- A school's accounts: a class with a new pupil, issued, its letters downloadable.
    ops_token = devserver.token(*OPS)
    new_pupil_in_class(devserver, ops_token, "CL4501", "1AC-8")
    open_tab(page, "Émission des comptes", "ops-batches")
    page.fill("input[name=school_code]", "CL4501")
    page.locator("button.load").click()
    expect(page.locator("select[name=class_id] option[value='1AC-8']")).to_be_attached()
    expect(page.locator(".school-name")).to_contain_text("Collège Ibn Battouta")
    page.locator("select[name=class_id]").select_option("1AC-8")
    page.locator("form button[type=submit]").click()
    wait_ready(page, "ops-batch")
    expect(page.locator("h1")).to_have_text("Émission des comptes de l'école CL4501")
    expect(page.locator(".batch[data-status=done]")).to_be_attached(timeout=90_000)
    expect(page.locator(".batch .notice.good")).to_have_text(
        "Émission terminée : 2 nouvelles lettres, 0 compte inchangé."
    )
    download = page.locator("a.letters")
    expect(download).to_have_text("Télécharger les lettres de 1AC-8")
    href = download.get_attribute("href")
    assert href
    pdf = devserver.call("GET", href.replace(devserver.base, ""))
    assert pdf[0] == 200
    check_page(page)
    shot(page, "journey-batch-done-fr")
    open_tab(page, "Émission des comptes", "ops-batches")
    expect(page.locator("ul.recent li")).to_contain_text("CL4501")

    # --- A family applies to the new school; the dashboard, national down to the school.
    family = f"famille.{code.lower()}@example.ma"
    apply(devserver, code, family)
    scope = f"school:{code}"
    wait_until(
        lambda: (
            devserver.call("GET", f"/v1/dashboard/registrations?scope={scope}", token=ops_token)[2][
                "counts"
            ]["total"]
            == 1
        )
    )
    open_tab(page, "Tableau de bord", "ops-dashboard")
    expect(page.locator(".crumbs [aria-current=page]")).to_have_text("National")
    expect(page.locator(".chart rect.bar").first).to_be_attached()  # this hour's submissions
    expect(page.locator(".chart")).to_have_attribute("role", "img")
    check_page(page)
    page.locator("table.stack a", has_text="Rabat-Salé-Kénitra").click()
    wait_ready(page, "ops-dashboard")
    expect(page.locator(".crumbs [aria-current=page]")).to_have_text("Académie Rabat-Salé-Kénitra")
    page.locator("table.stack a", has_text="Salé").click()
    wait_ready(page, "ops-dashboard")
    expect(page.locator(".crumbs [aria-current=page]")).to_have_text("Salé")
    row = page.locator("table.stack tr", has_text=code)
    expect(row).to_contain_text("Les Palmiers")  # the counters know the code, the page the name
    check_page(page)
    row.get_by_role("link").click()
    wait_ready(page, "ops-dashboard")
    expect(page.locator(".crumbs li")).to_have_text(
        ["National", "Académie Rabat-Salé-Kénitra", "Salé", "École Les Palmiers"]
    )
    expect(page.locator(".figure.submitted .figure-value")).to_have_text("1")
    expect(page.locator(".figure.total .figure-value")).to_have_text("1")
    expect(page.locator("figcaption")).to_contain_text("1 demande en 48 heures")
    check_page(page)
    shot(page, "journey-dashboard-school-fr")
    page.locator(".crumbs a", has_text="National").click()
    wait_ready(page, "ops-dashboard")

    # --- The family's receipt, looked up by its email and sent again.
    devserver.wait_for_message(family)
    open_tab(page, "Notifications", "ops-notifications")
    page.fill("input[name=recipient]", family.upper())  # the lookup ignores the case
    page.locator("form button[type=submit]").click()
    wait_ready(page, "ops-notifications")
    receipt = page.locator("li.notification[data-status=sent]", has_text="registration_receipt")
    expect(receipt).to_have_count(1)
    expect(receipt).to_contain_text("1 tentative d'envoi")
    expect(receipt.locator(".badge")).to_have_text("envoyée")
    listed = devserver.call("GET", f"/v1/notifications?recipient={family}", token=ops_token)[2]
    created = datetime.fromisoformat(listed["items"][0]["created_at"]).astimezone(MOROCCO)
    expect(receipt.locator("dd time").first).to_contain_text(f"{created:%H:%M}")  # Casablanca's
    receipt.get_by_role("button", name="Renvoyer").click()
    expect(page.locator("main .notice.good")).to_contain_text("renvoyée")
    expect(page.locator("li.notification")).to_have_count(2)
    expect(page.locator("li.notification").first).to_contain_text("Renvoi de la notification")
    check_page(page)
    shot(page, "journey-resent-fr")
    wait_until(lambda: len(messages_to(devserver, family)) == 2)

    # --- An account's security trail: someone mistyped the director's password.
    devserver.call("POST", "/v1/auth/login", {"username": DIRECTOR[0], "password": "wrong-1234"})
    open_tab(page, "Journal de sécurité", "ops-audit")
    page.fill("input[name=username]", DIRECTOR[0])
    page.locator("form button[type=submit]").click()
    wait_ready(page, "ops-audit")
    failed = page.locator("li.audit-entry[data-event=sign_in_failed]").first
    expect(failed).to_contain_text("Échec de connexion")
    expect(failed).to_contain_text("le titulaire du compte")
    check_page(page)
    page.fill("input[name=username]", "personne.inconnue")
    page.locator("form button[type=submit]").click()
    wait_ready(page, "ops-audit")
    expect(page.locator("[data-field=username] .error")).to_contain_text("Aucun compte")


def console_pages(devserver: Http) -> list[tuple[str, str, str]]:
    """(name, path, view) of every console page, with something on each to show."""
    token = devserver.token(*OPS)
    status, _, batch = devserver.call(
        "POST", "/v1/schools/CL4501/account-batches", {"class_id": "1AC-1"}, token
    )
    assert status == 202, batch
    wait_until(
        lambda: (
            devserver.call("GET", f"/v1/account-batches/{batch['id']}", token=token)[2]["status"]
            == "done"
        ),
        timeout=60,
    )
    devserver.call("POST", "/v1/auth/login", {"username": DIRECTOR[0], "password": "wrong-1234"})
    campaign = devserver.call("GET", "/v1/campaigns/current")[2]["school_year"]
    phone = DEMO_PHONE.replace("+", "%2B")
    return [
        ("dashboard", "/#/ops", "ops-dashboard", "dashboard"),
        ("dashboard-academy", "/#/ops/dashboard/academy%3A04", "ops-dashboard", "dashboard"),
        ("dashboard-province", "/#/ops/dashboard/province%3A04.441", "ops-dashboard", "dashboard"),
        ("dashboard-school", "/#/ops/dashboard/school%3AEP0007", "ops-dashboard", "dashboard"),
        ("campaigns", "/#/ops/campaigns", "ops-campaigns", "campaigns"),
        ("campaign-edit", f"/#/ops/campaigns/{campaign}", "ops-campaign", "campaigns"),
        ("schools", "/#/ops/schools/in/04.441", "ops-schools", "schools"),
        ("schools-new", "/#/ops/schools/new", "ops-schools-new", "schools"),
        ("schools-import", "/#/ops/schools/import", "ops-schools-import", "schools"),
        ("staff", "/#/ops/staff/EP0007", "ops-staff", "staff"),
        ("batches", "/#/ops/batches/for/CL4501", "ops-batches", "batches"),
        ("batch", f"/#/ops/batches/{batch['id']}", "ops-batch", "batches"),
        ("notifications", f"/#/ops/notifications/{phone}", "ops-notifications", "notifications"),
        ("audit", f"/#/ops/audit/{DIRECTOR[0]}", "ops-audit", "audit"),
    ]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_console_page_in_each_language(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    pages = console_pages(devserver)
    page = new_page(lang)
    sign_in(page, *OPS, "ops-dashboard")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == (
        ["ar", "rtl"] if lang == "ar" else ["fr", "ltr"]
    )
    for name, path, view, tab in pages:
        visit(page, path, view)
        if name == "batch":
            expect(page.locator(".batch[data-status=done]")).to_be_attached(timeout=30_000)
            check_page(page)
        expect(page.locator("ul.tabs a[aria-current=page]")).to_have_attribute(
            "href", f"#/ops/{tab}"
        )
        shot(page, f"{name}-{lang}")
    if lang == "ar":  # the words are Arabic, the digits Western, as on Massar's forms
        page.goto("/#/ops/dashboard/province%3A04.441")
        wait_ready(page, "ops-dashboard")
        expect(page.locator("h1")).to_have_text("لوحة التسجيل الأولي")
        expect(page.locator(".crumbs [aria-current=page]")).to_have_text("سلا")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_tab_bars_stay_one_row_on_a_phone(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    """Seven console tabs and ten desk tabs: one row each, scrolled sideways, the current
    tab in view; a keyboard reaches every tab."""
    ops = new_page(lang)
    sign_in(ops, *OPS, "ops-dashboard")
    director = new_page(lang)
    sign_in(director, *DIRECTOR, "desk-applications")
    for page, path, view in (
        (ops, "/#/ops/audit", "ops-audit"),
        (director, "/#/desk/codes", "desk-codes"),
    ):
        page.goto(path)
        wait_ready(page, view)
        page.wait_for_timeout(300)  # the current tab is scrolled into view after a frame
        bar = page.evaluate(
            """() => {
                const ul = document.querySelector('ul.tabs');
                const tops = [...ul.children].map((li) => li.getBoundingClientRect().top);
                const current = ul.querySelector('[aria-current=page]').getBoundingClientRect();
                return {rows: new Set(tops).size, scrolls: ul.scrollWidth > ul.clientWidth,
                        height: ul.getBoundingClientRect().height,
                        inView: current.left >= 0 && current.right <= innerWidth};
            }"""
        )
        assert bar["rows"] == 1 and bar["scrolls"] and bar["inView"], bar
        assert bar["height"] < 70, bar
        check_page(page)
        first = page.locator("ul.tabs a").first
        first.focus()
        page.keyboard.press("Enter")
        wait_ready(page, "ops-dashboard" if page is ops else "desk-applications")
        assert page.evaluate("document.activeElement.tagName") == "H1"


def test_the_console_keeps_casablancas_clock(new_page: Callable[..., Any]) -> None:
    """ops.js's offset of Africa/Casablanca (UTC+1, UTC+0 around Ramadan) is the tz
    database's, every six hours from 2024 to 2042, with the browser in New York."""
    page = new_page("fr", timezone_id="America/New_York")
    page.goto("/#/")
    wait_ready(page, "home")
    moments = []
    moment = datetime(2024, 1, 1, tzinfo=ZoneInfo("UTC"))
    while moment.year < 2043:
        moments.append(moment)
        moment += timedelta(hours=6)
    offsets = page.evaluate(
        """async (stamps) => {
            const { casablancaOffset } = await import('/js/views/ops.js');
            return stamps.map((ms) => casablancaOffset(ms) / 3600000);
        }""",
        [int(m.timestamp() * 1000) for m in moments],
    )
    wrong = [
        (m.isoformat(), got)
        for m, got in zip(moments, offsets, strict=True)
        if got != m.astimezone(MOROCCO).utcoffset().total_seconds() / 3600  # type: ignore[union-attr]
    ]
    assert not wrong, wrong[:5]
