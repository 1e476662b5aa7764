"""The profile page's contact change (issue 13, finding 3): a new email needs the current
password, then waits for the code sent to it, typed on the same page. At 390x844 in both
languages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from devserver.harness import Http, running_devserver
from tests.web.checks import check_page
from tests.web.conftest import wait_ready

PARENT = ("AB123456", "Parent-demo-2026!")


@pytest.fixture(scope="module")
def devserver() -> Iterator[Http]:
    """This module's own demo devserver: the contacts it changes stay here."""
    with running_devserver({"MASSAR_DEMO": "1"}) as (http, _):
        yield http


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_a_new_email_is_confirmed_with_the_code_it_received(
    devserver: Http, new_page: Callable[..., Any], lang: str
) -> None:
    import json

    new_email = f"parent.{lang}@example.ma"
    status, _, answer = devserver.call(
        "POST", "/v1/auth/login", {"username": PARENT[0], "password": PARENT[1]}
    )
    assert status == 200, answer
    page = new_page(lang)
    page.add_init_script(
        f"localStorage.setItem('massar.session', {json.dumps(json.dumps(answer))})"
    )
    page.goto("/#/profile")
    wait_ready(page, "profile")
    main_form = page.locator("main form").first
    page.fill("input[name=email]", new_email)
    main_form.locator("button[type=submit]").click()
    # Without the password: said under its field, nothing sent.
    expect(page.locator("[data-field=current_password] .error")).to_be_visible()
    page.fill("input[name=current_password]", PARENT[1])
    main_form.locator("button[type=submit]").click()
    confirm = page.locator("form[data-confirm=email]")
    expect(confirm).to_be_visible()
    check_page(page)
    message = devserver.wait_for_message(new_email)
    code = re.search(r"\b(\d{6})\b", message["body"])
    assert code, message["body"]
    confirm.locator("input[name=code]").fill(code.group(1))
    confirm.locator("button[type=submit]").click()
    expect(page.locator("form[data-confirm=email]")).to_have_count(0)
    expect(page.locator(".pending-contacts .notice.good")).to_be_visible()
    token = answer["access_token"]
    assert devserver.call("GET", "/v1/me", token=token)[2]["profile"]["email"] == new_email
    check_page(page)
