"""The exams' uploaded files (CSV or XLSX, base64 in a JSON body) as rows by column name,
read at a bounded cost by `core/spreadsheets` (500 rows a file, as every import)."""

from __future__ import annotations

import base64
import binascii

from chalicelib.core.errors import InvalidFields
from chalicelib.core.spreadsheets import csv_table, xlsx_table

MAX_IMPORT_ROWS = 500


def decode(content_base64: str) -> bytes:
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidFields("content", {"content_base64": "invalid_base64"}) from error


def table_rows(file_format: str, data: bytes, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Data rows (blank ones dropped) by the header's lower-cased names; the header must
    name every one of `columns` (other columns are read too, e.g. optional ones)."""
    table = xlsx_table(data, MAX_IMPORT_ROWS) if file_format == "xlsx" else csv_table(data)
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise InvalidFields("content", {"content_base64": "empty_file"})
    header = [cell.strip().lower() for cell in table[0]]
    missing = [name for name in columns if name not in header]
    if missing:
        raise InvalidFields("content", {f"columns.{name}": "missing" for name in missing})
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise InvalidFields("content", {"content_base64": "too_many_rows"})
    return [
        {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if name}
        for row in table[1:]
    ]
