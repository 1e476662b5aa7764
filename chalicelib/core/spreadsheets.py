"""Imported CSV and XLSX files read as tables of text, at a bounded cost.

An XLSX file is a zip archive of XML: a 242 KB upload inflated to tens of megabytes of
sheet XML cost 25 s of CPU in openpyxl before the row limit was even looked at, and a
single cell at row 1,048,576 made openpyxl hand over a million empty rows. So before
anything is parsed, the archive's uncompressed size is bounded (the sizes its directory
declares are what zipfile, and so openpyxl, will ever inflate: it cuts a part at its
declared size), and each sheet's rows and cells and the shared strings are counted in
their XML; then no more than `MAX_COLUMNS` columns are read per row. Every cell goes
through `clean_input`, as JSON input does.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from chalicelib.core.errors import InvalidFields
from chalicelib.core.text import clean_input

# Every part of the archive, inflated. A 500-row import is a few hundred kilobytes; this
# much XML costs openpyxl about a second.
MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024
# Blank but formatted rows a sheet may carry beyond its header and data rows (spreadsheet
# programs keep rows someone once formatted).
SPARE_ROWS = 1000
# Columns read per row: the imports have about ten.
MAX_COLUMNS = 64
# Cells of a sheet, and strings of the shared-string table, parsed at most: 500 rows of a
# dozen columns are 6,000; 30,000 cost openpyxl under a second.
MAX_CELLS = 30_000

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s/>]")


def _refused(code: str) -> InvalidFields:
    return InvalidFields("content", {"content_base64": code})


def _check_archive(data: bytes, max_rows: int) -> None:
    """Refuse, before parsing, an archive that inflates too much or a sheet with more rows
    (or reaching further down) than `max_rows` data rows, a header and `SPARE_ROWS`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        if sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_BYTES:
            raise _refused("file_too_large")
        limit = max_rows + 1 + SPARE_ROWS
        for part in parts:
            strings = part.filename == "xl/sharedStrings.xml"
            if strings and len(_SHARED_STRING.findall(archive.read(part))) > MAX_CELLS:
                raise _refused("file_too_large")
            if not part.filename.startswith("xl/worksheets/") or part.is_dir():
                continue
            xml = archive.read(part)
            for rows, match in enumerate(_ROW.finditer(xml), start=1):
                number = _ROW_NUMBER.search(match.group(1))
                if rows > limit or (number is not None and int(number.group(1)) > limit):
                    raise _refused("too_many_rows")
            if len(_CELL.findall(xml)) > MAX_CELLS:
                raise _refused("file_too_large")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError) as error:
        raise _refused("invalid_file") from error


def xlsx_table(data: bytes, max_rows: int) -> list[list[str]]:
    """The first sheet's rows as text (blank rows kept: rows are numbered as shown)."""
    _check_archive(data, max_rows)
    from openpyxl import load_workbook  # ~130 ms to import: only files worth reading pay it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise _refused("invalid_file") from error
    try:
        sheet = workbook.worksheets[0]
        return [
            ["" if cell is None else clean_input(str(cell)).strip() for cell in row]
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        ]
    # The sheet is parsed while iterating: broken XML (SyntaxError) or values show here.
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError, OSError) as error:
        raise _refused("invalid_file") from error
    finally:
        workbook.close()


def csv_table(data: bytes) -> list[list[str]]:
    """The rows of a UTF-8 CSV file (comma, semicolon or tab: the most frequent wins)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refused("not_utf8") from error
    delimiter = max(",;\t", key=text[:4096].count)
    return [
        [clean_input(cell).strip() for cell in row[:MAX_COLUMNS]]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]
