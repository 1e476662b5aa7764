"""Report cards (issue 17): a semester's bulletin as a PDF in Arabic and French — marks per
subject, averages with their coefficients, the semester average, the absences and the
council's decision — behind a short-lived link, for the pupil, a linked parent and staff of
the pupil's school only (a director of another school gets 404, whatever they wrote)."""

from __future__ import annotations

from typing import Any

import pypdfium2
import pytest

from chalicelib.school_life.absences.service import school_year_of
from tests.conftest import Api
from tests.space_absences_fixtures import absence_day, record, seed_class
from tests.space_fixtures import CALLERS, OTHER_PUPIL, OTHER_SCHOOL, PUPIL, SCHOOL, token

YEAR = school_year_of(absence_day())  # the absence fixture's school year
SUBJECTS = [
    {"level": "1AC", "subject": "MATH", "name_ar": "الرياضيات", "name_fr": "Mathématiques",
     "coefficient": 4},
    {"level": "1AC", "subject": "FR", "name_ar": "اللغة الفرنسية", "name_fr": "Français",
     "coefficient": 3},
    {"level": "1AC", "subject": "SVT", "name_ar": "علوم الحياة والأرض",
     "name_fr": "Sciences de la vie et de la Terre", "coefficient": 2},
]  # fmt: skip


def assess(
    api: Api, school: str, subject: str, day: str, semester: int, marks: dict[str, str]
) -> None:
    staff = token("staff of the school" if school == SCHOOL else "staff of another school")
    created = api.post(
        f"/v1/schools/{school}/classes/1AC-1/assessments",
        {"subject": subject, "kind": "continuous", "date": day, "semester": semester,
         "school_year": YEAR},
        token=staff,
    )  # fmt: skip
    assert created.status_code == 201, created.body
    rows = [{"massar_code": code, "mark": mark} for code, mark in marks.items()]
    put = api.call(
        "PUT", f"/v1/assessments/{created.json_body['id']}/marks", {"marks": rows}, token=staff
    )
    assert put.status_code == 200, put.body


def day(month: int, date: int) -> str:
    first = int(YEAR[:4])
    return f"{first if month >= 9 else first + 1}-{month:02d}-{date:02d}"


@pytest.fixture
def school(api: Api) -> Api:
    from chalicelib.schools.rules import SchoolData
    from chalicelib.schools.store import save_school

    seed_class()
    save_school(
        SchoolData(
            code=SCHOOL,
            name_ar="إعدادية ابن بطوطة",
            name_fr="Collège Ibn Battouta, Fès",
            cycle="middle",
            sector="public",
            academy="03",
            province="03.231",
            commune="03.231.01.01",
        ),
        None,
        create_only=True,
    )
    staff = token("staff of the school")
    subjects = api.call(
        "PUT", f"/v1/schools/{SCHOOL}/subjects", {"subjects": SUBJECTS}, token=staff
    )
    assert subjects.status_code == 200, subjects.body
    assess(api, SCHOOL, "MATH", day(10, 15), 1, {PUPIL: "12"})
    assess(api, SCHOOL, "MATH", day(12, 10), 1, {PUPIL: "14"})
    assess(api, SCHOOL, "FR", day(10, 20), 1, {PUPIL: "15.5"})
    assess(api, SCHOOL, "FR", day(11, 20), 1, {PUPIL: "absent"})
    assess(api, SCHOOL, "SVT", day(11, 5), 1, {PUPIL: "16"})
    assert record(api).status_code == 200  # one unjustified absence on 23 November
    return api


def card(api: Api, caller: str, semester: str = "1", massar: str = PUPIL) -> Any:
    value = CALLERS[caller]()
    return api.get(f"/v1/students/{massar}/report-cards/{YEAR}/{semester}", token=value)


def pdf_text(massar: str, semester: int) -> str:
    from chalicelib.core import files

    content = files.read(f"report-cards/{massar}/{YEAR}-S{semester}.pdf")
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_the_bulletin_has_the_subjects_averages_absences_and_the_pupil(school: Api) -> None:
    answer = card(school, "a linked parent")
    assert answer.status_code == 200, answer.body
    body = answer.json_body
    assert body["average"] == "11.92"  # (13×4 + 7.75×3 + 16×2) / 9, half up
    assert body["expires_in"] == 300 and body["url"]
    assert body["filename"] == f"bulletin-{PUPIL}-{YEAR}-S1.pdf"
    text = pdf_text(PUPIL, 1)
    for expected in (
        "Amina El Alaoui",
        PUPIL,
        "Collège Ibn Battouta, Fès",
        "Mathématiques",
        "Français",
        "Sciences de la vie et de la Terre",
        "12.00 14.00",
        "15.50 abs",
        "13.00",  # MATH
        "7.75",  # FR: an absence counts 0
        "16.00",  # SVT
        "11.92",  # the semester
        "Bulletin de notes - 1er semestre",
        "dont non justifiées",
    ):
        assert expected in text, expected
    assert "Décision du conseil" not in text  # the first semester has none


def test_the_pdf_is_rendered_again_only_when_what_it_shows_changed(
    school: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.school_life.report_cards import pdf

    rendered: list[str] = []
    original = pdf.render

    def counting(card: Any) -> bytes:
        rendered.append(card.average)
        return original(card)

    monkeypatch.setattr(pdf, "render", counting)
    assert card(school, "a linked parent").status_code == 200
    assert card(school, "the pupil").status_code == 200  # the same bulletin: kept
    assert rendered == ["11.92"]
    assess(school, SCHOOL, "SVT", day(12, 1), 1, {PUPIL: "10"})
    assert card(school, "a linked parent").json_body["average"] == "11.25"
    assert rendered == ["11.92", "11.25"]
    assert "13.00" in pdf_text(PUPIL, 1) and "11.25" in pdf_text(PUPIL, 1)


def test_the_second_semester_carries_the_councils_decision(school: Api) -> None:
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import transfers_store

    assess(school, SCHOOL, "MATH", day(3, 10), 2, {PUPIL: "17"})
    transaction = Transaction()
    transfers_store.put_decision(
        transaction,
        PUPIL,
        YEAR,
        {"massar_code": PUPIL, "school_year": YEAR, "decision": "promoted", "next_level": "2AC"},
    )
    transaction.commit()
    answer = card(school, "the pupil", "2")
    assert answer.status_code == 200, answer.body
    assert answer.json_body["average"] == "17.00"
    text = pdf_text(PUPIL, 2)
    assert "Décision du conseil de classe : Admis(e) au niveau supérieur (2AC)" in text
    assert "2e semestre" in text and "Mathématiques" in text


MATRIX = {
    "the pupil": 200,
    "a linked parent": 200,
    "a parent of another child": 404,
    "staff of the school": 200,
    "staff of another school": 404,
    "an operator": 404,
    "anonymous": 401,
}


@pytest.mark.parametrize(("caller", "status"), MATRIX.items())
def test_who_may_get_the_report_card(school: Api, caller: str, status: int) -> None:
    assert card(school, caller).status_code == status


def test_a_director_of_another_school_gets_nothing_even_after_writing_there(
    school: Api,
) -> None:
    staff_b = token("staff of another school")
    subjects = school.call(
        "PUT", f"/v1/schools/{OTHER_SCHOOL}/subjects", {"subjects": SUBJECTS}, token=staff_b
    )
    assert subjects.status_code == 200, subjects.body
    assess(school, OTHER_SCHOOL, "MATH", day(10, 15), 1, {OTHER_PUPIL: "9"})
    assert card(school, "staff of another school").status_code == 404
    assert card(school, "staff of another school", massar=OTHER_PUPIL).status_code == 200
    assert card(school, "staff of the school", massar=OTHER_PUPIL).status_code == 404


def test_a_semester_without_marks_or_a_wrong_path(school: Api) -> None:
    assert card(school, "a linked parent", "2").status_code == 404
    assert card(school, "a linked parent", "3").status_code == 422
    wrong = school.get(f"/v1/students/{PUPIL}/report-cards/2026/1", token=token("a linked parent"))
    assert wrong.status_code == 422
