"""The credential letter as printed: an A4 page per account, French and Arabic, with the
Arabic shaped (letters joined, right to left), checked on the rendered image."""

from __future__ import annotations

from collections import deque
from typing import Any

import pypdfium2
import pytest

from chalicelib.accounts.issuance.letter_pdf import Letter, render_letters

LETTER = Letter(
    username="J130012345",
    initial_code="Pk7mP9qRst",
    holder_name_ar="أمينة العلوي",
    holder_name_fr="Amina El Alaoui",
    role="student",
    school_name="Collège Ibn Battouta",
    class_label="1AC-3",
)


def page_image(pdf: bytes, index: int = 0) -> Any:
    return pypdfium2.PdfDocument(pdf)[index].render(scale=2).to_pil().convert("L")


def first_text_line(image: Any) -> Any:
    """The first band of rows with ink: the letter's Arabic heading."""
    width, height = image.size
    pixels = image.load()
    inked = [any(pixels[x, y] < 128 for x in range(0, width, 2)) for y in range(height)]
    top = inked.index(True)
    bottom = top
    while bottom < height and inked[bottom]:
        bottom += 1
    return image.crop((0, top, width, bottom))


def ink_components(image: Any) -> int:
    """Connected blobs of ink: joined Arabic letters make one blob per word part."""
    width, height = image.size
    pixels = image.load()
    seen = [[False] * width for _ in range(height)]
    count = 0
    for y in range(height):
        for x in range(width):
            if seen[y][x] or pixels[x, y] >= 128:
                continue
            count += 1
            queue = deque([(x, y)])
            seen[y][x] = True
            while queue:
                cx, cy = queue.popleft()
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    inside = 0 <= nx < width and 0 <= ny < height
                    if inside and not seen[ny][nx] and pixels[nx, ny] < 128:
                        seen[ny][nx] = True
                        queue.append((nx, ny))
    return count


def test_one_page_per_account_with_both_languages() -> None:
    pdf = render_letters([LETTER, LETTER])
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) == 2
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = document[0].get_textpage().get_text_range()
    assert "Identifiant : J130012345" in text
    assert "Code initial : Pk7mP9qRst" in text
    assert "Ne communiquez jamais ce code" in text


def test_the_arabic_is_shaped_not_isolated_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    shaped = first_text_line(page_image(render_letters([LETTER])))
    from fpdf import FPDF

    original = FPDF.set_text_shaping

    def without_shaping(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, use_shaping_engine=False)

    monkeypatch.setattr(FPDF, "set_text_shaping", without_shaping)
    isolated = first_text_line(page_image(render_letters([LETTER])))
    shaped_blobs, isolated_blobs = ink_components(shaped), ink_components(isolated)
    # "المملكة المغربية - وزارة التربية الوطنية - منظومة مسار": joined, the heading is a
    # handful of word parts (plus dots); isolated, every letter stands alone.
    assert shaped_blobs < 0.75 * isolated_blobs, (shaped_blobs, isolated_blobs)
    # Right to left: the heading is set against the right margin.
    width = shaped.size[0]
    columns = [
        x for x in range(width) if any(shaped.load()[x, y] < 128 for y in range(shaped.size[1]))
    ]
    assert columns[-1] > 0.85 * width and columns[0] > 0.3 * width


def test_the_letter_reads_the_address_names_the_school_in_both_languages_and_is_dated() -> None:
    """Issue 15: inside Arabic the address came out as "ma.gov.men.massar://https" with
    diamond full stops; the school was named in French only; there was no issue date."""
    letter = Letter(
        **{
            **LETTER.__dict__,
            "school_name_ar": "إعدادية ابن بطوطة",
            "issued_on": "01/12/2026",
        }
    )
    text = pypdfium2.PdfDocument(render_letters([letter]))[0].get_textpage().get_text_range()
    lines = [line.strip() for line in text.splitlines()]
    assert lines.count("https://massar.men.gov.ma") == 2, lines  # its own line, both halves
    assert "ma.gov.men" not in text
    assert "إعدادية ابن بطوطة" in text and "Collège Ibn Battouta" in text
    assert "Date d'émission : 01/12/2026" in lines
    assert any("تاريخ الإصدار" in line and "2026" in line for line in lines), lines


def test_every_page_of_a_class_prints_its_own_letter_whole() -> None:
    """Pages after the first copy the shaped text common to their kind and draw only what is
    the letter's own: each must look exactly as that letter printed alone."""
    school = {"school_name_ar": "إعدادية ابن بطوطة", "issued_on": "01/12/2026"}
    letters = [
        Letter(
            **{
                **LETTER.__dict__,
                **school,
                "username": f"J13001234{n}",
                "initial_code": f"Code{n}xyzPQ",
                "holder_name_ar": ("أمينة العلوي", "يوسف بنعلي")[n % 2],
                "holder_name_fr": ("Amina El Alaoui", "Youssef Benali")[n % 2],
                "role": ("student", "parent")[n % 2],
            }
        )
        for n in range(5)
    ]
    document = pypdfium2.PdfDocument(render_letters(letters))
    assert len(document) == 5
    for index, letter in enumerate(letters):
        text = document[index].get_textpage().get_text_range()
        assert f"Identifiant : {letter.username}" in text
        assert f"Code initial : {letter.initial_code}" in text
        assert "Conseils de sécurité" in text and "نصائح للسلامة" in text
        for other in letters:
            if other.username != letter.username:
                assert other.username not in text
        alone = page_image(render_letters([letter]))
        assert alone.tobytes() == document[index].render(scale=2).to_pil().convert("L").tobytes()
