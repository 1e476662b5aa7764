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

The names and params below are the contract other services build Notifications with.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from chalicelib.notifications.attachments import Attachment, attachments_for
from chalicelib.notifications.plurals import MINUTES, count_text
from chalicelib.notifications.rules import Channel, Language, Notification
from chalicelib.notifications.sms import MAX_PARTS, SmsSize, capacity, sms_size, to_gsm7

AR, FR = Language.AR, Language.FR
# Appointment times are shown in the schools' time zone, whatever offset they came with.
LOCAL_ZONE = "Africa/Casablanca"


@dataclass(frozen=True)
class Texts:
    subject: str
    text: str  # the email's plain-text part; the HTML part is built from it
    sms: str


@dataclass(frozen=True)
class Template:
    name: str
    label: dict[Language, str]  # what the message is, for status lines ("Rejet")
    params: tuple[str, ...]
    texts: dict[Language, Texts]
    secret_params: tuple[str, ...] = ()
    # Never held by quiet hours (codes, recovery passwords, security alerts).
    urgent: bool = False
    # Parts the SMS form takes with the longest realistic values, per language (≤ 2).
    sms_parts: dict[Language, int] = field(default_factory=lambda: {AR: 1, FR: 1})
    # Free-text params cut first (with an ellipsis) when an SMS would pass MAX_PARTS.
    shrink: tuple[str, ...] = ()


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
    "refused": {FR: "refusée", AR: "مرفوض"},
    "promoted": {FR: "admis(e) au niveau supérieur", AR: "ناجح(ة) إلى المستوى الموالي"},
    "repeats": {FR: "redouble", AR: "مكرر(ة)"},
    "leaves": {FR: "quitte l'établissement", AR: "يغادر(تغادر) المؤسسة"},
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
_TEMPLATES = [
    Template(
        name="staff_initial_code",
        label={FR: "Code initial", AR: "الرمز الأولي"},
        params=("username", "first_name", "school_code"),
        secret_params=("initial_code",),
        urgent=True,
        texts={
            FR: Texts(
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
            AR: Texts(
                subject="حسابكم في منظومة مسار",
                text=(
                    "مرحبا {first_name}،\n\n"
                    "تم إحداث حساب لكم في منظومة مسار (المؤسسة {school_code}).\n"
                    "اسم المستخدم: {username}\n"
                    "الرمز الأولي: {initial_code}\n\n"
                    "هذا الرمز لا يسمح بالولوج: يرجى تفعيل الحساب واختيار كلمة مرور. "
                    "لا تطلعوا أحدا على هذا الرمز.\n"
                ),
                sms="مسار: حساب {username} رمزه الأولي {initial_code}. لا تعطوه لأحد",
            ),
        },
    ),
    Template(
        name="recovery_password",
        label={FR: "Mot de passe provisoire", AR: "كلمة المرور المؤقتة"},
        params=("username", "minutes"),
        secret_params=("recovery_password",),
        urgent=True,
        texts={
            FR: Texts(
                subject="Massar : votre mot de passe provisoire",
                text=(
                    "Bonjour,\n\n"
                    "Vous avez demandé à récupérer l'accès au compte Massar {username}.\n"
                    "Mot de passe provisoire : {recovery_password}\n\n"
                    "Il est valable {minutes_text}, une seule fois : à la connexion, "
                    "choisissez un nouveau mot de passe (lettres, chiffres et symboles).\n"
                    "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe "
                    "actuel reste valable.\n"
                ),
                sms="Massar: mot de passe provisoire du compte {username}: "
                "{recovery_password} (valable {minutes} min, une fois). Ne le communiquez "
                "à personne.",
            ),
            AR: Texts(
                subject="مسار: كلمة المرور المؤقتة",
                text=(
                    "مرحبا،\n\n"
                    "طلبتم استرجاع الولوج إلى حساب مسار {username}.\n"
                    "كلمة المرور المؤقتة: {recovery_password}\n\n"
                    "صالحة لمدة {minutes_text} ولمرة واحدة: عند الولوج اختاروا كلمة مرور "
                    "جديدة (حروف وأرقام ورموز).\n"
                    "إذا لم تطلبوا ذلك فتجاهلوا هذه الرسالة: تبقى كلمة مروركم الحالية صالحة.\n"
                ),
                sms="مسار: كلمة مرور مؤقتة {recovery_password} صالحة {minutes_text}. لا تعطوها "
                "لأحد",
            ),
        },
    ),
    Template(
        name="contact_changed",
        label={FR: "Changement de coordonnées", AR: "تغيير معطيات الاتصال"},
        params=("username", "changed"),
        urgent=True,
        texts={
            FR: Texts(
                subject="Massar : les coordonnées de votre compte ont changé",
                text=(
                    "Bonjour,\n\n"
                    "Le compte Massar {username} a changé {changed_text}. Ce message est "
                    "envoyé à l'ancienne adresse ou à l'ancien numéro.\n\n"
                    "Si vous n'êtes pas à l'origine de ce changement, contactez sans attendre "
                    "votre établissement scolaire.\n"
                ),
                sms="Massar: le compte {username} a changé {changed_text}. Si ce n'est pas "
                "vous, contactez votre établissement.",
            ),
            AR: Texts(
                subject="مسار: تغيير معطيات الاتصال بحسابكم",
                text=(
                    "مرحبا،\n\n"
                    "تم تغيير {changed_text} الخاص بحساب مسار {username}. تُرسل هذه الرسالة "
                    "إلى العنوان أو الرقم السابق.\n\n"
                    "إذا لم تقوموا بهذا التغيير فاتصلوا بمؤسستكم التعليمية دون تأخير.\n"
                ),
                sms="مسار: تغيير {changed_text} في حسابكم. إن لم تفعلوا فاتصلوا بالمؤسسة",
            ),
        },
    ),
    Template(
        name="contact_confirmation",
        label={FR: "Confirmation de coordonnées", AR: "تأكيد معطيات الاتصال"},
        params=("username", "minutes"),
        # The code proves the new address or number is the holder's: until it comes back,
        # recovery keeps using the old one.
        secret_params=("code",),
        urgent=True,
        texts={
            FR: Texts(
                subject="Massar : confirmez votre nouvelle adresse",
                text=(
                    "Bonjour,\n\n"
                    "Pour utiliser cette adresse avec le compte Massar {username}, saisissez "
                    "ce code dans votre profil : {code}\n\n"
                    "Il est valable {minutes_text}. Si vous n'avez rien demandé, ignorez ce "
                    "message : rien ne change.\n"
                ),
                sms="Massar: code {code} pour confirmer ce numéro sur le compte {username} "
                "(valable {minutes} min). Sinon, ignorez.",
            ),
            AR: Texts(
                subject="مسار: أكدوا عنوانكم الجديد",
                text=(
                    "مرحبا،\n\n"
                    "لاستعمال هذا العنوان مع حساب مسار {username}، أدخلوا هذا الرمز في ملفكم: "
                    "{code}\n\n"
                    "صالح لمدة {minutes_text}. إذا لم تطلبوا ذلك فتجاهلوا هذه الرسالة.\n"
                ),
                sms="مسار: رمز تأكيد هذا الرقم {code}، صالح {minutes_text}. إن لم تطلبوه فتجاهلوه",
            ),
        },
    ),
    Template(
        name="password_changed",
        label={FR: "Mot de passe modifié", AR: "تغيير كلمة المرور"},
        params=("username",),
        # A security alert: if it was not the owner, every hour counts.
        urgent=True,
        texts={
            FR: Texts(
                subject="Massar : mot de passe modifié",
                text=(
                    "Bonjour,\n\n"
                    "Le mot de passe du compte Massar {username} vient d'être modifié.\n\n"
                    "Si vous n'êtes pas à l'origine de ce changement, utilisez « Mot de passe "
                    "oublié » sur la page de connexion et contactez votre établissement.\n"
                ),
                sms="Massar: le mot de passe du compte {username} a été modifié. Si ce n'est "
                "pas vous, contactez votre établissement.",
            ),
            AR: Texts(
                subject="مسار: تم تغيير كلمة المرور",
                text=(
                    "مرحبا،\n\n"
                    "تم تغيير كلمة مرور حساب مسار {username}.\n\n"
                    "إذا لم تقوموا بذلك فاستعملوا «نسيت كلمة المرور» في صفحة الولوج "
                    "واتصلوا بمؤسستكم.\n"
                ),
                sms="مسار: تم تغيير كلمة مرور حسابكم. إن لم تكونوا أنتم فاتصلوا بمؤسستكم",
            ),
        },
    ),
    Template(
        name="registration_receipt",
        label={FR: "Accusé de réception de la demande", AR: "إشعار بتوصل الطلب"},
        params=("child_name", "tracking_code", "application_id", "school_name"),
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : demande d'inscription reçue",
                text=(
                    "Bonjour,\n\n"
                    "La demande d'inscription de {child_name} à l'établissement {school_name} "
                    "a bien été reçue.\n"
                    "Numéro de suivi : {tracking_code}\n"
                    "Référence de la demande : {application_id}\n\n"
                    "Conservez ce numéro pour suivre la demande. La décision de "
                    "l'établissement vous sera envoyée par e-mail ou par SMS.\n"
                ),
                sms="Massar: demande d'inscription de {child_name} recue. Numéro de suivi: "
                "{tracking_code}. La décision vous sera envoyée.",
            ),
            AR: Texts(
                subject="مسار: توصلنا بطلب التسجيل",
                text=(
                    "مرحبا،\n\n"
                    "توصلت المؤسسة {school_name} بطلب تسجيل {child_name}.\n"
                    "رقم التتبع: {tracking_code}\n"
                    "مرجع الطلب: {application_id}\n\n"
                    "احتفظوا بهذا الرقم لتتبع الطلب. سيصلكم قرار المؤسسة عبر البريد "
                    "الإلكتروني أو رسالة قصيرة.\n"
                ),
                sms="مسار: توصلنا بطلب تسجيل {child_name}. رقم التتبع: {tracking_code}. "
                "سيصلكم القرار لاحقا.",
            ),
        },
    ),
    Template(
        name="registration_approved",
        label={FR: "Inscription acceptée", AR: "قبول التسجيل"},
        params=("child_name", "massar_code", "school_name"),
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : inscription acceptée",
                text=(
                    "Bonjour,\n\n"
                    "La demande d'inscription de {child_name} à l'établissement {school_name} "
                    "est acceptée.\n"
                    "Code Massar de l'élève : {massar_code}\n\n"
                    "L'établissement vous indiquera la date de rentrée et les prochaines "
                    "étapes.\n"
                ),
                sms="Massar: inscription de {child_name} acceptée. Code Massar de l'élève: "
                "{massar_code}.",
            ),
            AR: Texts(
                subject="مسار: قبول طلب التسجيل",
                text=(
                    "مرحبا،\n\n"
                    "تم قبول طلب تسجيل {child_name} بالمؤسسة {school_name}.\n"
                    "رمز مسار للتلميذ(ة): {massar_code}\n\n"
                    "ستخبركم المؤسسة بموعد الدخول المدرسي والخطوات المقبلة.\n"
                ),
                sms="مسار: تم قبول تسجيل {child_name}. رمز مسار: {massar_code}",
            ),
        },
    ),
    Template(
        name="registration_rejected",
        label={FR: "Demande refusée", AR: "رفض الطلب"},
        params=("child_name", "reason", "note", "school_name"),
        sms_parts={AR: 2, FR: 2},
        shrink=("note",),
        texts={
            FR: Texts(
                subject="Massar : demande d'inscription refusée",
                text=(
                    "Bonjour,\n\n"
                    "La demande d'inscription de {child_name} à l'établissement {school_name} "
                    "n'a pas été acceptée.\n"
                    "Motif : {reason_text}.\n"
                    "{note_line}\n"
                    "Pour toute question, adressez-vous à l'établissement ou à la direction "
                    "provinciale.\n"
                ),
                sms="Massar: demande d'inscription de {child_name} refusée: {reason_text}."
                "{note_sms}",
            ),
            AR: Texts(
                subject="مسار: رفض طلب التسجيل",
                text=(
                    "مرحبا،\n\n"
                    "لم يُقبل طلب تسجيل {child_name} بالمؤسسة {school_name}.\n"
                    "السبب: {reason_text}.\n"
                    "{note_line}\n"
                    "لأي استفسار يرجى الاتصال بالمؤسسة أو بالمديرية الإقليمية.\n"
                ),
                sms="مسار: رفض تسجيل {child_name}: {reason_text}.{note_sms}",
            ),
        },
    ),
    Template(
        name="appointment_confirmed",
        label={FR: "Rendez-vous confirmé", AR: "تأكيد الموعد"},
        params=("child_name", "purpose", "scheduled_at", "school_name"),
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : rendez-vous confirmé le {scheduled_date}",
                text=(
                    "Bonjour,\n\n"
                    "L'établissement {school_name} confirme votre rendez-vous "
                    "({purpose_text}) pour {child_name} :\n"
                    "le {scheduled_day} {scheduled_date} à {scheduled_time}.\n\n"
                    "Présentez-vous avec votre carte nationale d'identité.\n"
                ),
                sms="Massar: RDV confirmé ({purpose_text}) pour {child_name} le "
                "{scheduled_date} à {scheduled_time}.",
            ),
            AR: Texts(
                subject="مسار: تأكيد موعدكم يوم {scheduled_date}",
                text=(
                    "مرحبا،\n\n"
                    "تؤكد المؤسسة {school_name} موعدكم ({purpose_text}) بخصوص {child_name}:\n"
                    "يوم {scheduled_day} {scheduled_date} على الساعة {scheduled_time}.\n\n"
                    "يرجى الحضور مصحوبين بالبطاقة الوطنية للتعريف.\n"
                ),
                sms="مسار: موعد {purpose_text} بخصوص {child_name} يوم {scheduled_date} "
                "على {scheduled_time}",
            ),
        },
    ),
    Template(
        name="absence_unjustified",
        label={FR: "Absence non justifiée", AR: "غياب غير مبرر"},
        params=("child_name", "date", "session", "subject"),
        # Not urgent: quiet hours hold it until the morning.
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : absence non justifiée de {child_name}",
                text=(
                    "Bonjour,\n\n"
                    "{child_name} a été absent(e) sans justification le {date_text} "
                    "({session_text}), en {subject}.\n\n"
                    "Merci de justifier cette absence auprès de l'établissement.\n"
                ),
                sms="Massar: absence non justifiée de {child_name} le {date_text} "
                "({session_text}), {subject}. Merci de la justifier.",
            ),
            AR: Texts(
                subject="مسار: غياب غير مبرر لـ{child_name}",
                text=(
                    "مرحبا،\n\n"
                    "تغيب(ت) {child_name} دون مبرر يوم {date_text} ({session_text}) في مادة "
                    "{subject}.\n\n"
                    "المرجو تبرير هذا الغياب لدى المؤسسة.\n"
                ),
                sms="مسار: غياب غير مبرر لـ{child_name} يوم {date_text} ({session_text}) "
                "مادة {subject}",
            ),
        },
    ),
    Template(
        name="transfer_decided",
        label={FR: "Transfert", AR: "الانتقال"},
        params=("child_name", "decision", "school_name", "note"),
        # The school's reason is in the email only: the SMS stays one part in French.
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : demande de transfert de {child_name}",
                text=(
                    "Bonjour,\n\n"
                    "La demande de transfert de {child_name} vers l'établissement "
                    "{school_name} est {decision_text}.\n"
                    "{note_line}\n"
                    "Les notes et absences des années passées restent consultables dans "
                    "l'espace Massar.\n"
                ),
                sms="Massar: transfert de {child_name} vers {school_name}: {decision_text}.",
            ),
            AR: Texts(
                subject="مسار: طلب انتقال {child_name}",
                text=(
                    "مرحبا،\n\n"
                    "طلب انتقال {child_name} إلى المؤسسة {school_name}: {decision_text}.\n"
                    "{note_line}\n"
                    "تبقى نقط وغيابات السنوات الماضية متاحة في فضاء مسار.\n"
                ),
                sms="مسار: انتقال {child_name} إلى {school_name}: {decision_text}",
            ),
        },
    ),
    Template(
        name="year_end_decision",
        label={FR: "Décision de fin d'année", AR: "قرار آخر السنة"},
        params=("child_name", "decision", "school_year", "next_level"),
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : décision de fin d'année {school_year}",
                text=(
                    "Bonjour,\n\n"
                    "Décision de fin d'année {school_year} pour {child_name} : "
                    "{decision_text} {next_level}.\n\n"
                    "La réinscription pour l'année suivante se confirme dans l'espace Massar.\n"
                ),
                sms="Massar: {child_name}, {school_year}: {decision_text} {next_level}.",
            ),
            AR: Texts(
                subject="مسار: قرار آخر السنة {school_year}",
                text=(
                    "مرحبا،\n\n"
                    "قرار آخر السنة {school_year} بالنسبة لـ{child_name}: "
                    "{decision_text} {next_level}.\n\n"
                    "يتم تأكيد إعادة التسجيل للسنة الموالية في فضاء مسار.\n"
                ),
                sms="مسار: {child_name}، {school_year}: {decision_text} {next_level}",
            ),
        },
    ),
]

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
