"""Messages to a family about school life: an appointment, an unjustified absence, a
transfer, the year-end decision, a behaviour note, a drop in marks."""

from __future__ import annotations

from chalicelib.notifications.template_types import AR, FR, Template, Texts

SCHOOL_LIFE_TEMPLATES: list[Template] = [
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
        name="absence_cancelled",
        label={FR: "Absence annulée", AR: "إلغاء غياب"},
        params=("child_name", "date", "session"),
        # Not urgent, as the alert it corrects: quiet hours hold it until the morning.
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : absence de {child_name} annulée",
                text=(
                    "Bonjour,\n\n"
                    "L'absence de {child_name} signalée le {date_text} ({session_text}) "
                    "avait été enregistrée par erreur : elle est annulée.\n\n"
                    "Veuillez ne pas tenir compte du message précédent.\n"
                ),
                sms="Massar: l'absence de {child_name} du {date_text} ({session_text}) "
                "était une erreur, elle est annulée.",
            ),
            AR: Texts(
                subject="مسار: إلغاء غياب {child_name}",
                text=(
                    "مرحبا،\n\n"
                    "سُجل غياب {child_name} يوم {date_text} ({session_text}) عن طريق الخطأ، "
                    "وقد تم إلغاؤه.\n\n"
                    "المرجو عدم اعتبار الرسالة السابقة.\n"
                ),
                sms="مسار: أُلغي غياب {child_name} يوم {date_text} ({session_text}) المسجل خطأ",
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
# Told once each (issue 17): the school answered, an appointment was declined, a
# justification was decided. None is urgent: quiet hours hold their SMS, and the
# recipient budget (delivery.py) caps a burst of replies in one thread.
SCHOOL_LIFE_TEMPLATES += [
    Template(
        name="message_reply",
        label={FR: "Réponse de l'établissement", AR: "رد المؤسسة"},
        params=("child_name", "school_name"),
        # The message itself stays in the space: the notice only says there is one.
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : réponse de l'établissement au sujet de {child_name}",
                text=(
                    "Bonjour,\n\n"
                    "L'établissement {school_name} a répondu à votre message au sujet de "
                    "{child_name}.\n\n"
                    "Lisez sa réponse dans l'espace Massar, rubrique « Messages ».\n"
                ),
                sms="Massar: l'établissement a répondu à votre message au sujet de "
                "{child_name}. A lire dans votre espace Massar.",
            ),
            AR: Texts(
                subject="مسار: رد المؤسسة بخصوص {child_name}",
                text=(
                    "مرحبا،\n\n"
                    "ردت المؤسسة {school_name} على رسالتكم بخصوص {child_name}.\n\n"
                    "اطلعوا على الرد في فضاء مسار، ركن «الرسائل».\n"
                ),
                sms="مسار: ردت المؤسسة على رسالتكم بخصوص {child_name}، اطلعوا عليه في فضاء مسار",
            ),
        },
    ),
    Template(
        name="appointment_declined",
        label={FR: "Rendez-vous refusé", AR: "رفض الموعد"},
        params=("child_name", "purpose", "school_name", "note"),
        # The school's reason is in the email (and the space) only: one SMS part in French.
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : demande de rendez-vous non retenue",
                text=(
                    "Bonjour,\n\n"
                    "L'établissement {school_name} n'a pas retenu votre demande de rendez-vous "
                    "({purpose_text}) pour {child_name}.\n"
                    "{note_line}\n"
                    "Vous pouvez faire une nouvelle demande dans l'espace Massar.\n"
                ),
                sms="Massar: demande de RDV ({purpose_text}) pour {child_name} non retenue. "
                "Motif dans votre espace Massar.",
            ),
            AR: Texts(
                subject="مسار: لم يتم قبول طلب الموعد",
                text=(
                    "مرحبا،\n\n"
                    "لم تقبل المؤسسة {school_name} طلب موعدكم ({purpose_text}) بخصوص "
                    "{child_name}.\n"
                    "{note_line}\n"
                    "يمكنكم تقديم طلب جديد في فضاء مسار.\n"
                ),
                sms="مسار: لم يقبل طلب موعد {purpose_text} بخصوص {child_name}، السبب في فضاء مسار",
            ),
        },
    ),
    Template(
        name="justification_decided",
        label={FR: "Justification d'absence", AR: "تبرير الغياب"},
        params=("child_name", "date", "session", "decision", "note"),
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : justification de l'absence de {child_name} {decision_text}",
                text=(
                    "Bonjour,\n\n"
                    "La justification de l'absence de {child_name} le {date_text} "
                    "({session_text}) est {decision_text} par l'établissement.\n"
                    "{note_line}\n"
                    "Le détail est dans l'espace Massar, rubrique « Absences ».\n"
                ),
                sms="Massar: justification de l'absence de {child_name} du {date_text} "
                "{decision_text}. Détail dans votre espace Massar.",
            ),
            AR: Texts(
                subject="مسار: تبرير غياب {child_name} {decision_text}",
                text=(
                    "مرحبا،\n\n"
                    "تبرير غياب {child_name} يوم {date_text} ({session_text}): "
                    "{decision_text} من طرف المؤسسة.\n"
                    "{note_line}\n"
                    "التفاصيل في فضاء مسار، ركن «الغياب».\n"
                ),
                sms="مسار: تبرير غياب {child_name} يوم {date_text}: {decision_text}، "
                "التفاصيل في فضاء مسار",
            ),
        },
    ),
    Template(
        name="behaviour_note",
        label={FR: "Note de comportement", AR: "ملاحظة حول السلوك"},
        params=("child_name", "behaviour", "date", "description", "action"),
        # Not urgent: quiet hours hold it; what happened is in the email and the space only.
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : comportement de {child_name} le {date_text}",
                text=(
                    "Bonjour,\n\n"
                    "L'établissement a noté pour {child_name}, le {date_text} : "
                    "{behaviour_text}.\n\n"
                    "Ce qui s'est passé : {description}\n"
                    "Suite donnée : {action}\n\n"
                    "La note est consultable dans l'espace Massar.\n"
                ),
                sms="Massar: {child_name}, {date_text}: {behaviour_text}. "
                "Details dans l'espace Massar.",
            ),
            AR: Texts(
                subject="مسار: سلوك {child_name} يوم {date_text}",
                text=(
                    "مرحبا،\n\n"
                    "سجلت المؤسسة بخصوص {child_name} يوم {date_text}: {behaviour_text}.\n\n"
                    "ما حدث: {description}\n"
                    "الإجراء المتخذ: {action}\n\n"
                    "الملاحظة متاحة في فضاء مسار.\n"
                ),
                sms="مسار: {child_name} يوم {date_text}: {behaviour_text}. التفاصيل في فضاء مسار",
            ),
        },
    ),
    Template(
        name="marks_drop",
        label={FR: "Baisse des notes", AR: "انخفاض النقط"},
        params=("child_name", "subject", "semester", "school_year", "average", "previous"),
        # Not urgent: quiet hours hold it until the morning.
        sms_parts={AR: 2, FR: 1},
        texts={
            FR: Texts(
                subject="Massar : moyenne de {child_name} en {subject}",
                text=(
                    "Bonjour,\n\n"
                    "La moyenne de {child_name} en {subject} au semestre {semester} "
                    "({school_year}) est de {average}/20 ; au semestre précédent : "
                    "{previous}.\n\n"
                    "Les notes sont consultables dans l'espace Massar ; l'établissement "
                    "peut vous recevoir sur rendez-vous.\n"
                ),
                sms="Massar: moyenne de {child_name} en {subject} (S{semester}): "
                "{average}/20, avant: {previous}.",
            ),
            AR: Texts(
                subject="مسار: معدل {child_name} في مادة {subject}",
                text=(
                    "مرحبا،\n\n"
                    "معدل {child_name} في مادة {subject} خلال الدورة {semester} "
                    "({school_year}) هو {average}/20، وفي الدورة السابقة: {previous}.\n\n"
                    "النقط متاحة في فضاء مسار، ويمكن للمؤسسة استقبالكم بموعد.\n"
                ),
                sms="مسار: معدل {child_name} في {subject} (الدورة {semester}): {average}/20، "
                "قبل: {previous}",
            ),
        },
    ),
]
