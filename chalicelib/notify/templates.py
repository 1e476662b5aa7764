"""Message templates, one per kind of notification, in Arabic and French.

Each template has an email form (subject, plain text; the HTML part is derived, right to
left for Arabic) and, where the message may go by SMS, a short SMS form.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from chalicelib.domain.notifications import Channel, Language, Notification


@dataclass(frozen=True)
class Template:
    subject: str
    text: str
    sms: str | None = None


@dataclass(frozen=True)
class RenderedMessage:
    channel: Channel
    to: str
    subject: str | None
    text: str
    html: str | None


TEMPLATES: dict[str, dict[Language, Template]] = {
    "staff_initial_code": {
        Language.FR: Template(
            subject="Votre compte Massar",
            text=(
                "Bonjour {first_name},\n\n"
                "Un compte Massar a été créé pour vous (établissement {school_code}).\n"
                "Identifiant : {username}\n"
                "Code initial : {initial_code}\n\n"
                "Ce code ne permet pas de se connecter : activez votre compte et choisissez "
                "votre mot de passe. Ne communiquez jamais ce code.\n"
            ),
            sms="Massar: compte {username}, code initial {initial_code}. A activer; ne le "
            "communiquez pas.",
        ),
        Language.AR: Template(
            subject="حسابكم في منظومة مسار",
            text=(
                "مرحبا {first_name}،\n\n"
                "تم إحداث حساب لكم في منظومة مسار (المؤسسة {school_code}).\n"
                "اسم المستخدم: {username}\n"
                "الرمز الأولي: {initial_code}\n\n"
                "هذا الرمز لا يسمح بالولوج: يرجى تفعيل الحساب واختيار كلمة مرور. "
                "لا تطلعوا أحدا على هذا الرمز.\n"
            ),
            sms="مسار: الحساب {username}، الرمز الأولي {initial_code}. فعّلوه ولا تطلعوا عليه أحدا.",
        ),
    },
}


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def render(notification: Notification) -> RenderedMessage:
    template = TEMPLATES[notification.template][notification.language]
    values = _Params({**notification.params, **notification.secret_params})
    if notification.channel is Channel.SMS:
        body = (template.sms or template.text).format_map(values)
        return RenderedMessage(Channel.SMS, notification.recipient, None, body, None)
    text = template.text.format_map(values)
    direction = "rtl" if notification.language is Language.AR else "ltr"
    escaped = _Params({k: html.escape(v) for k, v in values.items()})
    paragraphs = "".join(
        f"<p>{line}</p>" for line in template.text.format_map(escaped).split("\n") if line
    )
    page = (
        f'<!doctype html><html lang="{notification.language.value}" dir="{direction}">'
        f'<body style="font-family:sans-serif">{paragraphs}</body></html>'
    )
    return RenderedMessage(
        Channel.EMAIL,
        notification.recipient,
        template.subject.format_map(values),
        text,
        page,
    )
