"""axe-core on the main pages, in Arabic and in French: no serious or critical violation
(labels, contrast, names of controls, landmarks, language of the page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devserver.harness import Http
from tests.web.conftest import wait_ready

AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"

PUBLIC = [
    ("/#/", "home"),
    ("/#/register", "register"),
    ("/#/track", "track"),
    ("/#/signin", "signin"),
    ("/#/activate", "activate"),
    ("/#/recover", "recover"),
]
SIGNED_IN = [
    ("AB123456", "Parent-demo-2026!", "/#/space", "space"),
    ("AB123456", "Parent-demo-2026!", "/#/space/J130012345/marks", "space-marks"),
    ("AB123456", "Parent-demo-2026!", "/#/space/J130012345/absences", "space-absences"),
    ("AB123456", "Parent-demo-2026!", "/#/space/J130012345/national", "space-national"),
    ("AB123456", "Parent-demo-2026!", "/#/profile", "profile"),
    ("dir.ep0007", "Directrice-demo-2026!", "/#/desk", "desk-applications"),
    ("dir.cl4501", "Directeur-demo-2026!", "/#/desk/marks", "desk-marks"),
    ("dir.ep0007", "Directrice-demo-2026!", "/#/desk/classes", "desk-classes"),
    ("dir.ep0007", "Directrice-demo-2026!", "/#/desk/subjects", "desk-subjects"),
    ("dir.ep0007", "Directrice-demo-2026!", "/#/desk/timetable/1AP-1", "desk-timetable"),
    ("dir.ep0007", "Directrice-demo-2026!", "/#/desk/guardians", "desk-guardians"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops", "ops-dashboard"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops/campaigns", "ops-campaigns"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops/schools/in/04.441", "ops-schools"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops/schools/new", "ops-schools-new"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops/schools/import", "ops-schools-import"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops/staff/EP0007", "ops-staff"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops/batches/for/CL4501", "ops-batches"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops/notifications/%2B212661234567", "ops-notifications"),
    ("ops.admin", "Massar-dev-2026!", "/#/ops/audit/dir.cl4501", "ops-audit"),
]


def serious_violations(page: Any) -> list[str]:
    page.evaluate(AXE.read_text())
    tags = ["wcag2a", "wcag2aa", "wcag21aa"]
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
    )
    assert result["passes"], "axe checked nothing"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_public_pages_have_no_serious_violation(new_page: Any, lang: str) -> None:
    page = new_page(lang, bypass_csp=True)  # axe is injected as a script of the test's own
    found: dict[str, list[str]] = {}
    for path, view in PUBLIC:
        page.goto(path)
        wait_ready(page, view)
        found[view] = serious_violations(page)
    assert not any(found.values()), found


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_signed_in_pages_have_no_serious_violation(
    new_page: Any, devserver: Http, lang: str
) -> None:
    found: dict[str, list[str]] = {}
    for username, password, path, view in SIGNED_IN:
        status, _, answer = devserver.call(
            "POST", "/v1/auth/login", {"username": username, "password": password}
        )
        assert status == 200, answer
        page = new_page(lang, bypass_csp=True)
        page.add_init_script(f"localStorage.setItem('massar.session', {answer_json(answer)!r})")
        page.goto(path)
        wait_ready(page, view)
        found[view] = serious_violations(page)
        page.context.close()
    assert not any(found.values()), found


def answer_json(answer: dict[str, Any]) -> str:
    import json

    return json.dumps({k: answer[k] for k in ("access_token", "refresh_token", "account")})
