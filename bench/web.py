"""The web client on a cheap phone: bytes on the wire and time to usable of each main page's
cold first load in Chromium under DevTools' Slow 3G and a 4× slower CPU.

`python -m bench web` measures (a section of `make bench`); `python -m bench.web
--screenshots` (`make screenshots`) saves phone-size screenshots of the main pages in Arabic
and French into docs/screenshots/ instead, without throttling.

Both start their own devserver (`python -m devserver`, demo data) and Debian's Chromium
(/usr/bin/chromium, driven by Playwright as in tests/web/)."""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.registry import Section
from devserver.harness import CHROMIUM, launch_chromium, running_devserver

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
SCREENSHOTS = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
LOCALES = {"ar": "ar-MA", "fr": "fr-FR"}

# DevTools' (classic) "Slow 3G" preset: 500 kbit/s × 0.8 each way, 400 ms × 5 latency.
LATENCY_MS = 2000
THROUGHPUT_BYTES_PER_S = 50_000
CPU_SLOWDOWN = 4

BUDGET_BYTES = 100_000  # per page, first load, on the wire (KB = 1,000 bytes here)
SOFT_GOAL_S = 10.0  # usable within, under Slow 3G: reported, not enforced
READY_TIMEOUT_MS = 60_000
QUIET_S = 1.0  # the network is idle after this long without a request in flight
AFTER_READY_MAX_S = 8.0

PARENT = ("AB123456", "Parent-demo-2026!")
PRIMARY_DIRECTOR = ("dir.ep0007", "Directrice-demo-2026!")
COLLEGE_DIRECTOR = ("dir.cl4501", "Directeur-demo-2026!")
CHILD = "J130012345"
OPERATOR = ("ops.admin", "Massar-dev-2026!")  # devserver's DEFAULT_OPS_USERNAME/PASSWORD


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    view: str
    account: tuple[str, str] | None = None


PAGES = [
    Page("home", "/#/", "home"),
    Page("register", "/#/register", "register"),
    Page("track", "/#/track", "track"),
    Page("signin", "/#/signin", "signin"),
    Page("activate", "/#/activate", "activate"),
    Page("recover", "/#/recover", "recover"),
    Page("space", "/#/space", "space", PARENT),
    Page("space-marks", f"/#/space/{CHILD}/marks", "space-marks", PARENT),
    Page("space-absences", f"/#/space/{CHILD}/absences", "space-absences", PARENT),
    Page("desk-applications", "/#/desk", "desk-applications", PRIMARY_DIRECTOR),
    Page("desk-marks", "/#/desk/marks", "desk-marks", COLLEGE_DIRECTOR),
    Page("space-homework", f"/#/space/{CHILD}/homework", "space-homework", PARENT),
    Page("desk-subjects", "/#/desk/subjects", "desk-subjects", COLLEGE_DIRECTOR),
    Page("ops-dashboard", "/#/ops", "ops-dashboard", OPERATOR),
]
BY_NAME = {page.name: page for page in PAGES}
# (page, languages) measured: every page in Arabic (the default), the home page in French too.
MEASURED = [(page, "ar") for page in PAGES] + [(BY_NAME["home"], "fr")]
SHOT_PAGES = [
    "home",
    "register",
    "signin",
    "space-marks",
    "space-absences",
    "desk-applications",
    "desk-marks",
    "space-homework",
    "desk-subjects",
    "ops-dashboard",
]

# Records, in the page, the moment (ms since navigation start) core.js `ready(view)` marked
# the awaited view usable, and the last view marked ready (to tell an error screen apart).
READY_WATCH = """
(() => {
  const want = %s;
  const check = () => {
    const root = document.documentElement;
    if (!root || window.__benchReadyAt !== undefined) return;
    if (root.dataset.ready === "1") {
      window.__benchLastReady = root.dataset.view || "(none)";
      if (root.dataset.view === want) window.__benchReadyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["data-ready", "data-view"],
  });
})();
"""

STORAGE = """
(() => {
  try {
    for (const [key, value] of Object.entries(%s)) localStorage.setItem(key, value);
  } catch (error) {}
})();
"""


@dataclass
class Request:
    url: str
    kind: str = ""
    started: float = 0.0
    finished: float | None = None
    failed: bool = False
    encoded: int = 0


@dataclass
class Load:
    page: Page
    lang: str
    ready_ms: float | None = None
    shown: str | None = None
    requests: list[Request] = field(default_factory=list)
    until_ready: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def bytes_of(self, requests: list[Request], api: bool | None = None) -> int:
        return sum(
            r.encoded for r in requests if not r.failed and (api is None or _is_api(r.url) == api)
        )


def _is_api(url: str) -> bool:
    path = url.split("://", 1)[-1].partition("/")[2]
    return path.startswith("v1/") or path.startswith("dev/")


# --- Devserver side ---------------------------------------------------------------------


def _session(http: Any, account: tuple[str, str]) -> str:
    status, _, body = http.call(
        "POST", "/v1/auth/login", {"username": account[0], "password": account[1]}
    )
    if status != 200:
        raise RuntimeError(f"login of {account[0]}: {status} {body}")
    return json.dumps(
        {
            "access_token": body["access_token"],
            "refresh_token": body["refresh_token"],
            "account": body["account"],
        }
    )


def _submit_application(http: Any) -> str:
    """An application to the demo primary school (EP0007), so the desk has one to list."""
    from bench.registration import application

    today = date.today()  # noqa: DTZ011 - as the demo data's campaign
    year = today.year if today.month >= 9 else today.year - 1
    body = application(1234, "EP0007", "04.441.01.09", born=date(year - 5, 5, 10))  # Tabriquet
    status, _, answer = http.call(
        "POST", "/v1/registrations", body, headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    if status != 201:
        raise RuntimeError(f"application not accepted: {status} {answer}")
    return str(answer["tracking_code"])


# --- Browser side -----------------------------------------------------------------------


def _chromium_missing() -> str | None:
    if Path(CHROMIUM).exists():
        return None
    return f"no Chromium at {CHROMIUM} (`apt-get install chromium`; CHROMIUM=… to point elsewhere)"


def _context(browser: Any, base: str, lang: str, storage: dict[str, str], **options: Any) -> Any:
    context = browser.new_context(
        base_url=base,
        locale=LOCALES[lang],
        viewport=PHONE,
        service_workers="block",
        **options,
    )
    context.add_init_script(STORAGE % json.dumps(storage))
    return context


def _storage(http: Any, page: Page, lang: str) -> dict[str, str]:
    storage = {"massar.lang": lang}
    if page.account:
        storage["massar.session"] = _session(http, page.account)
    return storage


def measure(browser: Any, http: Any, page: Page, lang: str) -> Load:
    """One cold first load (fresh context: empty cache, no service worker, no cookies)."""
    load = Load(page, lang)
    context = _context(browser, http.base, lang, _storage(http, page, lang))
    context.add_init_script(READY_WATCH % json.dumps(page.view))
    try:
        tab = context.new_page()
        tab.on("pageerror", lambda error: load.errors.append(str(error)))
        cdp = context.new_cdp_session(tab)
        requests: dict[str, Request] = {}

        def sent(event: dict[str, Any]) -> None:
            # A redirect re-sends under the same id: the bytes add up on loadingFinished.
            if not event["request"]["url"].startswith(("http:", "https:")):
                return  # data: URLs (Chromium's own date-picker icon) never reach the network
            requests.setdefault(
                event["requestId"],
                Request(event["request"]["url"], event.get("type", ""), event["timestamp"]),
            )

        def finished(event: dict[str, Any]) -> None:
            if event["requestId"] in requests:
                request = requests[event["requestId"]]
                request.finished = event["timestamp"]
                request.encoded = int(event["encodedDataLength"])

        def failed(event: dict[str, Any]) -> None:
            if event["requestId"] in requests:
                request = requests[event["requestId"]]
                request.finished = event["timestamp"]
                request.failed = True

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": THROUGHPUT_BYTES_PER_S,
                "uploadThroughput": THROUGHPUT_BYTES_PER_S,
            },
        )
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        tab.goto(page.route, wait_until="commit", timeout=READY_TIMEOUT_MS)
        try:
            tab.wait_for_function(
                "() => window.__benchReadyAt !== undefined",
                polling=100,
                timeout=READY_TIMEOUT_MS,
            )
            load.ready_ms = float(tab.evaluate("window.__benchReadyAt"))
        except Exception:  # Playwright's TimeoutError: recorded as not ready
            load.shown = str(tab.evaluate("window.__benchLastReady || ''")) or None
        # Let what the page still fetches land, so the table can say what came after.
        deadline = time.monotonic() + AFTER_READY_MAX_S
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            tab.wait_for_timeout(100)
            if any(r.finished is None for r in requests.values()):
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_S:
                break
        load.requests = sorted(requests.values(), key=lambda r: r.started)
        document = next((r for r in load.requests if r.kind == "Document"), None)
        if document and load.ready_ms is not None:
            # performance.now() counts from navigation start, which is when the document
            # request is sent (a few ms apart at most; requests here take ≥ 2 s).
            ready_at = document.started + load.ready_ms / 1000 + 0.05
            load.until_ready = [
                r for r in load.requests if r.finished is not None and r.finished <= ready_at
            ]
    finally:
        context.close()
    return load


# --- The section ------------------------------------------------------------------------


def _kb(count: int) -> str:
    return f"{count / 1000:.1f}"


def largest_js_module() -> tuple[str, int, int]:
    """(path, gzip -9 size, raw size) of the largest JS module as the devserver serves it
    (devserver/web.py compresses with gzip level 9; CloudFront compresses too)."""
    best = ("(none)", 0, 0)
    for path in sorted(WEB.rglob("*.js")):
        raw = path.read_bytes()
        packed = len(gzip.compress(raw, 9, mtime=0))
        if packed > best[1]:
            best = (str(path.relative_to(ROOT)), packed, len(raw))
    return best


def service_worker_shell() -> tuple[int, int]:
    """(files, gzip -9 bytes) the service worker fetches when it installs (`SHELL_FILES` in
    web/sw.js): what a real first visit adds in the background, blocked in this benchmark."""
    try:
        text = (WEB / "sw.js").read_text()
    except OSError:
        return 0, 0
    match = re.search(r"SHELL_FILES\s*=\s*\[(.*?)\]", text, re.DOTALL)
    if not match:
        return 0, 0
    files = re.findall(r"[\"']([^\"']+)[\"']", match.group(1))
    total = 0
    for name in files:
        path = WEB / ("index.html" if name == "/" else name.lstrip("/"))
        if path.is_file():
            raw = path.read_bytes()
            compressible = path.suffix in {".html", ".css", ".js", ".svg", ".webmanifest"}
            total += len(gzip.compress(raw, 9, mtime=0)) if compressible else len(raw)
    return len(files), total


def _row(load: Load) -> tuple[str, list[str]]:
    page, failures = load.page, []
    label = f"{page.name} ({load.lang})"
    if load.ready_ms is None:
        shown = f"; showed view `{load.shown}`" if load.shown else "; still loading"
        total = load.bytes_of(load.requests)
        cells = [
            f"not ready in {READY_TIMEOUT_MS // 1000} s{shown}",
            str(len(load.requests)),
            "—",
            "—",
            f"({_kb(total)} loaded)",
            "—",
        ]
        failures.append(f"web: {label} never became usable (view `{page.view}`){shown}")
    else:
        used = load.until_ready
        total = load.bytes_of(used)
        static = load.bytes_of(used, api=False)
        api = load.bytes_of(used, api=True)
        counted = {id(r) for r in used}
        later = [r for r in load.requests if id(r) not in counted and not r.failed]
        after = f"{len(later)} req, {_kb(load.bytes_of(later))} KB" if later else "—"
        seconds = load.ready_ms / 1000
        budget = "met" if total <= BUDGET_BYTES else "**over**"
        if total > BUDGET_BYTES:
            failures.append(f"web: {label} transfers {total} bytes before usable (> 100 KB)")
        soft = "" if seconds <= SOFT_GOAL_S else " (> 10 s)"
        cells = [
            f"{seconds:.1f}{soft}",
            str(len(used)),
            _kb(static),
            _kb(api),
            f"**{_kb(total)}**",
            f"{budget}; later: {after}",
        ]
    if load.errors:
        failures.append(f"web: {label}: uncaught error(s) in the page: {load.errors[:3]}")
    route = f"`{page.route}`" + (f" as `{page.account[0]}`" if page.account else "")
    return f"| {label} | {route} | " + " | ".join(cells) + " |", failures


def run() -> Section:
    title = "Web client: first load on Slow 3G"
    missing = _chromium_missing()
    if missing:
        return Section(title, f"Not measured: {missing}.", [f"web: {missing}"])
    from playwright.sync_api import sync_playwright

    loads: list[Load] = []
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        _submit_application(http)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for page, lang in MEASURED:
                    print(f"bench: web {page.name} ({lang}) …", file=sys.stderr, flush=True)
                    loads.append(measure(browser, http, page, lang))
            finally:
                browser.close()
    failures: list[str] = []
    rows = []
    for load in loads:
        row, row_failures = _row(load)
        rows.append(row)
        failures.extend(row_failures)
    js_path, js_packed, js_raw = largest_js_module()
    sw_files, sw_bytes = service_worker_shell()
    slow = [
        f"{load.page.name} ({load.lang})"
        for load in loads
        if load.ready_ms is not None and load.ready_ms / 1000 > SOFT_GOAL_S
    ]
    soft_goal = f"over it: {', '.join(slow)}" if slow else "met by every page that became usable"
    table = "\n".join(rows)
    body = f"""
Measured by `bench/web.py` (Playwright driving Debian's headless Chromium against a
`python -m devserver` it starts, demo data): each page's **cold first load** in a fresh
browser context (empty cache, no cookies, service workers blocked), at a phone's size
(390×844), under Chromium's emulation of a cheap phone on a poor network — DevTools' classic
**Slow 3G** preset through CDP `Network.emulateNetworkConditions` (latency {LATENCY_MS} ms
added to every request, {THROUGHPUT_BYTES_PER_S:,} bytes/s down and up, i.e. 500 kbit/s × 0.8)
and **CPU throttled {CPU_SLOWDOWN}×** (`Emulation.setCPUThrottlingRate`). Signed-in pages get
their session (tokens from `POST /v1/auth/login`, not counted) in localStorage before the
navigation. Language from localStorage `massar.lang` and the browser's locale (ar-MA, fr-FR).

- **usable**: seconds from navigation start until the view marks itself ready with its data
  on screen (core.js `ready(view)`: `data-view` = the page's view, `data-ready` = 1).
- **bytes**: sum of CDP `Network.loadingFinished.encodedDataLength` of the requests finished
  by then — on the wire, compressed (the devserver gzips static files like CloudFront does;
  API JSON is not compressed by the devserver), headers included. *static* = HTML, CSS, JS,
  icons; *api* = `/v1/…` JSON. *later*: what the page still fetched after it was usable (not
  counted in the budget). KB = 1,000 bytes. No web fonts: system fonts only.
- Goals: **≤ 100 KB** on the wire before usable (a failure of `make bench` when over); usable
  **within 10 s** on Slow 3G is a soft goal, reported only ({soft_goal}).

| page (lang) | route | usable (s) | requests | static KB | api KB | total KB | budget; later |
|---|---|---:|---:|---:|---:|---:|---|
{table}

Largest JS module, compressed: `{js_path}`, **{_kb(js_packed)} KB** gzip -9 ({_kb(js_raw)} KB
raw). On a real first visit the service worker (blocked here) then installs the offline shell
in the background, after the page is usable: {sw_files} files, about {_kb(sw_bytes)} KB gzip -9
before headers, some of them already loaded by the page (not counted above).

Each request pays the full {LATENCY_MS / 1000:.0f} s latency, so the time is mostly the depth of
the request chain (HTML → app.js/core.js/app.css → the view's module → its API call(s)), not
the bytes. The devserver speaks HTTP/1.1 (six connections per host); CloudFront would speak
HTTP/2. The CPU slowdown is relative to this machine, which is shared: read the times as
orders of magnitude, the bytes as exact.
"""
    return Section(title, body, failures)


# --- Screenshots ------------------------------------------------------------------------


def screenshots() -> int:
    """docs/screenshots/<page>-<lang>.png of the main pages, phone size, no throttling."""
    missing = _chromium_missing()
    if missing:
        print(f"screenshots: {missing}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        _submit_application(http)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for name in SHOT_PAGES:
                    page = BY_NAME[name]
                    for lang in ("ar", "fr"):
                        problem = _screenshot(browser, http, page, lang)
                        if problem:
                            problems.append(problem)
            finally:
                browser.close()
    for problem in problems:
        print(f"screenshots: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _screenshot(browser: Any, http: Any, page: Page, lang: str) -> str | None:
    context = _context(browser, http.base, lang, _storage(http, page, lang), device_scale_factor=1)
    target = SCREENSHOTS / f"{page.name}-{lang}.png"
    try:
        tab = context.new_page()
        tab.goto(page.route)
        try:
            tab.wait_for_function(
                "view => document.documentElement.dataset.view === view"
                " && document.documentElement.dataset.ready === '1'",
                arg=page.view,
                timeout=20_000,
            )
        except Exception:  # Playwright's TimeoutError
            return f"{page.name} ({lang}) never became ready: no screenshot"
        tab.evaluate("document.activeElement?.blur()")  # no focus ring in the picture
        tab.wait_for_timeout(300)
        tab.screenshot(path=str(target), full_page=True, type="png")
    finally:
        context.close()
    _shrink(target)
    print(f"screenshots: {target.relative_to(ROOT)} {target.stat().st_size // 1000} KB")
    return None


def _shrink(png: Path) -> None:
    """A 256-colour palette: a third of the size, no visible loss on flat UI colours
    (Pillow comes with fpdf2; without it the PNG stays as Chromium wrote it)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        palette = image.convert("RGB").quantize(colors=256)
    palette.save(png, optimize=True)


def main(argv: list[str]) -> int:
    if "--screenshots" in argv:
        return screenshots()
    section = run()
    print(section.markdown())
    return 1 if section.failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
