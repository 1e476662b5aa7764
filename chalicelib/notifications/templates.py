"""Message templates, one per kind of notification, in Arabic and French.

Every template has an email form (subject and plain text; the HTML part is derived from
the text, right to left for Arabic) and an SMS form, so that a notification can fall back
from one channel to the other. `urgent` templates are never held by quiet hours.

SMS are billed per part (see `sms.py`): each SMS form fits one part in both languages
wherever the content allows, and never more than two; `sms_parts` states what the longest
realistic values take (a 40-character child's name, a 60-character school name), and
tests/test_notifications_templates.py renders every template with those values and
counts. French SMS are written in the GSM-7 alphabet (`to_gsm7` turns `ê` into `e`), or a
single `ê` would halve the room. Values the caller writes freely (`shrink`) are cut
before an SMS passes two parts.

The texts are in `account_templates.py`, `registration_templates.py` and
`school_life_templates.py` (a `Template` is in `template_types.py`); their names and params
are the contract other services build Notifications with. Other modules import templates
from here: `TEMPLATES`, `is_urgent`, `render`.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from chalicelib.notifications.account_templates import ACCOUNT_TEMPLATES
from chalicelib.notifications.attachments import Attachment, attachments_for
from chalicelib.notifications.plurals import MINUTES, count_text
from chalicelib.notifications.registration_templates import REGISTRATION_TEMPLATES
from chalicelib.notifications.rules import Channel, Language, Notification
from chalicelib.notifications.school_life_templates import SCHOOL_LIFE_TEMPLATES
from chalicelib.notifications.sms import MAX_PARTS, SmsSize, capacity, sms_size, to_gsm7
from chalicelib.notifications.template_types import AR, FR, Template

# Appointment times are shown in the schools' time zone, whatever offset they came with.
LOCAL_ZONE = "Africa/Casablanca"


# -- words for coded values -------------------------------------------------------------
REASONS = {
    "under_age": {
        FR: "l'enfant n'a pas l'âge légal de scolarisation",
        AR: "الطفل دون سن التمدرس",
    },
    "out_of_catchment": {
        FR: "l'établissement ne dessert pas votre lieu de résidence",
        AR: "المؤسسة لا تغطي مكان سكناكم",
    },
    "other": {FR: "autre motif", AR: "سبب آخر"},
}
PURPOSES = {
    "school_certificate": {FR: "certificat de scolarité", AR: "شهادة مدرسية"},
    "meeting": {FR: "rencontre avec l'établissement", AR: "لقاء مع الإدارة"},
}
CHANGED = {
    "email": {FR: "d'adresse e-mail", AR: "البريد الإلكتروني"},
    "phone": {FR: "de numéro de téléphone", AR: "رقم الهاتف"},
}
SESSIONS = {
    "morning": {FR: "matin", AR: "الفترة الصباحية"},
    "afternoon": {FR: "après-midi", AR: "الفترة المسائية"},
}
WEEKDAYS = {
    FR: ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    AR: ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
}
DECISIONS = {
    "released": {FR: "acceptée", AR: "مقبول"},
    "accepted": {FR: "acceptée", AR: "مقبول"},  # a justification (la justification, التبرير)
    "refused": {FR: "refusée", AR: "مرفوض"},
    "promoted": {FR: "admis(e) au niveau supérieur", AR: "ناجح(ة) إلى المستوى الموالي"},
    "repeats": {FR: "redouble", AR: "مكرر(ة)"},
    "leaves": {FR: "quitte l'établissement", AR: "يغادر(تغادر) المؤسسة"},
}
BEHAVIOURS = {
    "praise": {FR: "encouragement", AR: "تنويه"},
    "lateness": {FR: "retard", AR: "تأخر"},
    "misconduct": {FR: "manquement au règlement", AR: "مخالفة للنظام الداخلي"},
    "disruption": {FR: "perturbation du cours", AR: "إخلال بسير الحصة"},
    "missing_work": {FR: "travail ou matériel non apporté", AR: "عدم إحضار الواجب أو الأدوات"},
    "other": {FR: "observation", AR: "ملاحظة"},
}
NOTE_LABEL = {FR: "Précision de l'établissement : ", AR: "توضيح المؤسسة: "}

FOOTER = {
    FR: "Message automatique de Massar, merci de ne pas y répondre.",
    AR: "رسالة آلية من منظومة مسار، المرجو عدم الرد عليها.",
}


def _words(table: dict[str, dict[Language, str]], value: str, language: Language) -> str:
    return table[value][language] if value in table else value


def _derived(values: dict[str, str], language: Language) -> dict[str, str]:
    """Coded params in words, dates in the local way (dd/mm/yyyy), optional lines."""
    out: dict[str, str] = {}
    if "reason" in values:
        out["reason_text"] = _words(REASONS, values["reason"], language)
    if "purpose" in values:
        out["purpose_text"] = _words(PURPOSES, values["purpose"], language)
    if "changed" in values:
        out["changed_text"] = _words(CHANGED, values["changed"], language)
    if "decision" in values:
        out["decision_text"] = _words(DECISIONS, values["decision"], language)
    if "session" in values:
        out["session_text"] = _words(SESSIONS, values["session"], language)
    if "behaviour" in values:
        out["behaviour_text"] = _words(BEHAVIOURS, values["behaviour"], language)
    if values.get("minutes", "").isdigit():
        out["minutes_text"] = count_text(int(values["minutes"]), MINUTES, language)
    if values.get("date"):
        try:
            out["date_text"] = date.fromisoformat(values["date"]).strftime("%d/%m/%Y")
        except ValueError:
            out["date_text"] = values["date"]
    if values.get("scheduled_at"):
        try:
            moment = datetime.fromisoformat(values["scheduled_at"])
            if moment.tzinfo is not None:
                moment = moment.astimezone(ZoneInfo(LOCAL_ZONE))
            out["scheduled_date"] = moment.strftime("%d/%m/%Y")
            out["scheduled_time"] = moment.strftime("%H:%M")
            out["scheduled_day"] = WEEKDAYS[language][moment.weekday()]
        except ValueError:
            out["scheduled_date"], out["scheduled_time"] = values["scheduled_at"], ""
            out["scheduled_day"] = ""
    note = values.get("note", "").strip()
    out["note_line"] = f"{NOTE_LABEL[language]}{note}\n" if note else ""
    out["note_sms"] = f" {note}" if note else ""
    return out


# -- the templates ----------------------------------------------------------------------
_TEMPLATES = [*ACCOUNT_TEMPLATES, *REGISTRATION_TEMPLATES, *SCHOOL_LIFE_TEMPLATES]

TEMPLATES: dict[str, Template] = {t.name: t for t in _TEMPLATES}


def is_urgent(name: str) -> bool:
    """Unknown templates are treated as urgent: never held back by a guess."""
    found = TEMPLATES.get(name)
    return True if found is None else found.urgent


@dataclass(frozen=True)
class RenderedMessage:
    channel: Channel
    to: str
    subject: str | None
    text: str
    html: str | None
    attachments: tuple[Attachment, ...] = ()
    notification_id: str | None = None

    @property
    def sms(self) -> SmsSize | None:
        return sms_size(self.text) if self.channel is Channel.SMS else None


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _values(notification: Notification) -> _Params:
    plain = dict(notification.params)
    values = _Params({**plain, **_derived(plain, notification.language)})
    values.update(notification.secret_params)
    return values


def render(notification: Notification) -> RenderedMessage:
    if notification.channel is Channel.TOPIC:
        # An event, not a message to a person: its facts as JSON, never a secret.
        body = json.dumps(
            {"event": notification.template, **notification.params},
            ensure_ascii=False,
            sort_keys=True,
        )
        return RenderedMessage(
            Channel.TOPIC, notification.recipient, None, body, None, (), notification.id
        )
    template = TEMPLATES[notification.template]
    if notification.channel is Channel.SMS:
        body = render_sms(template, notification)
        return RenderedMessage(
            Channel.SMS, notification.recipient, None, body, None, (), notification.id
        )
    texts = template.texts[notification.language]
    values = _values(notification)
    return RenderedMessage(
        Channel.EMAIL,
        notification.recipient,
        texts.subject.format_map(values).replace("\n", " "),
        texts.text.format_map(values) + "\n" + FOOTER[notification.language] + "\n",
        _html(texts.text, values, notification.language),
        attachments_for(notification),
        notification.id,
    )


def render_sms(template: Template, notification: Notification) -> str:
    """The SMS form; French in GSM-7; free text cut so that it never passes MAX_PARTS."""
    language = notification.language
    pattern = template.texts[language].sms
    secrets = set(notification.secret_params)
    if language is Language.FR:
        pattern = to_gsm7(pattern)

    def values_with(params: dict[str, str]) -> _Params:
        values = _values(replace(notification, params=params))
        if language is Language.FR:
            return _Params({k: v if k in secrets else to_gsm7(v) for k, v in values.items()})
        return values

    params = dict(notification.params)
    body = pattern.format_map(values_with(params))
    size = sms_size(body)
    if size.parts <= MAX_PARTS:
        return body
    ellipsis = "..." if size.encoding == "GSM-7" else "…"
    for name in template.shrink:
        excess = size.units - capacity(size.encoding, MAX_PARTS)
        original = params.get(name, "")
        if excess <= 0 or not original:
            continue
        keep = max(0, len(original) - excess - len(ellipsis))
        params[name] = original[:keep].rstrip() + ellipsis if keep else ""
        body = pattern.format_map(values_with(params))
        size = sms_size(body)
    if size.parts > MAX_PARTS:  # a safety net: values far longer than realistic
        room = capacity(size.encoding, MAX_PARTS) - len(ellipsis)
        while sms_size(body).units > room:
            body = body[:-1]
        body += ellipsis
    return body


def _html(text: str, values: _Params, language: Language) -> str:
    escaped = _Params({k: html.escape(v) for k, v in values.items()})
    body = text.format_map(escaped)
    paragraphs = "".join(
        "<p>" + block.strip("\n").replace("\n", "<br>") + "</p>"
        for block in body.split("\n\n")
        if block.strip()
    )
    rtl = language is Language.AR
    direction = "rtl" if rtl else "ltr"
    align = "right" if rtl else "left"
    footer = html.escape(FOOTER[language])
    return (
        f'<!doctype html><html lang="{language.value}" dir="{direction}">'
        '<head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"></head>'
        f'<body dir="{direction}" style="margin:0;padding:16px;font-family:Tahoma,Arial,'
        f'sans-serif;font-size:16px;line-height:1.5;direction:{direction};text-align:{align}">'
        f"{paragraphs}"
        f'<p style="color:#666;font-size:13px">{footer}</p>'
        "</body></html>"
    )
