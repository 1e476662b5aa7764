"""National and regional exams: operators publish a session, the family reads the pupil's
calendar, centre, convocation and, from `results_at` on, the result.

Who: operators write — a national session national operators only, a regional one the
national operators and the operators of its academy (`core/access.operator_covers`: a
province's operator covers no whole academy). The pupil, a linked parent and staff of
the pupil's current school read (`core/access.require_pupil`); nobody else, and a pupil
who is not yours is 404.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import is_national_operator, operator_covers, require_pupil
from chalicelib.core.clock import now
from chalicelib.core.errors import AlreadyExists, InvalidFields, NotFound
from chalicelib.core.identifiers import MASSAR_CODE
from chalicelib.exams import rules, store
from chalicelib.exams.sheets import decode, table_rows

# --- Sessions ------------------------------------------------------------------------------


def may_write(actor: Principal, session: dict[str, str]) -> bool:
    """National sessions: national operators; regional ones: operators over the academy."""
    if session.get("kind") == "national":
        return is_national_operator(actor)
    return operator_covers(actor, session.get("academy") or None, None)


@dataclass
class RowResult:
    row: int
    key: str | None
    status: str  # created | updated | unchanged | error
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    rows: list[RowResult]
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def refused(self) -> bool:
        return any(r.status == "error" for r in self.rows)


class CalendarRefused(Exception):
    """Some calendar rows are wrong: nothing is published (the report says which)."""

    def __init__(self, report: Report) -> None:
        super().__init__("calendar_refused")
        self.report = report


def _calendar(slots: list[dict[str, str]], file: tuple[str, str] | None) -> list[rules.Slot]:
    """The body's subjects (rows 1…n) then the file's rows (numbered as in a spreadsheet,
    the header is row 1, after the body's): every row checked, none kept if one is wrong."""
    numbered: list[tuple[int, dict[str, str]]] = list(enumerate(slots, start=1))
    if file is not None:
        offset = len(slots)
        rows = table_rows(file[0], decode(file[1]), rules.CALENDAR_COLUMNS)
        numbered += [(offset + n, raw) for n, raw in enumerate(rows, start=2)]
    if not numbered:
        raise InvalidFields("subjects", {"subjects": "missing"})
    report = Report([RowResult(n, raw.get("subject") or None, "created") for n, raw in numbered])
    for result, (_, raw) in zip(report.rows, numbered, strict=True):
        problems = rules.slot_problems(raw)
        if problems:
            result.status, result.errors = "error", problems
    if not report.refused:
        slots_found = [rules.slot_of(raw) for _, raw in numbered]
        for index, problems in rules.calendar_clashes(slots_found).items():
            report.rows[index].status, report.rows[index].errors = "error", problems
    if report.refused:
        raise CalendarRefused(report)
    return [rules.slot_of(raw) for _, raw in numbered]


def publish_session(
    actor: Principal,
    request: dict[str, Any],
    slots: list[dict[str, str]],
    file: tuple[str, str] | None,
) -> tuple[dict[str, Any], str]:
    """Create the session (`created`), or find the same one already there (`unchanged`:
    a retried publication writes nothing twice); another one with the same id is 409."""
    kind, academy = request["kind"], request.get("academy") or None
    problems = rules.session_problems(kind, request["school_year"], academy)
    if problems:
        raise InvalidFields("session", problems)
    session = {
        "kind": kind,
        "school_year": request["school_year"],
        "level": request["level"],
        "academy": academy or "",
        "name_ar": request["name_ar"],
        "name_fr": request["name_fr"],
        "results_at": request["results_at"],
    }
    if not may_write(actor, session):
        raise NotFound("session")  # outside the caller's scope: nothing to see there
    calendar = [slot.as_dict() for slot in _calendar(slots, file)]
    session_id = rules.session_id(kind, request["school_year"], request["level"], academy)
    session |= {"id": session_id, "calendar": rules.dumps(calendar)}
    stored = {k: v for k, v in session.items() if v}
    if store.create_session(session_id, stored):
        return session_view(stored), "created"
    existing = store.get_session(session_id) or {}
    if existing != stored:
        raise AlreadyExists("session")
    return session_view(existing), "unchanged"


def session_view(session: dict[str, str]) -> dict[str, Any]:
    calendar = rules.loads_list(session.get("calendar"))
    return {
        **{k: v for k, v in session.items() if k != "calendar"},
        "academy": session.get("academy") or None,
        "tracks": rules.tracks_of(calendar),
        "subjects": calendar,
    }


def session_for_operator(actor: Principal, session_id: str) -> dict[str, str]:
    """The session, for an operator who may write it (else 404: not in the caller's scope)."""
    session = store.get_session(session_id) if rules.SESSION_ID.match(session_id) else None
    if session is None or not may_write(actor, session):
        raise NotFound("session")
    return session


def list_sessions(actor: Principal, school_year: str) -> list[dict[str, Any]]:
    """The year's sessions the operator may write (national ones: national operators)."""
    sessions = store.sessions_of(school_year) if rules.SCHOOL_YEAR.match(school_year) else []
    return [
        session_view(s)
        for s in sorted(sessions, key=lambda s: s.get("id", ""))
        if may_write(actor, s)
    ]


def get_session(actor: Principal, session_id: str) -> dict[str, Any]:
    return session_view(session_for_operator(actor, session_id))


# --- The pupil's side -----------------------------------------------------------------------


def _exam_view(exam: dict[str, str]) -> dict[str, Any]:
    """What the pupil's readers see: no result before `results_at` (not even whether one
    was imported), the result from then on."""
    shown = rules.published(exam.get("results_at"), now())
    result = rules.loads_map(exam.get("result")) if shown else {}
    return {
        "session": exam.get("session", ""),
        "kind": exam.get("kind", ""),
        "school_year": exam.get("school_year", ""),
        "level": exam.get("level", ""),
        "name_ar": exam.get("name_ar", ""),
        "name_fr": exam.get("name_fr", ""),
        "track": exam.get("track", ""),
        "candidate_number": exam.get("candidate_number", ""),
        "centre": {
            "code": exam.get("centre_code", ""),
            "name_ar": exam.get("centre_name_ar", ""),
            "name_fr": exam.get("centre_name_fr", ""),
        },
        "calendar": rules.loads_list(exam.get("calendar")),
        "results_at": exam.get("results_at") or None,
        "result_status": ("published" if result else "pending") if shown else "not_yet",
        "result": result or None,
    }


def pupil_exams(principal: Principal, massar_code: str) -> list[dict[str, Any]]:
    """The pupil's sessions, the latest school year first (one Query)."""
    _require(principal, massar_code)
    exams = store.exams_of(massar_code)
    exams.sort(key=lambda e: (e.get("school_year", ""), e.get("session", "")), reverse=True)
    return [_exam_view(exam) for exam in exams]


def _require(principal: Principal, massar_code: str) -> None:
    """`require_pupil`, for a well-formed Massar code only (any other is nobody's: 404)."""
    if not MASSAR_CODE.match(massar_code):
        raise NotFound("pupil")
    require_pupil(principal, massar_code)


def _exam(principal: Principal, massar_code: str, session_id: str) -> dict[str, str]:
    _require(principal, massar_code)
    exam = store.get_exam(massar_code, session_id) if rules.SESSION_ID.match(session_id) else None
    if exam is None:
        raise NotFound("exam")
    return exam


def pupil_exam(principal: Principal, massar_code: str, session_id: str) -> dict[str, Any]:
    """One session of the pupil: the pupil or a parent costs one GetItem (the access check
    reads nothing), staff one more (the pupil record)."""
    return _exam_view(_exam(principal, massar_code, session_id))


class ResultNotYet(NotFound):
    """Before `results_at` (or with no result imported): the same answer for every
    candidate, whatever the result will be."""

    code = "result_not_published"


def pupil_result(principal: Principal, massar_code: str, session_id: str) -> dict[str, Any]:
    """The result, from `results_at` on (else `ResultNotYet`, 404)."""
    view = _exam_view(_exam(principal, massar_code, session_id))
    if view["result"] is None:
        raise ResultNotYet(view["results_at"] or "")
    return view


def convocation(principal: Principal, massar_code: str, session_id: str) -> tuple[str, int]:
    """The convocation PDF (Arabic and French) in the media bucket and a short-lived link."""
    from chalicelib.core import files
    from chalicelib.exams.convocation_pdf import render_convocation

    exam = _exam(principal, massar_code, session_id)
    # Named after what it prints: drawn once (about a second of CPU: Arabic shaping and the
    # font's subset), then the same file is linked until a new import changes the item.
    digest = hashlib.sha256(rules.dumps(exam).encode()).hexdigest()[:16]
    key = f"convocations/{session_id}/{massar_code}-{digest}.pdf"
    if not files.exists(key):
        files.put_pdf(key, render_convocation(massar_code, _exam_view(exam), exam))
    name = f"convocation-{session_id}-{massar_code}.pdf"
    return files.download_url(key, files.LETTER_URL_SECONDS, name), files.LETTER_URL_SECONDS
