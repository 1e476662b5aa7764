"""Every template renders in Arabic and French, by email and SMS; SMS fit their parts with
the longest realistic values; emails have a plain-text and an HTML part, RTL in Arabic."""

from __future__ import annotations

import email
from datetime import UTC, datetime, time

import pytest

from chalicelib.notifications.rules import Channel, Language, Notification, QuietHours
from chalicelib.notifications.samples import longest_params
from chalicelib.notifications.sms import MAX_PARTS, is_gsm7, sms_size, to_gsm7
from chalicelib.notifications.templates import TEMPLATES, is_urgent, render

# The contract other services build Notifications with (issue 5).
CONTRACT = {
    "staff_initial_code": ({"username", "first_name", "school_code"}, {"initial_code"}),
    "recovery_password": ({"username", "minutes"}, {"recovery_password"}),
    "contact_changed": ({"username", "changed"}, set()),
    "contact_confirmation": ({"username", "minutes"}, {"code"}),
    "password_changed": ({"username"}, set()),
    "registration_receipt": (
        {"child_name", "tracking_code", "application_id", "school_name"},
        set(),
    ),
    "registration_approved": ({"child_name", "massar_code", "school_name"}, set()),
    "registration_rejected": ({"child_name", "reason", "note", "school_name"}, set()),
    "appointment_confirmed": ({"child_name", "purpose", "scheduled_at", "school_name"}, set()),
    "absence_unjustified": ({"child_name", "date", "session", "subject"}, set()),
    "behaviour_note": ({"child_name", "behaviour", "date", "description", "action"}, set()),
    "marks_drop": (
        {"child_name", "subject", "semester", "school_year", "average", "previous"},
        set(),
    ),
    "absence_cancelled": ({"child_name", "date", "session"}, set()),
    "transfer_decided": ({"child_name", "decision", "school_name", "note"}, set()),
    "year_end_decision": ({"child_name", "decision", "school_year", "next_level"}, set()),
    "message_reply": ({"child_name", "school_name"}, set()),
    "appointment_declined": ({"child_name", "purpose", "school_name", "note"}, set()),
    "justification_decided": ({"child_name", "date", "session", "decision", "note"}, set()),
}
URGENT = {
    "staff_initial_code",
    "recovery_password",
    "contact_changed",
    "contact_confirmation",
    "password_changed",
}
CASES = [(name, language) for name in sorted(TEMPLATES) for language in Language]


def build(name: str, language: Language, channel: Channel, **changes: str) -> Notification:
    params, secrets = longest_params(name, language)
    params = {**params, **changes}
    recipient = "+212612345678" if channel is Channel.SMS else "parent@example.ma"
    return Notification("n-1", name, channel, recipient, language, params, secrets)


def test_the_contract_names_and_params() -> None:
    assert set(TEMPLATES) == set(CONTRACT)
    for name, (params, secrets) in CONTRACT.items():
        assert set(TEMPLATES[name].params) == params, name
        assert set(TEMPLATES[name].secret_params) == secrets, name


def test_urgent_templates_are_marked() -> None:
    assert {name for name, t in TEMPLATES.items() if t.urgent} == URGENT
    assert not is_urgent("absence_unjustified")
    assert is_urgent("a_template_nobody_defined")  # never held back on a guess


@pytest.mark.parametrize(("name", "language"), CASES)
def test_every_sms_fits_its_parts_with_the_longest_realistic_values(
    name: str, language: Language
) -> None:
    template = TEMPLATES[name]
    variants = [{}]
    if name == "contact_changed":
        variants = [{"changed": "email"}, {"changed": "phone"}]
    if name == "registration_rejected":
        variants = [{"reason": r} for r in ("under_age", "out_of_catchment", "other")]
    if name in ("appointment_confirmed", "appointment_declined"):
        variants = [{"purpose": p} for p in ("school_certificate", "meeting")]
    if name == "justification_decided":
        variants = [{"decision": d} for d in ("accepted", "refused")]
    for changes in variants:
        message = render(build(name, language, Channel.SMS, **changes))
        size = sms_size(message.text)
        assert template.sms_parts[language] <= MAX_PARTS
        assert size.parts <= template.sms_parts[language], (name, language, size, message.text)
        assert "{" not in message.text and "}" not in message.text
        assert "..." not in message.text and "…" not in message.text, "realistic values fit"
        if language is Language.FR:
            assert size.encoding == "GSM-7", message.text
    # Every value the SMS is about is in it (a cut SMS would lose the massar code, etc.).
    params, secrets = longest_params(name, language)
    text = render(build(name, language, Channel.SMS)).text
    for key in ("massar_code", "tracking_code", "initial_code", "recovery_password"):
        if key in params or key in secrets:
            assert {**params, **secrets}[key] in text


def test_sms_without_names_take_one_part_in_both_languages() -> None:
    for name in URGENT:
        for language in Language:
            assert TEMPLATES[name].sms_parts[language] == 1, name
    for name in TEMPLATES:
        assert TEMPLATES[name].sms_parts[Language.FR] == (
            2 if name == "registration_rejected" else 1
        ), "French fits one part unless the staff's note is added"


def test_a_long_note_is_cut_so_that_no_sms_passes_two_parts() -> None:
    for language in Language:
        note = (
            "Le dossier doit être complété à l'école. "
            if language is Language.FR
            else "ملاحظة طويلة جدا من المؤسسة "
        ) * 20
        message = render(build("registration_rejected", language, Channel.SMS, note=note))
        size = sms_size(message.text)
        assert size.parts == MAX_PARTS
        assert message.text.endswith(("...", "…"))
        assert TEMPLATES["registration_rejected"].texts[language].sms.split("{")[0] in (
            message.text if language is Language.AR else to_gsm7(message.text)
        )


@pytest.mark.parametrize(("name", "language"), CASES)
def test_every_email_has_text_and_html_parts_right_to_left_in_arabic(
    name: str, language: Language
) -> None:
    message = render(build(name, language, Channel.EMAIL))
    assert message.subject and "{" not in message.subject
    assert message.text and "{" not in message.text and "}" not in message.text
    assert message.html is not None and "{" not in message.html
    if language is Language.AR:
        assert 'dir="rtl"' in message.html and 'lang="ar"' in message.html
        assert "direction:rtl" in message.html
    else:
        assert 'dir="ltr"' in message.html and 'lang="fr"' in message.html
    params, secrets = longest_params(name, language)
    for key in ("child_name", "school_name", "massar_code", "tracking_code", "username"):
        if key in params:
            assert params[key] in message.text, key
    for value in secrets.values():
        assert value in message.text and value in message.html


def test_the_staff_letter_keeps_the_lines_tests_parse() -> None:
    message = render(build("staff_initial_code", Language.FR, Channel.EMAIL))
    assert f"Identifiant : {longest_params('staff_initial_code', Language.FR)[0]['username']}" in (
        message.text
    )
    assert "Code initial : Hq7RtK3mWp\n" in message.text


def test_coded_values_are_rendered_in_words() -> None:
    for reason, fr, ar in (
        ("under_age", "âge légal", "دون سن التمدرس"),
        ("out_of_catchment", "ne dessert pas", "لا تغطي"),
    ):
        assert (
            fr
            in render(
                build("registration_rejected", Language.FR, Channel.EMAIL, reason=reason)
            ).text
        )
        assert (
            ar
            in render(
                build("registration_rejected", Language.AR, Channel.EMAIL, reason=reason)
            ).text
        )
        assert (
            reason
            not in render(
                build("registration_rejected", Language.FR, Channel.SMS, reason=reason)
            ).text
        )
    appointment = render(
        build(
            "appointment_confirmed",
            Language.FR,
            Channel.EMAIL,
            purpose="school_certificate",
            scheduled_at="2027-03-17T09:30:00+00:00",
        )
    )
    # Shown on the schools' clock (Casablanca, UTC+1 that day), with the weekday. A fixed
    # date: rendering only formats it (nothing compares it with today), and its weekday and
    # offset are what is checked. The absence's date is the fixed one of samples.py.
    assert "mercredi 17/03/2027 à 10:30" in appointment.text
    assert "certificat de scolarité" in appointment.text
    absence = render(build("absence_unjustified", Language.AR, Channel.SMS, session="morning"))
    assert "23/11/2026" in absence.text and "الفترة الصباحية" in absence.text


def test_html_escapes_values() -> None:
    message = render(
        build("registration_approved", Language.FR, Channel.EMAIL, child_name="<b>x</b>")
    )
    assert "<b>x</b>" not in (message.html or "") and "&lt;b&gt;x&lt;/b&gt;" in (message.html or "")


def test_attachments_are_built_from_params_and_carried_in_the_mime(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chalicelib.notifications import attachments
    from chalicelib.notifications.attachments import Attachment
    from chalicelib.notifications.senders import NOTIFICATION_HEADER, build_mime

    def ics(n: Notification) -> list[Attachment]:
        return [
            Attachment("rdv.ics", "text/calendar", f"DTSTART:{n.params['scheduled_at']}".encode())
        ]

    monkeypatch.setitem(attachments._BUILDERS, "appointment_confirmed", ics)
    message = render(build("appointment_confirmed", Language.AR, Channel.EMAIL))
    assert [a.filename for a in message.attachments] == ["rdv.ics"]
    mime = email.message_from_bytes(build_mime(message, "no-reply@massar.example.ma"))
    assert mime[NOTIFICATION_HEADER] == "n-1"
    types = [part.get_content_type() for part in mime.walk()]
    assert {"text/plain", "text/html", "text/calendar"} <= set(types)
    calendar = next(p for p in mime.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_filename() == "rdv.ics"
    # samples.py's fixed example, copied as is (nothing here compares it with today).
    assert calendar.get_payload(decode=True) == b"DTSTART:2027-03-17T10:30:00+01:00"
    # SMS never carry attachments.
    assert render(build("appointment_confirmed", Language.AR, Channel.SMS)).attachments == ()


def test_sms_sizes() -> None:
    assert sms_size("a" * 160).parts == 1 and sms_size("a" * 161).parts == 2
    assert sms_size("a" * 306).parts == 2 and sms_size("a" * 307).parts == 3
    assert sms_size("€" * 80).units == 160  # extension characters count twice
    assert sms_size("ب" * 70).parts == 1 and sms_size("ب" * 71).parts == 2
    assert sms_size("ب" * 134).parts == 2 and sms_size("ب" * 135).parts == 3
    assert sms_size("ça" * 10).encoding == "UCS-2"  # one ç and the whole SMS is UCS-2
    assert to_gsm7("Ça a été reçu, à bientôt « merci » – où ?") == (
        'Ça a été reçu, à bientot " merci " - où ?'.replace("reçu", "recu")
    )
    assert is_gsm7(to_gsm7("Précision : l'élève être âgé, où ça ? œuvre’s"))


# Fixed instants: ends_at is given the moment (it never reads the clock), and the UTC
# values are chosen for a date outside Ramadan, when Casablanca is UTC+1.
@pytest.mark.parametrize(
    ("utc", "ends"),
    [
        ("2026-11-23T19:59:00", None),  # 20:59 in Casablanca (UTC+1)
        ("2026-11-23T20:00:00", "2026-11-24T06:00:00"),
        ("2026-11-23T23:30:00", "2026-11-24T06:00:00"),
        ("2026-11-24T05:59:59", "2026-11-24T06:00:00"),
        ("2026-11-24T06:00:00", None),
        ("2026-11-24T12:00:00", None),
    ],
)
def test_quiet_hours_on_the_casablanca_clock(utc: str, ends: str | None) -> None:
    moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    found = QuietHours().ends_at(moment)
    expected = datetime.fromisoformat(ends).replace(tzinfo=UTC) if ends else None
    assert found == expected


def test_quiet_hours_are_configurable() -> None:
    hours = QuietHours.parse("22:30-06:15", "Africa/Casablanca")
    assert hours.start == time(22, 30) and hours.end == time(6, 15)
    assert QuietHours.parse("off", "Africa/Casablanca").ends_at(datetime.now(UTC)) is None
    daytime = QuietHours.parse("12:00-14:00", "UTC")  # fixed instants: given, not compared
    assert daytime.ends_at(datetime(2026, 1, 1, 13, tzinfo=UTC)) == datetime(
        2026, 1, 1, 14, tzinfo=UTC
    )
    assert daytime.ends_at(datetime(2026, 1, 1, 15, tzinfo=UTC)) is None
