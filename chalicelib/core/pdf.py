"""One A4 document (millimetres) with the Amiri font, regular and bold, for the printed
pages: credential letters, convocations, report cards. fpdf2 shapes the Arabic with
HarfBuzz; it and the font are imported on first use only."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def amiri_font_files() -> tuple[str, str]:
    from pathlib import Path

    import fontpkg_amiri

    folder = Path(fontpkg_amiri.__file__).parent / "files"
    return str(folder / "Amiri-Regular.ttf"), str(folder / "Amiri-Bold.ttf")


def amiri_document(title: str, page_break_margin: float | None) -> Any:
    """An A4 FPDF with Amiri added; `page_break_margin` None: no automatic page break."""
    from fpdf import FPDF

    regular, bold = amiri_font_files()
    pdf = FPDF(format="A4", unit="mm")
    if page_break_margin is None:
        pdf.set_auto_page_break(auto=False)
    else:
        pdf.set_auto_page_break(auto=True, margin=page_break_margin)
    pdf.add_font("Amiri", "", regular)
    pdf.add_font("Amiri", "B", bold)
    pdf.set_title(title)
    return pdf
