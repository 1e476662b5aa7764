"""Delivery status: SES configuration-set events and SNS SMS delivery logs update each
notification; a bounce or an undelivered SMS falls back to the other channel once;
operators look notifications up by recipient and resend one; /dev/outbox shows what was
handed to SES/SNS."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.notifications.rules import (
    Channel,
    Contact,
    DeliveryStatus,
    Language,
    NotificationStatus,
)
from tests.conftest import Api
from tests.notifications_support import notification, queue, record, sent


@pytest.fixture
def feedback_pump(app: Any) -> Any:
    from devserver.pump import EventPump

    return EventPump(app, feedback=True)


def ses_event(kind: str, message_id: str, **body: Any) -> dict[str, Any]:
    event = {"eventType": kind, "mail": {"messageId": message_id, "tags": {}}, **body}
    return {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(event)}}]}


def feed(app: Any, event: dict[str, Any]) -> dict[str, int]:
    from devserver.pump import LambdaContext

    result: dict[str, int] = app.handler_map["notification_feedback"](
        event, LambdaContext("notification_feedback")
    )
    return result


def test_an_email_delivery_is_recorded(app: Any, feedback_pump: Any) -> None:
    n = notification()
    queue(n)
    feedback_pump.drain()
    done = record(n.id)
    assert done.status is NotificationStatus.SENT
    assert done.delivery_status is DeliveryStatus.DELIVERED
    assert done.delivery_at is not None


def test_a_hard_bounce_falls_back_to_sms_once(app: Any, feedback_pump: Any) -> None:
    from chalicelib.notifications.lookup import notification_status

    n = notification(
        "registration_rejected",
        recipient="nobody@bounce.example.ma",
        fallback=Contact(Channel.SMS, "+212612345678"),
    )
    queue(n)
    feedback_pump.drain()
    bounced = record(n.id)
    assert bounced.status is NotificationStatus.SENT
    assert bounced.delivery_status is DeliveryStatus.BOUNCED
    assert "550" in (bounced.delivery_detail or "")
    assert bounced.fallback_id == n.id + "-fb"
    [sms] = sent("sms")
    assert sms["to"] == "+212612345678" and "refusée" in sms["body"]
    # What staff and the parent see: the latest word, on the channel that worked.
    fr = notification_status(n.id, Language.FR)
    assert fr is not None and fr.summary == "Demande refusée : envoyé par SMS, distribué"
    ar = notification_status(n.id, Language.AR)
    assert ar is not None and ar.summary == "رفض الطلب: أُرسل عبر رسالة قصيرة، وصل"
    # The same bounce reported again does not fall back twice.
    feed(
        app,
        ses_event(
            "Bounce",
            bounced.provider_message_id,
            bounce={"bounceType": "Permanent", "bouncedRecipients": [{}]},
        ),
    )
    feedback_pump.drain()
    assert len(sent("sms")) == 1


def test_a_complaint_is_recorded_without_fallback(app: Any, feedback_pump: Any) -> None:
    n = notification(
        recipient="angry@complaint.example.ma", fallback=Contact(Channel.SMS, "+212612345678")
    )
    queue(n)
    feedback_pump.drain()
    assert record(n.id).delivery_status is DeliveryStatus.COMPLAINED
    assert sent("sms") == []


def test_an_undelivered_sms_falls_back_to_email(app: Any, feedback_pump: Any) -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    from chalicelib.core.config import settings

    sns_backends[DEFAULT_ACCOUNT_ID][settings().region].opt_out_numbers.append("+212699999999")
    n = notification(
        "absence_unjustified",
        Channel.SMS,
        "+212699999999",
        language=Language.AR,
        fallback=Contact(Channel.EMAIL, "parent@example.ma"),
    )
    queue(n)
    feedback_pump.drain()
    undelivered = record(n.id)
    assert undelivered.delivery_status is DeliveryStatus.UNDELIVERED
    assert undelivered.delivery_detail == "Phone number is opted out"
    [mail] = sent("email")
    assert mail["subject"].startswith("مسار: غياب غير مبرر")
    assert record(undelivered.fallback_id).delivery_status is DeliveryStatus.DELIVERED


def test_codes_never_fall_back_after_a_bounce(app: Any, feedback_pump: Any) -> None:
    n = notification(
        "recovery_password",
        recipient="nobody@bounce.example.ma",
        fallback=Contact(Channel.SMS, "+212612345678"),
    )
    queue(n)
    feedback_pump.drain()
    assert record(n.id).delivery_status is DeliveryStatus.BOUNCED
    assert record(n.id).fallback_id is None
    assert sent("sms") == []  # the secret was erased once sent: the user asks again


def test_feedback_for_unknown_messages_and_noise_is_ignored(app: Any) -> None:
    assert feed(app, ses_event("Delivery", "not-ours", delivery={}))["unknown"] == 1
    assert feed(app, ses_event("Open", "not-ours")) == {"recorded": 0, "unknown": 0, "fallback": 0}
    soft = ses_event("Bounce", "x", bounce={"bounceType": "Transient"})
    assert feed(app, soft)["recorded"] == 0
    garbage = {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "not json"}}]}
    assert feed(app, garbage)["recorded"] == 0


def test_real_shaped_events_parse() -> None:
    # Fixed timestamps: parsing copies them into the feedback, nothing compares them with now.
    from chalicelib.notifications.feedback import parse_ses_event, parse_sms_log

    ses = parse_ses_event(
        {
            "eventType": "Bounce",
            "bounce": {
                "bounceType": "Permanent",
                "bounceSubType": "General",
                "bouncedRecipients": [
                    {"emailAddress": "x@example.ma", "diagnosticCode": "smtp; 550 5.1.1"}
                ],
                "timestamp": "2024-11-25T10:00:00.000Z",
            },
            "mail": {
                "messageId": "0102-abc",
                "tags": {"notification_id": ["n-1"], "ses:configuration-set": ["c"]},
            },
        }
    )
    assert ses is not None
    assert (ses.provider_message_id, ses.notification_id, ses.status, ses.detail) == (
        "0102-abc",
        "n-1",
        DeliveryStatus.BOUNCED,
        "smtp; 550 5.1.1",
    )
    assert ses.at.isoformat() == "2024-11-25T10:00:00+00:00"
    sms = parse_sms_log(
        {
            "notification": {"messageId": "m-1", "timestamp": "2024-11-25 21:04:05.123"},
            "delivery": {"providerResponse": "Unknown error attempting to reach phone"},
            "status": "FAILURE",
        }
    )
    assert sms is not None and sms.status is DeliveryStatus.UNDELIVERED
    assert sms.detail == "Unknown error attempting to reach phone"


def test_dev_outbox_shows_what_was_handed_to_ses_and_sns(app: Any, pump: Any) -> None:
    queue(
        notification("registration_receipt", language=Language.AR),
        notification("absence_unjustified", Channel.SMS, "+212612345678", language=Language.AR),
    )
    pump.drain()
    [mail] = sent("email")
    assert mail["subject"] == "مسار: توصلنا بطلب التسجيل"
    assert mail["html"].startswith('<!doctype html><html lang="ar" dir="rtl">')
    assert mail["notification_id"] and mail["attachments"] == []
    [sms] = sent("sms")
    assert sms["encoding"] == "UCS-2" and sms["parts"] == 2


# -- operators ---------------------------------------------------------------------------
def test_operators_look_up_a_recipient_and_resend(
    api: Api, ops_token: str, feedback_pump: Any
) -> None:
    first = notification("registration_receipt", recipient="Parent@Example.ma")
    second = notification("registration_approved", recipient="parent@example.ma")
    sms = notification("registration_approved", Channel.SMS, "+212612345678")
    queue(first, second, sms)
    feedback_pump.drain()

    page = api.get("/v1/notifications?recipient=PARENT@example.ma&limit=1", token=ops_token)
    assert page.status_code == 200, page.body
    [newest] = page.json_body["items"]
    assert newest["id"] == second.id
    assert newest["status"] == "sent" and newest["delivery_status"] == "delivered"
    assert newest["summary"] == "Inscription acceptée : envoyé par e-mail, distribué"
    cursor = page.json_body["next_cursor"]
    rest = api.get(
        f"/v1/notifications?recipient=parent@example.ma&cursor={cursor}", token=ops_token
    )
    assert [i["id"] for i in rest.json_body["items"]] == [first.id]
    by_phone = api.get("/v1/notifications?recipient=06 12 34 56 78", token=ops_token)
    assert [i["id"] for i in by_phone.json_body["items"]] == [sms.id]

    one = api.get(f"/v1/notifications/{sms.id}", token=ops_token, headers={"Accept-Language": "ar"})
    assert one.status_code == 200 and one.json_body["summary"].startswith("قبول التسجيل")

    headers = {"Idempotency-Key": "resend-1"}
    again = api.post(f"/v1/notifications/{second.id}/resend", token=ops_token, headers=headers)
    assert again.status_code == 202, again.body
    assert again.json_body["resend_of"] == second.id and again.json_body["status"] == "pending"
    twice = api.post(f"/v1/notifications/{second.id}/resend", token=ops_token, headers=headers)
    assert twice.json_body["id"] == again.json_body["id"]
    feedback_pump.drain()
    assert len([m for m in sent("email") if "acceptée" in m["subject"]]) == 2


def test_operators_cannot_resend_codes_nor_see_unknown_ids(
    api: Api, ops_token: str, pump: Any
) -> None:
    code = notification("recovery_password")
    queue(code)
    pump.drain()
    refused = api.post(f"/v1/notifications/{code.id}/resend", token=ops_token)
    assert refused.status_code == 409
    assert refused.json_body["error"]["code"] == "cannot_resend"
    assert api.get("/v1/notifications/nope", token=ops_token).status_code == 404
    assert api.get("/v1/notifications", token=ops_token).status_code == 422
    bad = api.get("/v1/notifications?recipient=a@b.ma&cursor=zzz", token=ops_token)
    assert bad.status_code == 422
    assert api.get("/v1/notifications?recipient=a@b.ma").status_code == 401
