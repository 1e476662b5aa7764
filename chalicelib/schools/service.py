"""Operators manage schools and the areas they serve; anyone lists the schools serving an
area. Imports take a CSV or XLSX file and answer row by row."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import operator_covers_school
from chalicelib.core.cursors import Page
from chalicelib.core.errors import InvalidFields, NotAllowed, NotFound
from chalicelib.core.spreadsheets import csv_table, xlsx_table
from chalicelib.schools import store
from chalicelib.schools.rules import SchoolData, split_catchment

MAX_IMPORT_ROWS = 500
COLUMNS = ("code", "name_ar", "name_fr", "cycle", "sector", "academy", "province", "commune")


def may_manage(actor: Principal, school: SchoolData) -> bool:
    """Operators manage the schools of their scope (core/access: national, academy or
    province)."""
    return operator_covers_school(actor, school)


def place_problems(school: SchoolData) -> dict[str, str]:
    """The school's places checked against the official divisions (API.md: academy =
    région, province = province or préfecture, commune and catchment = communes or
    arrondissements, by their HCP codes). Loads the divisions: only writers call it."""
    from chalicelib.schools.places.rules import school_place_problems

    return school_place_problems(
        school.academy, school.province, school.commune, list(school.catchment)
    )


def _check_places(school: SchoolData) -> None:
    problems = place_problems(school)
    if problems:
        raise InvalidFields("places", problems)


def create_school(actor: Principal, school: SchoolData) -> None:
    _check_places(school)
    if not may_manage(actor, school):
        raise NotAllowed("school outside the operator's scope")
    store.save_school(school, None, create_only=True)


def update_school(actor: Principal, school: SchoolData) -> str:
    _check_places(school)
    existing = store.get_item(school.code, consistent=True)
    if existing is None:
        raise NotFound("school")
    if not may_manage(actor, store.to_domain(existing)) or not may_manage(actor, school):
        raise NotAllowed("school outside the operator's scope")
    return store.save_school(school, existing, create_only=False)


def get_school(code: str) -> SchoolData:
    school = store.get_school(code)
    if school is None:
        raise NotFound("school")
    return school


def list_schools(
    area: str | None, province: str | None, cycle: str | None, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    if area:
        return store.schools_serving(area, cycle, limit, cursor)
    if province:
        return store.schools_of_province(province, cycle, limit, cursor)
    raise InvalidFields("filter", {"commune": "missing"})


# --- Import --------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    code: str | None
    status: str  # created | updated | unchanged | error
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    rows: list[RowResult]
    dry_run: bool

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def _decode(content_base64: str) -> bytes:
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidFields("content", {"content_base64": "invalid_base64"}) from error


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return _by_header(csv_table(data))


def _xlsx_rows(data: bytes) -> list[dict[str, str]]:
    return _by_header(xlsx_table(data, MAX_IMPORT_ROWS))


def _by_header(rows: list[list[str]]) -> list[dict[str, str]]:
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InvalidFields("content", {"content_base64": "empty_file"})
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidFields("content", {f"columns.{name}": "missing" for name in missing})
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise InvalidFields("content", {"content_base64": "too_many_rows"})
    return [
        {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if name}
        for row in rows[1:]
    ]


def _school_of(raw: dict[str, str]) -> SchoolData:
    data: dict[str, Any] = {c: raw.get(c, "") for c in COLUMNS}
    data["catchment"] = split_catchment(raw.get("catchment", ""))
    return SchoolData.model_validate(data)


def import_schools(
    actor: Principal, file_format: str, content_base64: str, dry_run: bool
) -> ImportReport:
    """Create or update every valid row; each invalid row is reported with its fields.
    Rows are numbered as in a spreadsheet (the header is row 1)."""
    data = _decode(content_base64)
    rows = _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data)
    results: list[RowResult] = []
    valid: list[tuple[RowResult, SchoolData]] = []
    seen: set[str] = set()
    for number, raw in enumerate(rows, start=2):
        result = RowResult(number, raw.get("code") or None, "error")
        results.append(result)
        try:
            school = _school_of(raw)
        except ValidationError as error:
            result.errors = {
                ".".join(str(p) for p in e["loc"]) or "row": e["type"]
                for e in error.errors(include_url=False)
            }
            continue
        result.code = school.code
        problems = place_problems(school)
        if problems:
            result.errors = problems
            continue
        if school.code in seen:
            result.errors = {"code": "duplicate_in_file"}
            continue
        seen.add(school.code)
        if not may_manage(actor, school):
            result.errors = {"academy": "out_of_scope"}
            continue
        valid.append((result, school))
    existing = store.get_items(school.code for _, school in valid) if valid else {}
    writes: list[tuple[RowResult, SchoolData]] = []
    for result, school in valid:
        item = existing.get(school.code)
        if item is not None and not may_manage(actor, store.to_domain(item)):
            result.errors = {"code": "out_of_scope"}
            continue
        if dry_run:
            result.status = "created" if item is None else "updated"
            continue
        writes.append((result, school))
    # Up to 25 schools a transaction: the calls grow with the file by one per 25 rows.
    saved = store.save_schools([(school, existing.get(school.code)) for _, school in writes])
    for result, school in writes:
        if saved[school.code] == store.CHANGED_MEANWHILE:
            result.errors = {"code": "changed_meanwhile"}
        else:
            result.status = saved[school.code]
    return ImportReport(results, dry_run)
