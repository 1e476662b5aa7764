"""A semester's report card (bulletin): the marks per subject, the subjects' averages and
coefficients, the semester average (marks/rules.py, through the marks service), the
semester's absences (justified or not) and, for the second semester, the class council's
year-end decision (pupils/) — one A4 PDF in Arabic and French.

Who: the pupil, a linked parent, staff of the school where the record says the pupil is
enrolled now (core/access); anyone else gets 404. The PDF is put in the media bucket under
one key per pupil and semester (a new request overwrites it; the bucket keeps old versions
30 days) and answered as a short-lived link, as the credential letters and convocations are:
API Gateway would need binary media types and base64 bodies for the bytes, and a link
opens in the phone's own PDF viewer, can be fetched again on a weak connection without
rendering again, and keeps the API JSON-only.
"""

from __future__ import annotations

from typing import Any

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_record
from chalicelib.core.errors import InvalidFields, NotFound
from chalicelib.core.flags import read_flag
from chalicelib.pupils.rules import PupilRecord
from chalicelib.registration.campaigns.rules import school_year_problem
from chalicelib.school_life.report_cards.rules import decision_words, semester_of

URL_SECONDS = 300
# Part of each PDF's digest: a change of layout renders every bulletin again.
LAYOUT_VERSION = "1"


def _check(school_year: str, semester: str) -> int:
    problems: dict[str, str] = {}
    if school_year_problem(school_year):
        problems["school_year"] = "invalid_school_year"
    if semester not in ("1", "2"):
        problems["semester"] = "invalid_semester"
    if problems:
        raise InvalidFields("path", problems)
    return int(semester)


def _subject_names(school_code: str | None, level: str | None) -> dict[str, tuple[str, str]]:
    """Subject code → (French, Arabic) names from the school's list (the pupil's level
    first, when several levels name a code)."""
    from chalicelib.school_life.marks import store as marks

    if not school_code:
        return {}
    names: dict[str, tuple[str, str]] = {}
    rows = marks.subjects_of_school(school_code)
    for row in sorted(rows, key=lambda r: r.get("level") == level):  # the level's last: wins
        names[str(row["subject"])] = (str(row.get("name_fr", "")), str(row.get("name_ar", "")))
    return names


def _absences(massar_code: str, school_year: str, semester: int) -> tuple[int, int]:
    """(justified, unjustified) absences of the semester: the year's Query, page by page."""
    from chalicelib.school_life.absences import store as absences

    justified = unjustified = 0
    cursor: str | None = None
    while True:
        items, cursor = absences.of_pupil(massar_code, school_year, 200, cursor)
        for item in items:
            if semester_of(item.get("date", "")) != semester:
                continue
            if read_flag(item.get("justified")):
                justified += 1
            else:
                unjustified += 1
        if not cursor:
            return justified, unjustified


def _decision(massar_code: str, school_year: str) -> tuple[str, str] | None:
    from chalicelib.pupils import transfers_store as transfers

    for found in transfers.decisions_of_pupils([massar_code], school_year):
        french, arabic = decision_words(found.get("decision", ""))
        level = found.get("next_level")
        return (f"{french} ({level})" if level else french), arabic
    return None


def _names(record: PupilRecord) -> tuple[str, str]:
    data = record.data
    arabic = " ".join(p for p in (data.get("first_name_ar"), data.get("last_name_ar")) if p)
    latin = " ".join(p for p in (data.get("first_name_lat"), data.get("last_name_lat")) if p)
    return arabic or latin, latin or arabic


def _school_names(school_code: str | None) -> tuple[str, str]:
    from chalicelib.schools import store as schools

    school = schools.get_school(school_code) if school_code else None
    if school is None:
        return school_code or "", school_code or ""
    return str(school.name_fr), str(school.name_ar)


def _level(record: PupilRecord) -> str | None:
    from chalicelib.schools.classes import store as classes

    if not (record.school_code and record.class_id):
        return None
    klass = classes.get_class(record.school_code, record.class_id)
    return str(klass.get("level")) if klass and klass.get("level") else None


def _digest(card: Any) -> str:
    """What the bulletin shows, but its issue date (a PDF made yesterday of the same marks
    is the same bulletin)."""
    import hashlib
    from dataclasses import replace

    shown = repr(replace(card, issued_on=""))
    return hashlib.sha256(f"{LAYOUT_VERSION}|{shown}".encode()).hexdigest()


def report_card(
    principal: Principal, massar_code: str, school_year: str, semester_text: str
) -> dict[str, Any]:
    """The link to the semester's PDF; NotFound when the semester has no mark yet."""
    from chalicelib.core import files
    from chalicelib.core.clock import today
    from chalicelib.school_life.marks.service import grades
    from chalicelib.school_life.report_cards.pdf import ReportCard, SubjectLine, render

    semester = _check(school_year, semester_text)
    record = require_record(principal, massar_code)  # 404 for who may not see the pupil
    graded = grades(principal, massar_code, school_year, semester_text)
    if not graded["subjects"]:
        raise NotFound("report_card")
    names = _subject_names(record.school_code, _level(record))
    justified, unjustified = _absences(massar_code, school_year, semester)
    name_ar, name_lat = _names(record)
    school_fr, school_ar = _school_names(record.school_code)
    card = ReportCard(
        massar_code=massar_code,
        name_ar=name_ar,
        name_lat=name_lat,
        class_label=record.class_id or "",
        school_name_fr=school_fr,
        school_name_ar=school_ar,
        school_year=school_year,
        semester=semester,
        subjects=tuple(
            SubjectLine(
                name_fr=names.get(s["subject"], (s["subject"], ""))[0] or s["subject"],
                name_ar=names.get(s["subject"], ("", s["subject"]))[1] or s["subject"],
                marks=tuple(a["mark"] for a in s["assessments"]),
                coefficient=s["coefficient"],
                average=s["average"],
            )
            for s in graded["subjects"]
        ),
        average=graded["average"],
        justified=justified,
        unjustified=unjustified,
        decision=_decision(massar_code, school_year) if semester == 2 else None,
        issued_on=today().strftime("%d/%m/%Y"),
    )
    key = f"report-cards/{massar_code}/{school_year}-S{semester}.pdf"
    # Rendering costs about a second of CPU (fonts subset, Arabic shaped): the stored PDF
    # is reused while what it shows is unchanged (one HeadObject).
    digest = _digest(card)
    stored = files.metadata_of(key)
    if stored is None or stored.get("digest") != digest:
        files.put_pdf(key, render(card), {"digest": digest})
    filename = f"bulletin-{massar_code}-{school_year}-S{semester}.pdf"
    return {
        "massar_code": massar_code,
        "school_year": school_year,
        "semester": semester,
        "average": graded["average"],
        "url": files.download_url(key, URL_SECONDS, filename),
        "expires_in": URL_SECONDS,
        "filename": filename,
    }
