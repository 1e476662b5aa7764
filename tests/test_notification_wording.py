"""Issue 15: counted nouns agree with their number in Arabic ("10 دقائق", not "10 دقيقة"),
and French SMS keep the accents GSM-7 has (é è à ù) instead of dropping them."""

from __future__ import annotations

import pytest

from chalicelib.notifications.plurals import MINUTES, category, count_text
from chalicelib.notifications.rules import Channel, Language, Notification
from chalicelib.notifications.sms import is_gsm7, sms_size
from chalicelib.notifications.templates import render


def build(name: str, language: Language, channel: Channel, **params: str) -> Notification:
    return Notification(
        id="n-1",
        template=name,
        channel=channel,
        recipient="+212612345678" if channel is Channel.SMS else "x@example.ma",
        language=language,
        params=params,
        secret_params={"recovery_password": "Kx7-Pq2-Rt9"} if name == "recovery_password" else {},
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "zero"),
        (1, "one"),
        (2, "two"),
        (3, "few"),
        (10, "few"),
        (11, "many"),
        (99, "many"),
        (100, "other"),
        (102, "other"),
        (103, "few"),
    ],
)
def test_arabic_plural_categories_are_cldrs(count: int, expected: str) -> None:
    assert category(count, Language.AR) == expected


def test_minutes_agree_with_their_number() -> None:
    assert count_text(10, MINUTES, Language.AR) == "10 دقائق"
    assert count_text(15, MINUTES, Language.AR) == "15 دقيقة"
    assert count_text(1, MINUTES, Language.FR) == "1 minute"
    assert count_text(10, MINUTES, Language.FR) == "10 minutes"


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL])
def test_the_recovery_message_says_10_daqaiq(channel: Channel) -> None:
    ar = render(build("recovery_password", Language.AR, channel, username="AB1", minutes="10"))
    assert "10 دقائق" in ar.text and "10 دقيقة" not in ar.text
    fr = render(
        build("recovery_password", Language.FR, Channel.EMAIL, username="AB1", minutes="10")
    )
    assert "10 minutes" in fr.text


def test_french_sms_keep_the_accents_gsm7_has() -> None:
    # Fixed dates: they are only formatted into the text, never compared with today.
    sms = render(
        build(
            "appointment_confirmed",
            Language.FR,
            Channel.SMS,
            child_name="Amina El Alaoui",
            purpose="meeting",
            scheduled_at="2024-11-20T10:30:00+01:00",
            school_name="Collège",
        )
    ).text
    assert "RDV confirmé" in sms and "à 10:30" in sms, sms
    assert is_gsm7(sms) and sms_size(sms).parts == 1
    absence = render(
        build(
            "absence_unjustified",
            Language.FR,
            Channel.SMS,
            child_name="Amina",
            date="2024-11-25",
            session="morning",
            subject="maths",
        )
    ).text
    assert "absence non justifiée" in absence and is_gsm7(absence)
    receipt = render(
        build(
            "registration_receipt",
            Language.FR,
            Channel.SMS,
            child_name="Yassine",
            tracking_code="ABCD-EFGH-JKLM",
            application_id="x",
            school_name="École",
        )
    ).text
    assert "Numéro de suivi" in receipt and "décision vous sera envoyée" in receipt
