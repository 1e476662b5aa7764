"""Issue 13: a 242 KB XLSX cost 25 s of CPU before the row limit applied. The archive's
uncompressed size, each sheet's rows and cells and the shared strings are bounded before
openpyxl parses anything (services/spreadsheets.py); imported cells are cleaned as JSON
input is."""

from __future__ import annotations

import base64
import io
import time
import zipfile
from typing import Any

from tests.conftest import Api

HEADER = ["code", "name_ar", "name_fr", "cycle", "sector", "academy", "province", "commune"]
# Official HCP codes: Rabat-Salé-Kénitra, préfecture de Salé, arrondissement Tabriquet.
ROW = ["EP3001", "مدرسة", "École", "primary", "public", "04", "04.441", "04.441.01.09"]
SHEET_START = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"


def _inline(values: list[str]) -> bytes:
    return b"".join(
        b'<c t="inlineStr"><is><t>' + value.encode() + b"</t></is></c>" for value in values
    )


def _xlsx(sheet: bytes) -> bytes:
    """A real workbook (openpyxl's) whose first sheet's XML is `sheet`."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    saved = io.BytesIO()
    book.save(saved)
    original = zipfile.ZipFile(io.BytesIO(saved.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in original.namelist():
            data = sheet if name == "xl/worksheets/sheet1.xml" else original.read(name)
            archive.writestr(name, data)
    return out.getvalue()


def _import(api: Api, token: str, content: bytes, fmt: str = "xlsx") -> Any:
    body = {"format": fmt, "content_base64": base64.b64encode(content).decode()}
    return api.post("/v1/schools/import", body, token=token)


def _timed_import(api: Api, token: str, content: bytes) -> tuple[Any, float]:
    started = time.process_time()
    answer = _import(api, token, content)
    return answer, time.process_time() - started


def test_an_xlsx_inflating_to_megabytes_is_refused_before_it_is_parsed(
    api: Api, ops_token: str
) -> None:
    rows = [b'<row r="1">' + _inline(HEADER) + b"</row>"]
    rows += [b"<row>" + _inline(["x"] * len(HEADER)) + b"</row>"] * 100_000
    content = _xlsx(SHEET_START + b"".join(rows) + SHEET_END)
    assert len(content) < 190_000  # fits in a request (the old path spent ~40 s on it)
    answer, cpu = _timed_import(api, ops_token, content)
    assert answer.status_code == 422, answer.body
    assert answer.json_body["error"]["fields"] == {
        "content_base64": "fichier XLSX de plus de 4 Mo une fois décompressé"
    }
    assert cpu < 1


def test_a_sheet_reaching_row_a_million_is_refused_before_it_is_parsed(
    api: Api, ops_token: str
) -> None:
    """One cell at row 1,048,576: openpyxl handed over a million empty rows."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    content = _xlsx(SHEET_START + b'<row r="1">' + _inline(HEADER) + b"</row>" + far + SHEET_END)
    answer, cpu = _timed_import(api, ops_token, content)
    assert answer.status_code == 422, answer.body
    assert answer.json_body["error"]["fields"] == {
        "content_base64": "500 lignes au plus par fichier"
    }
    assert cpu < 1


def test_too_many_cells_are_refused_and_a_wide_row_is_cut(api: Api, ops_token: str) -> None:
    wide = b"<row>" + _inline(ROW) + _inline(["y"] * 40_000) + b"</row>"
    content = _xlsx(SHEET_START + b'<row r="1">' + _inline(HEADER) + b"</row>" + wide + SHEET_END)
    answer, cpu = _timed_import(api, ops_token, content)
    assert answer.status_code == 422, answer.body
    assert cpu < 1
    wide = b"<row>" + _inline(ROW) + _inline(["y"] * 500) + b"</row>"
    content = _xlsx(SHEET_START + b'<row r="1">' + _inline(HEADER) + b"</row>" + wide + SHEET_END)
    answer = _import(api, ops_token, content)
    assert answer.status_code == 200, answer.body
    assert answer.json_body["created"] == 1


def test_imported_cells_are_cleaned_like_json_input(api: Api, ops_token: str) -> None:
    dirty = [*ROW[:2], "\u202eÉcole\u200b Ibn\u2066 Sina\u2069", *ROW[3:]]
    sheet = b'<row r="1">' + _inline(HEADER) + b"</row><row>" + _inline(dirty) + b"</row>"
    assert _import(api, ops_token, _xlsx(SHEET_START + sheet + SHEET_END)).status_code == 200
    dirty = ["EP3002", ROW[1], "\ufeffLycée\x00 Ibn\u200d Sina", *ROW[3:]]
    csv = ";".join(HEADER) + "\n" + ";".join(dirty) + "\n"
    assert _import(api, ops_token, csv.encode(), fmt="csv").status_code == 200
    names = {
        code: api.get(f"/v1/schools/{code}", token=ops_token).json_body["name_fr"]
        for code in ("EP3001", "EP3002")
    }
    assert names == {"EP3001": "École Ibn Sina", "EP3002": "Lycée Ibn Sina"}
