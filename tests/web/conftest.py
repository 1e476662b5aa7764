"""Browser tests: Debian's headless Chromium driven by Playwright against `make run`'s
devserver (a real process, in-process moto, demo data), at a phone's size.

`make test` installs Chromium (apt) and Playwright (pip); Playwright never downloads a
browser of its own here: it launches /usr/bin/chromium."""

from __future__ import annotations

import os
import shutil
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from devserver.harness import CHROMIUM, Http, launch_chromium, running_devserver

PHONE = {"width": 390, "height": 844}
LOCALES = {"ar": "ar-MA", "fr": "fr-FR"}


@pytest.fixture(scope="session")
def devserver() -> Iterator[Http]:
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # No skipping: `make test` installs Chromium, and a browser test that cannot run fails.
    assert shutil.which(CHROMIUM), f"no Chromium at {CHROMIUM}: run `make test` (it installs it)"
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()
PAGE_ERRORS: weakref.WeakKeyDictionary[Any, list[str]] = weakref.WeakKeyDictionary()
FAILURES = Path(os.environ.get("WEB_FAILURES", "/tmp/massar-web-failures"))


@pytest.fixture
def new_page(
    browser: Any, devserver: Http, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """`new_page("ar")` → a page in a fresh context (its own storage) whose browser asks
    for that language, at a phone's size, pointed at the devserver."""
    contexts: list[Any] = []

    def open_page(lang: str = "ar", **options: Any) -> Any:
        context = browser.new_context(
            base_url=devserver.base,
            locale=LOCALES[lang],
            viewport=PHONE,
            **options,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        PAGE_ERRORS[page] = errors  # for tests.web.checks.check_page
        return page

    errors: list[str] = []
    yield open_page
    failed = request.node.stash.get(FAILED, False)
    for number, context in enumerate(contexts):
        if failed:  # what each page showed, for the one reading the failure
            FAILURES.mkdir(parents=True, exist_ok=True)
            for page in context.pages:
                name = f"{request.node.name}-{number}.png".replace("/", "_")
                page.screenshot(path=str(FAILURES / name), full_page=True)
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def wait_ready(page: Any, view: str) -> None:
    """The view has rendered with its data (core.js `ready`)."""
    page.wait_for_function(
        "view => document.documentElement.dataset.view === view"
        " && document.documentElement.dataset.ready === '1'",
        arg=view,
    )


def sign_in(page: Any, username: str, password: str, landing: str) -> None:
    page.goto("/#/signin")
    wait_ready(page, "signin")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    wait_ready(page, landing)
