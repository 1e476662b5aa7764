"""Issue 15: the client as a parent and a director meet it, at 390×844, in Arabic and in
French. Every page visited passes the cross-page checks (tests/web/checks.py): no
`[object …]`, `undefined`, `NaN` or bare `null`, nothing wider than the phone, no script
error. Screenshots of the pages land in $WEB_SHOTS (default /tmp/massar-web-shots).

This module writes appointments and decisions on the demo pupil: it runs its own devserver."""

from __future__ import annotations

import copy
import json
import os
import random
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from chalicelib.notifications.ics import build_ics
from chalicelib.registration.hijri import gregorian_to_hijri
from devserver.demo import PRIMARY as DEMO_PRIMARY
from devserver.harness import Http, running_devserver
from tests.registration_fixtures import APPLICATION
from tests.web.checks import check_page
from tests.web.conftest import sign_in, wait_ready

SHOTS = Path(os.environ.get("WEB_SHOTS", "/tmp/massar-web-shots"))
PRIMARY_STAFF = ("dir.ep0007", "Directrice-demo-2026!")
COLLEGE_STAFF = ("dir.cl4501", "Directeur-demo-2026!")
PARENT, PARENT_PASSWORD = "AB123456", "Parent-demo-2026!"
PUPIL = "J130012345"
PARENT_EMAIL = "hassan.alaoui@example.ma"
MOROCCO = ZoneInfo("Africa/Casablanca")
COMMUNE = DEMO_PRIMARY.catchment[0]  # served by EP0007 in the demo data


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


@pytest.fixture(params=["ar", "fr"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def visit(page: Any, path: str, view: str) -> None:
    page.goto(path)
    wait_ready(page, view)
    check_page(page)


def apply(devserver: Http, phone: str | None = None, email: str | None = None) -> dict[str, Any]:
    """An application to EP0007 for a child of legal age; the father is the contact."""
    campaign = devserver.call("GET", "/v1/campaigns/current")[2]
    birth = date.fromisoformat(campaign["birth_date_from"]) + timedelta(days=100)
    body = copy.deepcopy(APPLICATION)
    body["school_code"] = "EP0007"
    first = "Zy" + "".join(random.choices("abcdefghijkmnoprstuv", k=6))
    body["child"].update(
        first_name_lat=first,
        birth_date=birth.isoformat(),
        birth_date_hijri=gregorian_to_hijri(birth),
        birth_certificate_number=f"{random.randint(1000, 999999)}/{birth.year}",
        birth_certificate_date=(birth + timedelta(days=5)).isoformat(),
    )
    body["father"].pop("email", None)
    body["father"].pop("phone", None)
    if phone:
        body["father"]["phone"] = phone
    if email:
        body["father"]["email"] = email
    if not phone and not email:
        body["father"]["phone"] = "0661" + "".join(random.choices("0123456789", k=6))
    body["guardian_role"] = "father"
    body["residence"] = {"commune": COMMUNE, "address": "12 زنقة الورد"}
    status, _, answer = devserver.call("POST", "/v1/registrations", body)
    assert status == 201, answer
    return {**answer, "first_name_lat": first}


# --- 1. The tracking page: the messages sent, no `null` ---------------------------------------


def test_track_page_shows_its_messages_and_no_null(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    submitted = apply(devserver)
    # From another device: the code typed in.
    page = new_page(lang)
    visit(page, "/#/track", "track")
    page.fill("[name=tracking_code]", submitted["tracking_code"])
    page.locator("form button[type=submit]").click()
    wait_ready(page, "track-status")
    check_page(page)
    messages = page.locator("main ul.messages li")
    expect(messages.first).to_be_visible()
    shot(page, f"track-status-{lang}")

    # Right after submitting, on this device (the list of this device's applications).
    here = new_page(lang)
    here.goto("/#/")
    here.evaluate(
        "a => localStorage.setItem('massar.applications', JSON.stringify([a]))",
        {"id": submitted["id"], "tracking_code": submitted["tracking_code"], "child": "x"},
    )
    visit(here, f"/#/track/{submitted['id']}", "track-status")
    expect(here.locator("main ul.messages li").first).to_be_visible()

    # After the director's decision.
    staff = devserver.token(*PRIMARY_STAFF)
    status, _, body = devserver.call(
        "POST", f"/v1/registrations/{submitted['id']}/approve", token=staff
    )
    assert status == 200, body
    page.reload()
    wait_ready(page, "track-status")
    check_page(page)
    expect(page.locator("[data-status=approved]")).to_be_visible()


# --- 2. The SMS alone, or the email alone, is enough to follow the application ---------------

CODE = re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}")


@pytest.mark.parametrize("channel", ["sms", "email"])
def test_a_parent_with_only_the_sms_or_the_email_follows_the_application(
    devserver: Http, new_page: Callable[..., Any], lang: str, channel: str
) -> None:
    number = "0662" + "".join(random.choices("0123456789", k=6))
    address = f"parent.{random.randint(0, 10**9)}@example.ma"
    if channel == "sms":
        submitted = apply(devserver, phone=number)
        received = devserver.wait_for_message("+212" + number[1:], contains="")
    else:
        submitted = apply(devserver, email=address)
        received = devserver.wait_for_message(address, contains="")
    found = CODE.search(received["body"])
    assert found, received["body"]
    code = found.group(0)
    assert code == submitted["tracking_code"]

    page = new_page(lang)
    visit(page, "/#/track", "track")
    intro = page.locator("main form p").first
    expect(intro).to_contain_text("الرسالة القصيرة" if lang == "ar" else "SMS")
    # A code mistyped: said plainly under the field, once.
    page.fill("[name=tracking_code]", "2222-3333-4444")
    page.locator("form button[type=submit]").click()
    error = page.locator("[data-field=tracking_code] .error")
    expect(error).to_be_visible()
    assert "Ressource" not in page.inner_text("main") and "المورد" not in page.inner_text("main")
    check_page(page)
    shot(page, f"track-wrong-code-{lang}")
    # As received, in lower case with spaces: enough on its own.
    page.fill("[name=tracking_code]", code.lower().replace("-", " "))
    page.locator("form button[type=submit]").click()
    wait_ready(page, "track-status")
    check_page(page)
    expect(page.locator("main dl.facts")).to_contain_text(submitted["id"])
    expect(page.locator("[data-status=submitted]")).to_be_visible()


# --- 3. The form sent with no commune: the field messages show ------------------------------


def test_register_without_a_commune_shows_the_field_messages(
    new_page: Callable[..., Any], lang: str
) -> None:
    page = new_page(lang)
    visit(page, "/#/register", "register")
    page.locator("form.registration button[type=submit]").click()
    summary = page.locator("form.registration .form-error")
    expect(summary).to_be_visible()
    commune = page.locator("[data-field='residence.commune'] .error")
    expect(commune).to_be_visible()
    expect(page.locator("[name='residence.commune']")).to_have_attribute("aria-invalid", "true")
    check_page(page)
    shot(page, f"register-errors-{lang}")
    assert (
        json.loads(page.evaluate("localStorage.getItem('massar.registration_draft')"))["status"]
        == "editing"
    )


# --- 4. Appointment times on the Africa/Casablanca clock, whatever the device's zone ---------


def next_day(offset_hours: int, after: date) -> date:
    """The first day after `after` whose 10:30 on the Casablanca clock is UTC+offset."""
    day = after
    while True:
        day += timedelta(days=1)
        moment = datetime.combine(day, time(10, 30), MOROCCO)
        if moment.utcoffset() == timedelta(hours=offset_hours):
            return day


def test_appointment_times_agree_in_ramadan_and_outside_it(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    today = datetime.now(MOROCCO).date()
    days = {"ramadan": next_day(0, today + timedelta(days=1)), "plain": next_day(1, today)}
    parent = devserver.token(PARENT, PARENT_PASSWORD)
    notes = {}
    for kind in days:
        notes[kind] = f"RDV {kind} {lang} {random.randint(0, 10**9)}"
        status, _, body = devserver.call(
            "POST",
            f"/v1/students/{PUPIL}/appointments",
            {"purpose": "meeting", "note": notes[kind]},
            token=parent,
        )
        assert status == 201, body

    desk = new_page(lang, timezone_id="America/New_York")
    sign_in(desk, *COLLEGE_STAFF, "desk-applications")
    check_page(desk)
    visit(desk, "/#/desk/appointments", "desk-appointments")
    for kind, day in days.items():
        request = desk.locator("li.appointment", has_text=notes[kind])
        request.locator("input[type=datetime-local]").fill(f"{day.isoformat()}T10:30")
        request.locator("form.approve button[type=submit]").click()
        expect(request.locator(".notice.good")).to_contain_text("10:30")
        check_page(desk)
        email = devserver.wait_for_message(PARENT_EMAIL, contains=notes_free(day))
        assert "10:30" in email["body"], email["body"]

    staff = devserver.token(*COLLEGE_STAFF)
    approved = devserver.call("GET", "/v1/schools/CL4501/appointments?status=approved", token=staff)
    for kind, day in days.items():
        [item] = [a for a in approved[2]["items"] if a.get("note") == notes[kind]]
        assert item["scheduled_local"] == f"{day.isoformat()}T10:30", item
        start = datetime.combine(day, time(10, 30), MOROCCO).astimezone(UTC)
        ics = build_ics({"scheduled_at": item["scheduled_at"], "purpose": "meeting"}).decode()
        assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in ics, (kind, ics)

    desk.reload()
    wait_ready(desk, "desk-appointments")
    desk.locator("select[name=status]").select_option("approved")
    desk.locator("form.filter button[type=submit]").click()
    for kind in days:
        scheduled = desk.locator("li.appointment", has_text=notes[kind]).locator("dd.scheduled")
        expect(scheduled).to_contain_text("10:30")
    check_page(desk)
    shot(desk, f"desk-appointments-{lang}")

    space = new_page(lang, timezone_id="America/New_York")
    sign_in(space, PARENT, PARENT_PASSWORD, "space")
    check_page(space)
    visit(space, f"/#/space/{PUPIL}/appointments", "space-appointments")
    for kind in days:
        item = space.locator("li.appointment", has_text=notes[kind])
        expect(item.locator("time").nth(1)).to_contain_text("10:30")
    shot(space, f"space-appointments-{lang}")


def notes_free(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- 5, 8. The desk on a phone: the list as cards, the detail within the screen, decisions
# asked twice -----------------------------------------------------------------------------


def test_desk_applications_fit_the_phone_and_decisions_are_confirmed(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    submitted = apply(devserver)
    page = new_page(lang)
    sign_in(page, *PRIMARY_STAFF, "desk-applications")
    check_page(page)
    page.fill("input[name=q]", submitted["first_name_lat"])
    page.locator("form[role=search] button[type=submit]").click()
    row = page.locator("main tbody tr")
    expect(row).to_have_count(1)
    status = row.locator("[data-status], .badge").last
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # no sideways scroll
    check_page(page)
    shot(page, f"desk-applications-{lang}")

    row.get_by_role("link").click()
    wait_ready(page, "desk-application")
    check_page(page)
    shot(page, f"desk-application-{lang}")
    approve = page.locator("form.approve")
    approve.locator("button[type=submit]").click()
    confirm = approve.locator("button.confirm")
    expect(confirm).to_be_visible()  # one tap decides nothing
    expect(approve.locator("button[type=submit]")).to_be_hidden()
    check_page(page)
    shot(page, f"desk-approve-confirm-{lang}")
    approve.get_by_role("button", name="إلغاء" if lang == "ar" else "Annuler").click()
    expect(confirm).to_have_count(0)
    staff = devserver.token(*PRIMARY_STAFF)
    still = devserver.call("GET", f"/v1/registrations/{submitted['id']}", token=staff)[2]
    assert still["status"] == "submitted"

    reject = page.locator("form.reject")
    reject.locator("input[name=reason][value=other]").check()
    reject.locator("textarea[name=note]").fill("Dossier incomplet")
    reject.locator("button[type=submit]").click()
    reject.locator("button.confirm").click()
    expect(page.locator("main .notice.good")).to_be_visible()
    check_page(page)
    decided = devserver.call("GET", f"/v1/registrations/{submitted['id']}", token=staff)[2]
    assert decided["status"] == "rejected"


# --- 7. No broken-image icon before a photo is chosen ---------------------------------------


def test_no_photo_slot_before_a_photo_is_chosen(new_page: Callable[..., Any], lang: str) -> None:
    page = new_page(lang)
    visit(page, "/#/register", "register")
    preview = page.locator("img.photo-preview")
    expect(preview).to_have_count(1)
    expect(preview).to_be_hidden()
    assert preview.bounding_box() is None


# --- 9. Activation: what is needed is labelled so, and every problem is said at once --------


def test_activation_says_every_problem_on_the_first_try(
    new_page: Callable[..., Any], lang: str
) -> None:
    page = new_page(lang)
    visit(page, "/#/activate", "activate")
    optional = "اختياري" if lang == "ar" else "facultatif"
    for name in ("email", "phone"):
        label = page.locator(f"[data-field={name}] label")
        expect(label).not_to_contain_text(optional)
    page.fill("[name=username]", "CD654321")  # a parent's letter (demo data)
    page.fill("[name=initial_code]", "Code2026mere")
    page.fill("[name=new_password]", "court")
    page.fill("[name=confirm_password]", "court")
    page.locator("form button[type=submit]").click()
    expect(page.locator("[data-field=new_password] .error")).to_be_visible()
    expect(page.locator("[data-field=email] .error")).to_be_visible()
    expect(page.locator("[data-field=phone] .error")).to_be_visible()
    check_page(page)
    shot(page, f"activate-errors-{lang}")


# --- 10. An absence counted as 0 in an average says so ---------------------------------------


def test_an_average_with_an_absence_says_it_counts_zero(
    new_page: Callable[..., Any], lang: str
) -> None:
    page = new_page(lang)
    sign_in(page, PARENT, PARENT_PASSWORD, "space")
    check_page(page)
    visit(page, f"/#/space/{PUPIL}/marks/1", "space-marks")
    maths = page.locator("section.subject", has=page.locator(".mark.absent"))
    expect(maths).to_have_count(1)
    note = maths.locator(".subject-facts .absent-note")
    expect(note).to_contain_text("يُحتسب 0/20" if lang == "ar" else "compte 0/20")
    check_page(page)
    shot(page, f"space-marks-{lang}")


# --- Low: the help line, the title's focus, the sibling's remove button ----------------------


def tel_link(page: Any) -> Any:
    link = page.locator("main a[href='tel:0800001122']")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box and box["height"] >= 44, box  # a finger's size
    return link


def test_the_toll_free_number_is_on_home_form_and_error_pages(
    new_page: Callable[..., Any], lang: str
) -> None:
    page = new_page(lang)
    visit(page, "/#/", "home")
    tel_link(page)
    # The title takes the focus for screen readers, without a box drawn around it.
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"
    shot(page, f"home-{lang}")
    visit(page, "/#/register", "register")
    tel_link(page)
    page.get_by_role("button", name="إضافة أخ أو أخت" if lang == "ar" else "Ajouter").click()
    remove = page.locator("fieldset.sibling button.danger")
    box = remove.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 64, box
    page.goto("/#/nowhere")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    check_page(page)
    tel_link(page)
    broken = new_page(lang)
    broken.route("**/js/views/track.js", lambda route: route.abort())
    broken.goto("/#/track")
    broken.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    tel_link(broken)
    check_page(broken)
    shot(broken, f"error-page-{lang}")


# --- Low: Arabic counted nouns agree with their number ---------------------------------------


@pytest.mark.parametrize(
    ("count", "ar", "fr"),
    [
        (0, "لا رسالة جديدة", "0 nouvelle lettre"),
        (2, "رسالتان جديدتان", "2 nouvelles lettres"),
        (10, "10 رسائل جديدة", "10 nouvelles lettres"),
        (11, "11 رسالة جديدة", "11 nouvelles lettres"),
    ],
)
def test_counts_agree_with_their_number(
    devserver: Http, new_page: Callable[..., Any], lang: str, count: int, ar: str, fr: str
) -> None:
    page = new_page(lang)
    sign_in(page, *COLLEGE_STAFF, "desk-applications")
    batch = {"id": "b-1", "status": "done", "issued": count, "skipped": 2, "classes": []}

    page.route(  # the batch as the API answers it, with the count under test
        "**/v1/schools/CL4501/account-batches",
        lambda route: route.fulfill(
            status=202, body=json.dumps(batch), content_type="application/json"
        ),
    )
    visit(page, "/#/desk/letters", "desk-letters")
    page.locator("main form button[type=submit]").click()
    done = page.locator("main .progress .notice.good")
    expect(done).to_contain_text(ar if lang == "ar" else fr)
    expect(done).to_contain_text("حسابان لم يتغيرا" if lang == "ar" else "2 comptes inchangés")
    check_page(page)


# --- Low: text typed by people keeps its own direction ----------------------------------------


def test_typed_text_keeps_its_direction(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    parent = devserver.token(PARENT, PARENT_PASSWORD)
    french = f"Bonjour, la réunion {random.randint(0, 10**9)} est-elle maintenue ?"
    arabic = f"السلام عليكم، هل الاجتماع {random.randint(0, 10**9)} قائم؟"
    for body in (french, arabic):
        status, _, answer = devserver.call(
            "POST", f"/v1/students/{PUPIL}/messages", {"body": body}, token=parent
        )
        assert status == 201, answer
    page = new_page(lang)
    sign_in(page, *COLLEGE_STAFF, "desk-applications")
    visit(page, f"/#/desk/inbox/{PUPIL}", "desk-thread")
    for body, direction in ((french, "ltr"), (arabic, "rtl")):
        shown = page.locator("ul.thread p.body", has_text=body)
        expect(shown).to_have_attribute("dir", "auto")
        assert shown.evaluate("el => getComputedStyle(el).direction") == direction
    assert page.locator("textarea").first.get_attribute("dir") == "auto"
    check_page(page)
    space = new_page(lang)
    sign_in(space, PARENT, PARENT_PASSWORD, "space")
    visit(space, f"/#/space/{PUPIL}/messages", "space-messages")
    for body, direction in ((french, "ltr"), (arabic, "rtl")):
        shown = space.locator("p.body", has_text=body)
        assert shown.evaluate("el => getComputedStyle(el).direction") == direction


# --- Low: a lock-out says how long it lasts ---------------------------------------------------


def test_a_lock_out_says_how_long_to_wait(new_page: Callable[..., Any], lang: str) -> None:
    page = new_page(lang)
    visit(page, "/#/signin", "signin")
    page.fill("[name=username]", f"nobody{random.randint(0, 10**9)}")
    summary = page.locator("form .form-error")
    for _ in range(6):
        page.fill("[name=password]", "wrong-password")
        page.locator("form button[type=submit]").click()
        expect(summary).to_be_visible()
        if page.locator("form .form-error", has_text=re.compile(r"\d+ (ثانية|secondes)")).count():
            break
    wait = r"بعد (2\d|30) ثانية" if lang == "ar" else r"Réessayez dans (2\d|30) secondes"
    expect(summary).to_contain_text(re.compile(wait))
    check_page(page)
    shot(page, f"signin-locked-{lang}")


# --- Every page of every role passes the cross-page checks -----------------------------------


def settle(page: Any, path: str) -> None:
    page.goto(path)
    page.wait_for_function(
        "() => document.documentElement.dataset.ready === '1'"
        " && !document.querySelector('main .loading')"
    )
    check_page(page)


def test_every_page_of_every_role_passes_the_checks(
    new_page: Callable[..., Any], lang: str
) -> None:
    from devserver.__main__ import DEFAULT_OPS_PASSWORD, DEFAULT_OPS_USERNAME

    public = new_page(lang)
    for path in ("/#/", "/#/register", "/#/track", "/#/signin", "/#/activate", "/#/recover"):
        settle(public, path)

    parent = new_page(lang)
    sign_in(parent, PARENT, PARENT_PASSWORD, "space")
    check_page(parent)
    tabs = ["marks", "results", "absences", "timetable", "exams", "messages", "appointments"]
    for path in [f"/#/space/{PUPIL}/{tab}" for tab in [*tabs, "guardians"]] + ["/#/profile"]:
        settle(parent, path)
    settle(parent, "/#/password")

    for username, password in (PRIMARY_STAFF, COLLEGE_STAFF):
        staff = new_page(lang)
        sign_in(staff, username, password, "desk-applications")
        check_page(staff)
        hrefs = staff.eval_on_selector_all("ul.tabs a", "links => links.map((a) => a.hash)")
        assert len(hrefs) >= 5, hrefs
        for href in [*hrefs, "#/profile"]:
            settle(staff, "/" + href)
        shot(staff, f"desk-last-tab-{username}-{lang}")

    ops = new_page(lang)  # an operator lands on the console (it used to be the profile)
    sign_in(ops, DEFAULT_OPS_USERNAME, DEFAULT_OPS_PASSWORD, "ops-dashboard")
    check_page(ops)
    settle(ops, "/#/profile")


def test_every_time_shown_is_on_the_casablanca_clock(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    """Not only appointments: a submission's time too, with the browser in New York."""
    submitted = apply(devserver)
    staff = devserver.token(*PRIMARY_STAFF)
    answer = devserver.call("GET", f"/v1/registrations/{submitted['id']}", token=staff)[2]
    moment = datetime.fromisoformat(answer["submitted_at"])
    assert moment.utcoffset() == moment.astimezone(MOROCCO).utcoffset()  # Casablanca's offset
    expected = f"{moment.astimezone(MOROCCO):%H:%M}"
    page = new_page(lang, timezone_id="America/New_York")
    visit(page, "/#/track", "track")
    page.fill("[name=tracking_code]", submitted["tracking_code"])
    page.locator("form button[type=submit]").click()
    wait_ready(page, "track-status")
    expect(page.locator("main dl.facts")).to_contain_text(expected)
    check_page(page)


def test_a_stale_tracking_link_says_so_not_no_network(
    new_page: Callable[..., Any], lang: str
) -> None:
    page = new_page(lang)
    page.goto("/#/")
    page.evaluate("sessionStorage.setItem('massar.track.0123456789abcdef0123', 'AAAA-BBBB-CCCC')")
    page.goto("/#/track/0123456789abcdef0123")
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'")
    bad = page.locator("main .notice.bad")
    expect(bad).to_be_visible()
    expect(bad).to_have_text(
        "لا يوجد طلب بهذا الرقم." if lang == "ar" else "Aucune demande ne correspond à ce numéro."
    )
    expect(page.locator("[name=tracking_code]")).to_be_visible()  # and the way on
    check_page(page)
