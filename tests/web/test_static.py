"""The web client's files as the devserver serves them (CloudFront serves the same with the
same headers): security headers from web/security-headers.json, compression, revalidation,
no inline script or style for the CSP to allow, and each page's static first load within
the 100 KB budget (compressed)."""

from __future__ import annotations

import gzip
import json
import re
import urllib.request
from pathlib import Path

from devserver.harness import Http

WEB = Path(__file__).resolve().parents[2] / "web"
HEADERS = json.loads((WEB / "security-headers.json").read_text())
BUDGET_BYTES = 100 * 1024
FRAMEWORK_BUDGET_BYTES = 15 * 1024  # the core every page loads stands in for a framework


def fetch(
    http: Http, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(http.base + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_pages_carry_the_security_headers(devserver: Http) -> None:
    status, headers, _ = fetch(devserver, "/")
    assert status == 200
    for name, value in HEADERS.items():
        assert headers[name] == value
    csp = HEADERS["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp)
    assert script_src and "'unsafe-inline'" not in script_src.group(1)
    assert "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "max-age=" in HEADERS["Strict-Transport-Security"]


def test_files_are_compressed_and_revalidated(devserver: Http) -> None:
    status, headers, body = fetch(devserver, "/js/core.js", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (WEB / "js" / "core.js").read_bytes()
    assert headers["Content-Type"].startswith("text/javascript")
    again = fetch(devserver, "/js/core.js", {"If-None-Match": headers["ETag"]})
    assert again[0] == 304 and again[2] == b""


def test_unknown_files_and_the_headers_file_are_not_served(devserver: Http) -> None:
    assert fetch(devserver, "/nope.js")[0] == 404
    assert fetch(devserver, "/security-headers.json")[0] == 404
    assert fetch(devserver, "/../README.md")[0] == 404


def test_no_inline_script_or_style_anywhere() -> None:
    html = (WEB / "index.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert " style=" not in html and "<style" not in html
    for module in (WEB / "js").rglob("*.js"):
        source = module.read_text()
        assert "innerHTML" not in source, module  # data never becomes markup
        assert not re.search(r"""["']style["']\s*:""", source), module  # CSP: no style attributes


def _gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def _imports(module: Path) -> set[Path]:
    found = set()
    for name in re.findall(
        r"""^import[^'"]*from\s+["'](\.{1,2}/[^"']+)["']""", module.read_text(), re.M
    ):
        found.add((module.parent / name).resolve())
    return found


def test_every_pages_static_first_load_is_within_budget() -> None:
    shell = [WEB / "index.html", WEB / "app.css", WEB / "js" / "app.js", WEB / "js" / "core.js"]
    shell_bytes = sum(_gzipped_size(p) for p in shell)
    assert _gzipped_size(WEB / "js" / "core.js") <= FRAMEWORK_BUDGET_BYTES
    for view in (WEB / "js" / "views").glob("*.js"):
        modules = {view.resolve()} | _imports(view)
        modules.discard((WEB / "js" / "core.js").resolve())
        total = shell_bytes + sum(_gzipped_size(m) for m in modules)
        assert total <= BUDGET_BYTES, f"{view.name}: {total} bytes compressed"
