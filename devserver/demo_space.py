"""Demo school life for the parents' and pupils' space: subjects, tests with marks, an
upcoming exam, absences (one unjustified, one justified) and a week's timetable for each of
the demo parent's two children, in two schools."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.accounts.audit.rules import Origin
from chalicelib.accounts.rules import Role, Scope
from chalicelib.accounts.sign_in.tokens import Principal

SUBJECTS = [
    ("arabic", "اللغة العربية", "Arabe", 3),
    ("french", "اللغة الفرنسية", "Français", 3),
    ("maths", "الرياضيات", "Mathématiques", 4),
]
# (school, class, level, pupil, marks per subject for two tests of semester 1)
CHILDREN = [
    (
        "CL4501",
        "1AC-1",
        "1AC",
        "J130012345",
        {"arabic": ("15.5", "14"), "french": ("12.25", "13"), "maths": ("16", "absent")},
    ),
    (
        "EP0007",
        "1AP-1",
        "1AP",
        "K140000001",
        {"arabic": ("17", "18.5"), "french": ("14", "15.75"), "maths": ("19", "18")},
    ),
]


def school_year_of(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def load_school_life(today: date) -> None:
    from chalicelib.school_life.absences import service as absences
    from chalicelib.school_life.marks import service as marks
    from chalicelib.school_life.timetable import service as timetable

    year = school_year_of(today)
    for school, class_id, level, massar, pupil_marks in CHILDREN:
        staff = Principal(f"dir.{school.lower()}", Role.STAFF, Scope(school_code=school))
        marks.replace_subjects(
            staff,
            school,
            [
                {"level": level, "subject": s, "name_ar": ar, "name_fr": fr, "coefficient": c}
                for s, ar, fr, c in SUBJECTS
            ],
        )
        for subject, values in pupil_marks.items():
            for number, value in enumerate(values):
                test = marks.create_assessment(
                    staff,
                    school,
                    class_id,
                    {
                        "subject": subject,
                        "kind": "continuous",
                        "date": (today - timedelta(days=30 - 10 * number)).isoformat(),
                        "semester": 1,
                        "school_year": year,
                    },
                )
                marks.put_marks(
                    staff, Origin("demo"), test["id"], [{"massar_code": massar, "mark": value}]
                )
        marks.create_assessment(
            staff,
            school,
            class_id,
            {
                "subject": "maths",
                "kind": "local_exam",
                "date": (today + timedelta(days=14)).isoformat(),
                "semester": 1,
                "school_year": year,
            },
        )
        absences.record(
            staff,
            school,
            class_id,
            today - timedelta(days=3),
            "08:00-09:00",
            "maths",
            [absences.AbsenceEntry(massar, justified=False)],
        )
        absences.record(
            staff,
            school,
            class_id,
            today - timedelta(days=10),
            "10:00-11:00",
            "french",
            [absences.AbsenceEntry(massar, justified=True, reason="certificat médical")],
        )
        timetable.put(
            staff,
            school,
            class_id,
            [
                {"day": day, "start": start, "end": end, "subject": subject, "room": room}
                for day in range(1, 6)
                for start, end, subject, room in (
                    ("08:00", "09:00", "arabic", "S1"),
                    ("09:00", "10:00", "maths", "S2"),
                    ("10:00", "11:00", "french", "S1"),
                )
            ],
        )
