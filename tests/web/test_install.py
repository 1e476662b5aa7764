"""The client installs as an app (manifest, icons, a service worker that answers fetches),
as Chromium itself judges it."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import wait_ready


def test_chromium_finds_the_app_installable(new_page: Any) -> None:
    page = new_page("fr")
    page.goto("/?sw=1#/")  # under automation the service worker is opt-in
    wait_ready(page, "home")
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito, where nothing installs: that one is the browser's.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == [], errors
    manifest = cdp.send("Page.getAppManifest")
    assert not manifest.get("errors"), manifest
