"""Credential letters (seed 000): one A4 page per account with the username, the initial
code, how to activate and the safety advice, in Arabic (right to left) and French.

fpdf2 shapes Arabic with HarfBuzz (uharfbuzz) and the Amiri font; both are imported on
first use only — letters are printed at the start of the year, not on every request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core.pdf import amiri_document

ACTIVATION_URL = "https://massar.men.gov.ma"


@dataclass(frozen=True)
class Letter:
    username: str
    initial_code: str
    holder_name_ar: str
    holder_name_fr: str
    role: str  # "student" or "parent"
    school_name: str  # in French
    class_label: str = ""
    school_name_ar: str = ""
    issued_on: str = ""  # dd/mm/yyyy, the day the code was issued


AR_TITLE = {"student": "ورقة الولوج إلى فضاء التلميذ", "parent": "ورقة الولوج إلى فضاء الأولياء"}
FR_TITLE = {"student": "Accès à l'espace élève", "parent": "Accès à l'espace parents"}

AR_STEPS = [
    "اسم المستخدم: {username}",
    "الرمز الأولي: {initial_code}",
    "هذا الرمز غير مفعل: ادخلوا إلى الموقع أسفله واختاروا «تفعيل الحساب».",
    "أدخلوا اسم المستخدم والرمز الأولي ومعلوماتكم الشخصية، ثم اختاروا كلمة مرور جديدة.",
]
AR_ADVICE = [
    "لا تطلعوا أحدا على هذا الرمز ولا على كلمة المرور.",
    "اختاروا كلمة مرور من 12 حرفا على الأقل تجمع بين الحروف والأرقام والرموز، ولا تتضمن اسمكم.",
    "احتفظوا بهذه الورقة في مكان آمن أو أتلفوها بعد التفعيل.",
    "في حالة النسيان، يمكن لإدارة المؤسسة إعادة الرمز الأولي.",
]
FR_STEPS = [
    "Identifiant : {username}",
    "Code initial : {initial_code}",
    "Ce code est inactif : rendez-vous sur le site ci-dessous, rubrique « Activer mon compte ».",
    "Saisissez l'identifiant, le code initial et vos informations, puis choisissez un "
    "nouveau mot de passe.",
]
FR_ADVICE = [
    "Ne communiquez jamais ce code ni votre mot de passe.",
    "Choisissez au moins 12 caractères mêlant lettres, chiffres et symboles, sans votre nom.",
    "Gardez cette feuille en lieu sûr, ou détruisez-la après l'activation.",
    "En cas d'oubli, l'administration de l'établissement peut rétablir le code initial.",
]


# A slot of a page that differs from letter to letter: what it shows, where, and how.
@dataclass(frozen=True)
class _Slot:
    name: str  # a Letter attribute, or "step:<n>:<lang>" for a line with a value in it
    y: float
    size: int
    bold: bool
    height: float
    arabic: bool
    label_width: float = 0.0  # of the Arabic label a value stands left of, shaped once


@dataclass
class _Layout:
    """Everything a page prints that is the same for every letter of a kind (the school,
    the date, the role's title, the steps and the advice), drawn and shaped once: later
    pages of that kind copy its content stream and draw only the slots. Shaping Arabic is
    nine tenths of a page's cost, and a class prints 80 pages of the same text."""

    content: bytes = b""
    slots: list[_Slot] = field(default_factory=list)


def _arabic(pdf: Any, text: str, size: int, bold: bool = False, height: float = 9) -> None:
    pdf.set_font("Amiri", "B" if bold else "", size)
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
    _line(pdf, text, height, "R")


def _latin(
    pdf: Any, text: str, size: int, bold: bool = False, height: float = 7, align: str = "L"
) -> None:
    # French needs no shaping engine; skipping it halves the page's rendering time. The
    # address, too, goes unshaped on a line of its own: inside Arabic the bidi algorithm
    # turned it into "ma.gov.men.massar://https" with Amiri's diamond full stops.
    pdf.set_font("Amiri", "B" if bold else "", size)
    pdf.set_text_shaping(False)
    _line(pdf, text, height, align)


def _line(pdf: Any, text: str, height: float, align: str) -> None:
    """One line when it fits (much cheaper), else a wrapped paragraph."""
    if pdf.get_string_width(text) <= pdf.epw:
        pdf.cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")


def _slot(
    pdf: Any, layout: _Layout, name: str, size: int, *, bold: bool, height: float, arabic: bool
) -> None:
    layout.slots.append(_Slot(name, pdf.get_y(), size, bold, height, arabic))
    pdf.set_xy(pdf.l_margin, pdf.get_y() + height)


def _arabic_label(pdf: Any, layout: _Layout, number: int, size: int) -> None:
    """ "اسم المستخدم: …": the Arabic label, shaped once, against the right margin; the value
    (Latin) is a slot set to its left."""
    label = AR_STEPS[number].split("{", 1)[0].rstrip()
    y = pdf.get_y()
    _arabic(pdf, label, size, bold=True)
    width = pdf.get_string_width(label)
    layout.slots.append(_Slot(f"step:{number}:ar", y, size, True, 9, False, width))


def _draw_layout(pdf: Any, letter: Letter) -> _Layout:
    layout = _Layout()
    _arabic(pdf, "المملكة المغربية - وزارة التربية الوطنية - منظومة مسار", 12, bold=True)
    if letter.school_name_ar:
        _arabic(pdf, letter.school_name_ar, 12)
    _latin(pdf, f"{letter.school_name}  {letter.class_label}".strip(), 11)
    if letter.issued_on:
        _arabic(pdf, f"تاريخ الإصدار: {letter.issued_on}", 11, height=7)
        _latin(pdf, f"Date d'émission : {letter.issued_on}", 11)
    pdf.ln(2)
    _arabic(pdf, AR_TITLE.get(letter.role, AR_TITLE["parent"]), 18, bold=True, height=11)
    _slot(pdf, layout, "holder_name_ar", 14, bold=False, height=9, arabic=True)
    for number, line in enumerate(AR_STEPS):
        if number < 2:
            _arabic_label(pdf, layout, number, 15)
            continue
        _arabic(pdf, line, 13)
        if number == 2:
            _latin(pdf, ACTIVATION_URL, 14, bold=True, height=8, align="R")
    _arabic(pdf, "نصائح للسلامة", 13, bold=True)
    for line in AR_ADVICE:
        _arabic(pdf, "• " + line, 12, height=8)
    pdf.ln(4)
    pdf.line(15, pdf.get_y(), 195, pdf.get_y())
    pdf.ln(4)
    _latin(pdf, FR_TITLE.get(letter.role, FR_TITLE["parent"]), 16, bold=True, height=9)
    _slot(pdf, layout, "holder_name_fr", 12, bold=False, height=7, arabic=False)
    for number, line in enumerate(FR_STEPS):
        if number < 2:
            _slot(pdf, layout, f"step:{number}:fr", 14, bold=True, height=7, arabic=False)
            continue
        _latin(pdf, line, 12)
        if number == 2:
            _latin(pdf, ACTIVATION_URL, 13, bold=True)
    _latin(pdf, "Conseils de sécurité", 12, bold=True)
    for line in FR_ADVICE:
        _latin(pdf, "• " + line, 11, height=6)
    return layout


def _fill(pdf: Any, slot: _Slot, letter: Letter) -> None:
    values = {"username": letter.username, "initial_code": letter.initial_code}
    kind, _, rest = slot.name.partition(":")
    pdf.set_xy(pdf.l_margin, slot.y)
    if kind != "step":
        text = str(getattr(letter, slot.name))
        if slot.arabic:
            _arabic(pdf, text, slot.size, bold=slot.bold, height=slot.height)
        else:
            _latin(pdf, text, slot.size, bold=slot.bold, height=slot.height)
        return
    number, language = int(rest.split(":")[0]), rest.split(":")[1]
    if language == "fr":
        _latin(pdf, FR_STEPS[number].format(**values), slot.size, bold=True, height=slot.height)
        return
    # The Latin value, left of its Arabic label (which was shaped with the layout).
    value = AR_STEPS[number].split(":", 1)[1].strip().format(**values)
    pdf.set_font("Amiri", "B", slot.size)
    pdf.set_text_shaping(False)
    width = pdf.get_string_width(value) + 1
    right = pdf.l_margin + pdf.epw - slot.label_width - pdf.get_string_width(" ")
    pdf.set_xy(right - width, slot.y)
    pdf.cell(width, slot.height, value, align="R")


def _page(pdf: Any, letter: Letter, layouts: dict[tuple[str, ...], _Layout]) -> None:
    pdf.add_page()
    kind = (
        letter.role,
        letter.school_name,
        letter.school_name_ar,
        letter.class_label,
        letter.issued_on,
    )
    contents = pdf.pages[pdf.page].contents
    layout = layouts.get(kind)
    if layout is None:
        start = len(contents)
        layout = _draw_layout(pdf, letter)
        layout.content = bytes(contents[start:])
        layouts[kind] = layout
    else:
        contents.extend(layout.content)
        # The copied stream changed the font behind fpdf2's back: make it select again.
        pdf.current_font_is_set_on_page = False
    for slot in layout.slots:
        _fill(pdf, slot, letter)


def render_letters(letters: Sequence[Letter]) -> bytes:
    """One PDF, one page per letter, in the order given (callers group them per class)."""
    pdf = amiri_document("Massar", page_break_margin=None)
    layouts: dict[tuple[str, ...], _Layout] = {}
    for letter in letters:
        _page(pdf, letter, layouts)
    return bytes(pdf.output())
