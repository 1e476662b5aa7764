"""A candidate's convocation: one A4 page, Arabic (right to left) then French — the exam,
the candidate (names, Massar code, candidate number, track), the centre, the calendar of
the candidate's track, and what to bring.

fpdf2 shapes the Arabic with HarfBuzz and the Amiri font (as the credential letters do),
imported on first use only: a convocation is printed once or twice per candidate.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.pdf import amiri_document

AR_TITLE = "استدعاء لاجتياز الامتحان"
FR_TITLE = "Convocation à l'examen"
AR_ADVICE = (
    "يرجى الحضور إلى مركز الامتحان قبل بداية كل مادة بثلاثين دقيقة، "
    "مع هذا الاستدعاء وبطاقة التعريف."
)
FR_ADVICE = (
    "Présentez-vous au centre d'examen trente minutes avant chaque épreuve, "
    "avec cette convocation et une pièce d'identité."
)


def _document() -> Any:
    pdf = amiri_document("Massar - convocation", page_break_margin=12)
    pdf.add_page()
    return pdf


def _ar(pdf: Any, text: str, size: int = 12, bold: bool = False) -> None:
    pdf.set_font("Amiri", "B" if bold else "", size)
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
    pdf.multi_cell(0, size * 0.6, text, align="R", new_x="LMARGIN", new_y="NEXT")


def _fr(pdf: Any, text: str, size: int = 11, bold: bool = False) -> None:
    pdf.set_font("Amiri", "B" if bold else "", size)
    pdf.set_text_shaping(False)
    pdf.multi_cell(0, size * 0.6, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _latin_row(pdf: Any, cells: list[tuple[str, float]]) -> None:
    """A row of the calendar table: date and hours are Latin digits, read either way."""
    pdf.set_text_shaping(False)
    pdf.set_font("Amiri", "", 10)
    for text, width in cells:
        pdf.cell(width, 7, text, border=1)
    pdf.ln(7)


def _calendar(pdf: Any, calendar: list[dict[str, str]]) -> None:
    pdf.set_font("Amiri", "B", 10)
    pdf.set_text_shaping(False)
    for head, width in (("Date", 30), ("Horaire", 40), ("Épreuve", 60)):
        pdf.cell(width, 7, head, border=1)
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
    pdf.cell(0, 7, "المادة", border=1, align="R")
    pdf.ln(7)
    for slot in calendar:
        hours = f"{slot.get('starts_at', '')}-{slot.get('ends_at', '')}"
        _latin_row(pdf, [(slot.get("date", ""), 30), (hours, 40), (slot.get("name_fr", ""), 60)])
        pdf.set_xy(pdf.l_margin + 130, pdf.get_y() - 7)
        pdf.set_font("Amiri", "", 10)
        pdf.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="arab", language="ara"
        )
        pdf.cell(0, 7, slot.get("name_ar", ""), border=1, align="R")
        pdf.ln(7)


def render_convocation(massar_code: str, view: dict[str, Any], exam: dict[str, str]) -> bytes:
    """The page, from the pupil's exam view and item (the names are the pupil record's,
    copied at the candidates' import)."""
    pdf = _document()
    centre = view["centre"]
    name_ar = f"{exam.get('first_name_ar', '')} {exam.get('last_name_ar', '')}".strip()
    name_lat = f"{exam.get('first_name_lat', '')} {exam.get('last_name_lat', '')}".strip()
    _ar(pdf, "المملكة المغربية - وزارة التربية الوطنية", 12)
    _ar(pdf, f"{AR_TITLE}: {view['name_ar']}", 16, bold=True)
    _fr(pdf, f"{FR_TITLE} : {view['name_fr']} ({view['school_year']})", 14, bold=True)
    pdf.ln(3)
    _ar(pdf, f"الاسم: {name_ar or '-'}")
    _ar(pdf, f"رقم الامتحان: {view['candidate_number']}")
    _ar(pdf, f"المسلك: {view['track']}")
    _ar(pdf, f"مركز الامتحان: {centre['name_ar']}")
    _fr(pdf, f"Candidat : {name_lat or '-'}   Code Massar : {massar_code}")
    _fr(pdf, f"N° d'examen : {view['candidate_number']}   Filière : {view['track']}")
    _fr(pdf, f"Centre d'examen : {centre['name_fr']} ({centre['code']})")
    pdf.ln(3)
    _calendar(pdf, view["calendar"])
    pdf.ln(4)
    _ar(pdf, AR_ADVICE, 11)
    _fr(pdf, FR_ADVICE, 10)
    return bytes(pdf.output())
