"""The pure rules of parents' notification preferences (issue 17): what is stored, what a
PUT may ask, and how a message is routed through the choice."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.notifications.preferences.rules import (
    Preferences,
    from_table,
    merged,
    parse_stored,
    routed,
)
from chalicelib.notifications.rules import Channel, Contact, Language, Notification
from chalicelib.school_life.marks.rules import DropAlertRules, drop_reason, previous_semester

SMS_WITH_EMAIL = Notification(
    id="n1",
    template="behaviour_note",
    channel=Channel.SMS,
    recipient="+212612345678",
    language=Language.FR,
    fallback=Contact(Channel.EMAIL, "parent@example.ma"),
)


def test_stored_text_round_trips_and_ignores_locked_or_unknown_pairs() -> None:
    choice, problems = from_table({"behaviour": {"sms": False}, "homework": {"email": False}})
    assert not problems
    assert choice.stored() == "behaviour:sms,homework:email"
    assert parse_stored(choice.stored()) == choice
    assert parse_stored("absences:sms,gossip:sms,behaviour:fax,,marks_drop:email").off == {
        ("marks_drop", "email")
    }
    assert parse_stored(None) == Preferences()


def test_locked_kinds_are_refused_by_name_and_always_allowed() -> None:
    _, problems = from_table({"absences": {"sms": False}, "decisions": {"email": False}})
    assert problems == {
        "preferences.absences.sms": "cannot_switch_off",
        "preferences.decisions.email": "cannot_switch_off",
    }
    assert Preferences(frozenset({("absences", "sms")})).allows("absences", Channel.SMS)


def test_routing_keeps_moves_or_drops_a_message() -> None:
    assert routed(SMS_WITH_EMAIL, "behaviour", Preferences()) == SMS_WITH_EMAIL
    no_email = routed(SMS_WITH_EMAIL, "behaviour", parse_stored("behaviour:email"))
    assert no_email is not None and no_email.channel is Channel.SMS and no_email.fallback is None
    no_sms = routed(SMS_WITH_EMAIL, "behaviour", parse_stored("behaviour:sms"))
    assert no_sms is not None
    assert (no_sms.channel, no_sms.recipient, no_sms.fallback) == (
        Channel.EMAIL,
        "parent@example.ma",
        None,
    )
    assert (
        routed(SMS_WITH_EMAIL, "behaviour", parse_stored("behaviour:sms,behaviour:email")) is None
    )
    assert routed(SMS_WITH_EMAIL, "marks_drop", parse_stored("behaviour:sms")) == SMS_WITH_EMAIL
    both = merged([parse_stored("behaviour:sms"), parse_stored("behaviour:email")])
    assert routed(SMS_WITH_EMAIL, "behaviour", both) is None


def test_a_drop_is_below_the_floor_or_by_the_margin() -> None:
    rules = DropAlertRules(Decimal(10), Decimal(3))
    assert drop_reason(Decimal("9.99"), None, rules) == "below"
    assert drop_reason(Decimal(10), None, rules) is None
    assert drop_reason(Decimal(12), Decimal(15), rules) == "drop"
    assert drop_reason(Decimal("12.01"), Decimal(15), rules) is None
    assert drop_reason(None, Decimal(15), rules) is None
    assert previous_semester("2026-2027", 2) == ("2026-2027", 1)
    assert previous_semester("2026-2027", 1) == ("2025-2026", 2)
