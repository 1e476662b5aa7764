"""The report card as printed: one A4 page (more for a long list), Arabic and French side by
side — the school, the pupil, a table of subjects (French name, marks, coefficient,
average, Arabic name), the semester average, the absences and the council's decision.

fpdf2 shapes the Arabic with HarfBuzz and the Amiri font (as the credential letters do),
imported on first use. Arabic is never mixed with Latin or digits in one shaped run (the
run is laid right to left whole): a figure stands in its own cell beside its Arabic label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.core.pdf import amiri_document

SEMESTER_FR = {1: "1er semestre", 2: "2e semestre"}
SEMESTER_AR = {1: "الدورة الأولى", 2: "الدورة الثانية"}
# Column widths (mm) of the subjects' table: 180 mm between the margins.
COLUMNS = (50.0, 52.0, 16.0, 18.0, 44.0)
ROW = 7.0


@dataclass(frozen=True)
class SubjectLine:
    name_fr: str
    name_ar: str
    marks: tuple[str, ...]  # "12.50" or "absent"
    coefficient: str
    average: str | None


@dataclass(frozen=True)
class ReportCard:
    massar_code: str
    name_ar: str
    name_lat: str
    class_label: str
    school_name_fr: str
    school_name_ar: str
    school_year: str
    semester: int
    subjects: tuple[SubjectLine, ...]
    average: str | None
    justified: int
    unjustified: int
    decision: tuple[str, str] | None  # (French, Arabic) words of the year-end decision
    issued_on: str  # dd/mm/yyyy


def _document() -> Any:
    pdf = amiri_document("Massar - bulletin", page_break_margin=15)
    pdf.set_margins(15, 12, 15)
    pdf.add_page()
    return pdf


def _font(pdf: Any, size: float, bold: bool, arabic: bool) -> None:
    pdf.set_font("Amiri", "B" if bold else "", size)
    if arabic:
        pdf.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="arab", language="ara"
        )
    else:
        pdf.set_text_shaping(False)  # French needs no shaping: twice as fast


def _line(pdf: Any, text: str, size: float, *, arabic: bool, bold: bool = False) -> None:
    _font(pdf, size, bold, arabic)
    pdf.multi_cell(
        0, size * 0.55, text, align="R" if arabic else "L", new_x="LMARGIN", new_y="NEXT"
    )


def _fitted(pdf: Any, text: str, width: float) -> str:
    """The text cut (with "...") to fit a cell of `width` in the current font."""
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "...") > width - 2:
        text = text[:-1]
    return text.rstrip() + "..."


def _cell(
    pdf: Any, width: float, text: str, *, arabic: bool = False, bold: bool = False, align: str = ""
) -> None:
    _font(pdf, 10, bold, arabic)
    shown = _fitted(pdf, text, width)
    pdf.cell(width, ROW, shown, border=1, align=align or ("R" if arabic else "C"))


def _marks_text(marks: tuple[str, ...]) -> str:
    return "  ".join("abs" if m == "absent" else m for m in marks)


def _header(pdf: Any, card: ReportCard) -> None:
    _line(pdf, "المملكة المغربية - وزارة التربية الوطنية - منظومة مسار", 12, arabic=True, bold=True)
    if card.school_name_ar:
        _line(pdf, card.school_name_ar, 12, arabic=True)
    _line(pdf, card.school_name_fr, 11, arabic=False)
    pdf.ln(2)
    _line(pdf, f"بيان النقط - {SEMESTER_AR[card.semester]}", 16, arabic=True, bold=True)
    _line(
        pdf,
        f"Bulletin de notes - {SEMESTER_FR[card.semester]} {card.school_year}",
        14,
        arabic=False,
        bold=True,
    )
    pdf.ln(1)
    _line(pdf, f"التلميذ(ة): {card.name_ar}", 12, arabic=True)
    _line(
        pdf,
        f"Élève : {card.name_lat}  -  Code Massar : {card.massar_code}  -  "
        f"Classe : {card.class_label}",
        11,
        arabic=False,
    )
    pdf.ln(3)


def _table(pdf: Any, card: ReportCard) -> None:
    first, marks, coefficient, average, arabic = COLUMNS
    pdf.set_fill_color(235, 235, 235)
    for french_labels, arabic_label in (
        (("Matière", "Notes", "Coef.", "Moyenne"), "المادة"),
        (("", "النقط", "المعامل", "المعدل"), ""),
    ):
        for width, label in zip((first, marks, coefficient, average), french_labels, strict=True):
            is_arabic = any("\u0600" <= ch <= "\u06ff" for ch in label)
            _cell(pdf, width, label, arabic=is_arabic, bold=True, align="C")
        _cell(pdf, arabic, arabic_label, arabic=True, bold=True, align="C")
        pdf.ln(ROW)
    for subject in card.subjects:
        if pdf.will_page_break(ROW):
            pdf.add_page()
        _cell(pdf, first, subject.name_fr, align="L")
        _cell(pdf, marks, _marks_text(subject.marks))
        _cell(pdf, coefficient, subject.coefficient)
        _cell(pdf, average, subject.average or "-", bold=True)
        _cell(pdf, arabic, subject.name_ar, arabic=True)
        pdf.ln(ROW)
    pdf.ln(3)


def _summary_row(pdf: Any, french: str, value: str, arabic: str) -> None:
    _cell(pdf, 75, french, align="L", bold=True)
    _cell(pdf, 30, value, bold=True)
    _cell(pdf, 75, arabic, arabic=True, bold=True)
    pdf.ln(ROW)


def _summary(pdf: Any, card: ReportCard) -> None:
    _summary_row(pdf, "Moyenne du semestre (/20)", card.average or "-", "معدل الدورة")
    total = card.justified + card.unjustified
    _summary_row(pdf, "Absences", str(total), "الغياب")
    _summary_row(pdf, "dont justifiées", str(card.justified), "منها المبررة")
    _summary_row(pdf, "dont non justifiées", str(card.unjustified), "منها غير المبررة")
    pdf.ln(3)
    if card.decision is not None:
        french, arabic = card.decision
        _line(pdf, f"قرار مجلس القسم: {arabic}", 12, arabic=True, bold=True)
        _line(pdf, f"Décision du conseil de classe : {french}", 11, arabic=False, bold=True)
        pdf.ln(2)
    _line(pdf, f"Édité le {card.issued_on} depuis l'espace Massar.", 9, arabic=False)


def render(card: ReportCard) -> bytes:
    pdf = _document()
    _header(pdf, card)
    _table(pdf, card)
    _summary(pdf, card)
    return bytes(pdf.output())
