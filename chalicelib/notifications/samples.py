"""The longest realistic values of every template's params, in both languages.

Used by the SMS-parts test and the benchmark (never imported by the app). Names are what
services pass: Latin-script names in French messages, Arabic script in Arabic ones. A
child's full name runs to ~40 characters, a school's name to ~60.
"""

from __future__ import annotations

from chalicelib.notifications.rules import Language

CHILD_NAME = {
    Language.FR: "Mohamed-Amine Benabdellah El Idrissi Ala",  # 40
    Language.AR: "محمد أمين بن عبد الله الإدريسي العلوي الح",  # 40
}
SCHOOL_NAME = {
    Language.FR: "Ecole primaire Al Massira Al Khadra, Hay Mohammadi, Casablan",  # 60
    Language.AR: "مدرسة المسيرة الخضراء الابتدائية، الحي المحمدي، الدار البيضاء",  # 60
}
SUBJECT = {
    Language.FR: "Education physique et sportive",
    Language.AR: "التربية البدنية والرياضة",
}
REJECTION_NOTE = {
    Language.FR: "Dossier incomplet : copie de l'acte de naissance manquante.",
    Language.AR: "الملف غير مكتمل: نسخة عقد الازدياد غير مرفقة.",
}
FIRST_NAME = {Language.FR: "Fatima-Zahra Ouazzani", Language.AR: "فاطمة الزهراء الوزاني"}

# Usernames: a staff username (≤ 40 allowed, ~22 realistic), a CIN, a Massar code.
USERNAME = "m.benabdellah.alaoui"
RECOVERY_PASSWORD = "kX7#mPq2-Zr9!vTe"  # noqa: S105 - a sample; 16 characters
INITIAL_CODE = "Hq7RtK3mWp"  # 10, as new_initial_code makes them

Sample = tuple[dict[str, str], dict[str, str]]  # (params, secret_params)


def _accounts(child: str, school: str, language: Language) -> dict[str, Sample]:
    """Account messages: codes, recovery, contacts."""
    return {
        "staff_initial_code": (
            {"username": USERNAME, "first_name": FIRST_NAME[language], "school_code": "04251G"},
            {"initial_code": INITIAL_CODE},
        ),
        "recovery_password": (
            {"username": USERNAME, "minutes": "10"},
            {"recovery_password": RECOVERY_PASSWORD},
        ),
        "contact_changed": ({"username": USERNAME, "changed": "phone"}, {}),
        "contact_confirmation": ({"username": USERNAME, "minutes": "15"}, {"code": "482913"}),
        "password_changed": ({"username": USERNAME}, {}),
    }


def _registration(child: str, school: str, language: Language) -> dict[str, Sample]:
    """Pre-registration: receipt and decisions."""
    return {
        "registration_receipt": (
            {
                "child_name": child,
                "tracking_code": "RG-2027-7KQ4M9XT",
                "application_id": "5f0c2a9e8b7d4c6a9e1f3b2d4c6a8e0f",
                "school_name": school,
            },
            {},
        ),
        "registration_approved": (
            {"child_name": child, "massar_code": "J130012345", "school_name": school},
            {},
        ),
        "registration_rejected": (
            {
                "child_name": child,
                "reason": "out_of_catchment",
                "note": REJECTION_NOTE[language],
                "school_name": school,
            },
            {},
        ),
    }


def _school_life(child: str, school: str, language: Language) -> dict[str, Sample]:
    """School life: appointments, transfers, year-end, absences."""
    return {
        "appointment_confirmed": (
            {
                "child_name": child,
                "purpose": "meeting",
                "scheduled_at": "2027-03-17T10:30:00+01:00",
                "school_name": school,
            },
            {},
        ),
        "transfer_decided": (
            {
                "child_name": child,
                "decision": "refused",
                "school_name": school,
                "note": REJECTION_NOTE[language],
            },
            {},
        ),
        "year_end_decision": (
            {
                "child_name": child,
                "decision": "promoted",
                "school_year": "2026-2027",
                "next_level": "1BAC",
            },
            {},
        ),
    }


def _notices(child: str, school: str, language: Language) -> dict[str, Sample]:
    """Notices to the family (issue 17): replies, declines, decisions, alerts."""
    return {
        "message_reply": ({"child_name": child, "school_name": school}, {}),
        "appointment_declined": (
            {
                "child_name": child,
                "purpose": "school_certificate",
                "school_name": school,
                "note": REJECTION_NOTE[language],
            },
            {},
        ),
        "justification_decided": (
            {
                "child_name": child,
                "date": "2026-11-23",
                "session": "14:00-16:00",
                "decision": "accepted",
                "note": REJECTION_NOTE[language],
            },
            {},
        ),
        "absence_unjustified": (
            {
                "child_name": child,
                "date": "2026-11-23",
                "session": "afternoon",
                "subject": SUBJECT[language],
            },
            {},
        ),
        "absence_cancelled": (
            {"child_name": child, "date": "2026-11-23", "session": "afternoon"},
            {},
        ),
        "behaviour_note": (
            {
                "child_name": child,
                "behaviour": "missing_work",
                "date": "2026-11-23",
                "description": REJECTION_NOTE[language],
                "action": REJECTION_NOTE[language],
            },
            {},
        ),
        "marks_drop": (
            {
                "child_name": child,
                "subject": SUBJECT[language],
                "semester": "2",
                "school_year": "2026-2027",
                "average": "10.00",
                "previous": "14.25",
            },
            {},
        ),
    }


def longest_params(template: str, language: Language) -> Sample:
    """(params, secret_params) with the longest realistic values for `template`."""
    child = CHILD_NAME[language]
    school = SCHOOL_NAME[language]
    table: dict[str, Sample] = {}
    for part in (_accounts, _registration, _school_life, _notices):
        table.update(part(child, school, language))
    return table[template]
