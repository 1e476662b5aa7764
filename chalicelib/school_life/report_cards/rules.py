"""Which semester a day of a school year falls in, and the words of a bulletin (pure).

Moroccan school years have two semesters: the first from the start of the year to the end
of January, the second from February to the end of the year.
"""

from __future__ import annotations

SEMESTERS = (1, 2)


def semester_of(day: str) -> int:
    """`2026-11-23` → 1, `2027-02-03` → 2 (a day `YYYY-MM-DD` of a school year)."""
    month = int(day[5:7])
    return 1 if month >= 9 or month == 1 else 2


COUNCIL_DECISIONS = {
    "promoted": ("Admis(e) au niveau supérieur", "ناجح(ة) إلى المستوى الموالي"),
    "repeats": ("Redouble", "مكرر(ة)"),
    "leaves": ("Quitte l'établissement", "يغادر(تغادر) المؤسسة"),
}


def decision_words(decision: str) -> tuple[str, str]:
    """(French, Arabic) words of a year-end decision; an unknown code as it is."""
    return COUNCIL_DECISIONS.get(decision, (decision, decision))
