"""What every page of every role must satisfy (issue 15), checked on each page a test
visits: no programming value leaking into the text (`[object …]`, `undefined`, `NaN`, a
bare `null`), nothing wider than the phone, and no uncaught script error so far."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import PAGE_ERRORS

LEAKS = re.compile(r"\[object|\bundefined\b|\bNaN\b|(?<![\w-])null(?![\w-])")


def page_problems(page: Any) -> list[str]:
    seen = page.evaluate(
        """() => ({
            text: document.body.innerText,
            scroll: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            wide: [...document.querySelectorAll('main *')]
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
                    || el.getBoundingClientRect().left < -1)
                .filter((el) => !el.closest('.table-wrap, [hidden]'))
                .slice(0, 3).map((el) => el.tagName + '.' + el.className),
            view: document.documentElement.dataset.view || location.hash,
        })"""
    )
    problems = [f"{seen['view']}: shows {m!r}" for m in LEAKS.findall(seen["text"])]
    if seen["scroll"] > seen["viewport"]:
        problems.append(
            f"{seen['view']}: {seen['scroll']} px wide in a {seen['viewport']} px viewport"
            f" ({', '.join(seen['wide'])})"
        )
    problems += [f"{seen['view']}: script error {e}" for e in PAGE_ERRORS.get(page, [])]
    return problems


def check_page(page: Any) -> None:
    """Assert the cross-page rules on the page as it is now."""
    problems = page_problems(page)
    assert not problems, "\n".join(problems)
