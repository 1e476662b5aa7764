"""The candidates and the results of a session, imported from a CSV or XLSX file with a
report per row (rows numbered as in a spreadsheet: the header is row 1).

Valid rows are written, wrong ones reported; each row writes one item, the candidate's
`PUPIL#<massar>` / `NATEXAM#<session>`, with a key the row decides: importing the same
file again finds every row `unchanged` and writes nothing, a corrected file writes only
what changed. Calls: one BatchGetItem per 100 pupil records, per 100 exam items and per
100 schools, one BatchWriteItem per 25 changed rows.
"""

from __future__ import annotations

from typing import Any

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import operator_covers_school
from chalicelib.core.clock import now
from chalicelib.exams import rules, store
from chalicelib.exams.service import Report, RowResult, session_for_operator
from chalicelib.exams.sheets import decode, table_rows

_SESSION_FIELDS = ("kind", "school_year", "level", "academy", "name_ar", "name_fr", "results_at")
_PUPIL_FIELDS = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat")


def _status(existing: dict[str, str] | None, wanted: dict[str, str]) -> str:
    if existing is None:
        return "created"
    return "unchanged" if existing == {k: v for k, v in wanted.items() if v} else "updated"


def _checked_candidates(
    session: dict[str, str], rows: list[dict[str, str]]
) -> tuple[list[RowResult], list[tuple[RowResult, dict[str, str]]]]:
    """Each row on its own: its fields, then repeats within the file."""
    tracks = rules.tracks_of(rules.loads_list(session.get("calendar")))
    results: list[RowResult] = []
    valid: list[tuple[RowResult, dict[str, str]]] = []
    seen_codes: set[str] = set()
    seen_numbers: set[str] = set()
    for number, raw in enumerate(rows, start=2):
        massar = raw.get("massar_code", "").upper()
        result = RowResult(number, massar or None, "error")
        results.append(result)
        problems = rules.candidate_problems(raw, tracks)
        if not problems and massar in seen_codes:
            problems = {"massar_code": "duplicate_in_file"}
        if not problems and raw["candidate_number"] in seen_numbers:
            problems = {"candidate_number": "duplicate_in_file"}
        if problems:
            result.errors = problems
            continue
        seen_codes.add(massar)
        seen_numbers.add(raw["candidate_number"])
        valid.append((result, {**raw, "massar_code": massar, "track": raw["track"].upper()}))
    return results, valid


def _candidate_item(
    session: dict[str, str], raw: dict[str, str], record: Any, existing: dict[str, str] | None
) -> dict[str, str]:
    calendar = rules.calendar_of_track(rules.loads_list(session.get("calendar")), raw["track"])
    item = {name: session.get(name, "") for name in _SESSION_FIELDS}
    item |= {name: record.data.get(name, "") for name in _PUPIL_FIELDS}
    item |= {
        "session": session["id"],
        "school_code": record.school_code or "",
        "track": raw["track"],
        "centre_code": raw["centre_code"],
        "centre_name_ar": raw["centre_name_ar"],
        "centre_name_fr": raw["centre_name_fr"],
        "candidate_number": raw["candidate_number"],
        "calendar": rules.dumps(calendar),
        # A result already imported stays with the candidate.
        "result": (existing or {}).get("result", ""),
    }
    return item


def _covered(actor: Principal, session: dict[str, str], school: Any) -> bool:
    """The operator covers the pupil's school, and a regional session's academy holds it."""
    if school is None or not operator_covers_school(actor, school):
        return False
    return session.get("kind") != "regional" or school.academy == session.get("academy")


def import_candidates(
    actor: Principal, session_id: str, file_format: str, content_base64: str, dry_run: bool
) -> Report:
    """A candidate is a pupil with a record, of the session's level when the record names
    one, at a school the operator covers and — for a regional session — in its academy."""
    from chalicelib.pupils import store as pupils
    from chalicelib.schools import store as schools

    session = session_for_operator(actor, session_id)
    rows = table_rows(file_format, decode(content_base64), rules.CANDIDATE_COLUMNS)
    results, valid = _checked_candidates(session, rows)
    codes = [raw["massar_code"] for _, raw in valid]
    records = pupils.get_records(codes) if codes else {}
    school_codes = {r.school_code for r in records.values() if r.school_code}
    places = (
        {code: schools.to_domain(item) for code, item in schools.get_items(school_codes).items()}
        if school_codes
        else {}
    )
    existing = store.get_exams(session_id, codes) if codes else {}
    writes: dict[str, dict[str, str]] = {}
    for result, raw in valid:
        record = records.get(raw["massar_code"])
        school = places.get(record.school_code or "") if record else None
        if record is None:
            result.errors = {"massar_code": "unknown_pupil"}
        elif record.data.get("level") and record.data["level"] != session.get("level"):
            result.errors = {"massar_code": "other_level"}
        elif not _covered(actor, session, school):
            result.errors = {"massar_code": "out_of_scope"}
        if result.errors:
            continue
        before = existing.get(raw["massar_code"])
        item = _candidate_item(session, raw, record, before)
        result.status = _status(before, item)
        if result.status != "unchanged":
            writes[raw["massar_code"]] = item
    if not dry_run:
        store.put_exams(session_id, writes)
    return Report(results, dry_run)


def import_results(
    actor: Principal, session_id: str, file_format: str, content_base64: str, dry_run: bool
) -> Report:
    """Results of candidates of the session. Once `results_at` has passed a result shown to
    families is never changed (`result_published`); a late one may still be added."""
    session = session_for_operator(actor, session_id)
    rows = table_rows(file_format, decode(content_base64), rules.RESULT_COLUMNS)
    results: list[RowResult] = []
    valid: list[tuple[RowResult, str, dict[str, str], str]] = []
    seen: set[str] = set()
    for number, raw in enumerate(rows, start=2):
        massar = raw.get("massar_code", "").upper()
        result = RowResult(number, massar or None, "error")
        results.append(result)
        outcome, problems = rules.result_of(raw)
        if not problems and massar in seen:
            problems = {"massar_code": "duplicate_in_file"}
        if problems:
            result.errors = problems
            continue
        seen.add(massar)
        valid.append((result, massar, outcome, raw.get("candidate_number", "").strip()))
    return _write_results(session, results, valid, dry_run)


def _write_results(
    session: dict[str, str],
    results: list[RowResult],
    valid: list[tuple[RowResult, str, dict[str, str], str]],
    dry_run: bool,
) -> Report:
    session_id = session["id"]
    existing = store.get_exams(session_id, [m for _, m, _, _ in valid]) if valid else {}
    shown = rules.published(session.get("results_at"), now())
    writes: dict[str, dict[str, str]] = {}
    for result, massar, outcome, candidate in valid:
        before = existing.get(massar)
        if before is None:
            result.errors = {"massar_code": "not_a_candidate"}
            continue
        if candidate and candidate != before.get("candidate_number"):
            result.errors = {"candidate_number": "candidate_number_mismatch"}
            continue
        item = {**before, "result": rules.dumps(outcome)}
        result.status = "updated" if before.get("result") else "created"
        if before.get("result") == item["result"]:
            result.status = "unchanged"
        elif shown and before.get("result"):
            result.status, result.errors = "error", {"decision": "result_published"}
        if result.status in ("created", "updated"):
            writes[massar] = item
    if not dry_run:
        store.put_exams(session_id, writes)
    return Report(results, dry_run)
