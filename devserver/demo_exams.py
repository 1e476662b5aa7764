"""Demo data of the national and regional exams: Amina (1AC-1 at CL4501) is a candidate of
a regional exam of the school year, with her centre, her track's calendar and a result
published yesterday, so the family space's exams tab shows every part. (A regional exam of
3AC for a 1AC pupil: the demo writes the items itself, past the import's level check.)"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from chalicelib.core.clock import zone
from chalicelib.exams import rules, store

AMINA = "J130012345"
CENTRE = ("CE4501", "ثانوية مولاي يوسف", "Lycée Moulay Youssef (Rabat)")


def _calendar(first_day: date) -> list[dict[str, str]]:
    subjects = (
        ("MATH", "الرياضيات", "Mathématiques", "08:30", "10:30"),
        ("AR", "اللغة العربية", "Langue arabe", "11:00", "12:30"),
        ("FR", "اللغة الفرنسية", "Langue française", "08:30", "10:00"),
        ("PC", "الفيزياء والكيمياء", "Physique-chimie", "10:30", "11:30"),
    )
    return [
        {
            "track": "GEN",
            "subject": code,
            "name_ar": name_ar,
            "name_fr": name_fr,
            "date": (first_day + timedelta(days=n // 2)).isoformat(),
            "starts_at": start,
            "ends_at": end,
        }
        for n, (code, name_ar, name_fr, start, end) in enumerate(subjects)
    ]


def load_exams(today: date) -> None:
    year = today.year if today.month >= 9 else today.year - 1
    school_year = f"{year}-{year + 1}"
    session_id = rules.session_id("regional", school_year, "3AC", "04")
    calendar = _calendar(today - timedelta(days=10))
    results_at = datetime.combine(today - timedelta(days=1), time(10, 0), tzinfo=zone())
    session = {
        "id": session_id,
        "kind": "regional",
        "school_year": school_year,
        "level": "3AC",
        "academy": "04",
        "name_ar": "الامتحان الجهوي الموحد للسنة الثالثة إعدادي",
        "name_fr": "Examen régional normalisé de 3e année du collège",
        "results_at": results_at.isoformat(),
        "calendar": rules.dumps(calendar),
    }
    if not store.create_session(session_id, session):
        return
    exam = {name: str(session[name]) for name in ("kind", "school_year", "level", "academy")}
    exam |= {
        "name_ar": session["name_ar"],
        "name_fr": session["name_fr"],
        "results_at": session["results_at"],
        "session": session_id,
        "school_code": "CL4501",
        "first_name_ar": "أمينة",
        "last_name_ar": "العلوي",
        "first_name_lat": "Amina",
        "last_name_lat": "El Alaoui",
        "track": "GEN",
        "centre_code": CENTRE[0],
        "centre_name_ar": CENTRE[1],
        "centre_name_fr": CENTRE[2],
        "candidate_number": "450117",
        "calendar": rules.dumps(rules.calendar_of_track(calendar, "GEN")),
        "result": rules.dumps({"decision": "admitted", "average": "14.75", "mention": "bien"}),
    }
    store.put_exams(session_id, {AMINA: exam})
