"""Messages to a family about its registration application: received, approved, rejected."""

from __future__ import annotations

from chalicelib.notifications.template_types import AR, FR, Template, Texts

REGISTRATION_TEMPLATES: list[Template] = [
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
                # Where to type the code, in one SMS part for the longest names (no final
                # full stop: it would take a second part).
                sms="Massar: demande de {child_name} recue. Numéro de suivi {tracking_code} à "
                "taper sur massar.men.gov.ma. La décision vous sera envoyée",
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
                sms="مسار: توصلنا بطلب {child_name}. رقم التتبع {tracking_code} تدخلونه في "
                "massar.men.gov.ma. سيصلكم القرار.",
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
]
