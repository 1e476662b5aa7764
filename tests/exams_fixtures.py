"""An exam session, its candidates and results, for the exams tests and the benchmark."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from tests.conftest import Api
from tests.space_fixtures import OTHER_PUPIL, PUPIL

YEAR = "2025-2026"
REGIONAL = f"regional-{YEAR}-3AC-03"  # Fès-Meknès, where SCHOOL lies
NATIONAL = f"national-{YEAR}-2BAC"
CENTRE = ("CE0301", "ثانوية مولاي إدريس", "Lycée Moulay Idriss (Fès)")


def operator(academy: str | None = None, province: str | None = None) -> str:
    return issue_access_token(
        Account(
            f"ops.{academy or 'nat'}.{province or ''}",
            Role.OPS,
            AccountStatus.ACTIVE,
            Scope(academy=academy, province=province),
        )
    )


def slots(track: str = "GEN") -> list[dict[str, str]]:
    return [
        {
            "track": track,
            "subject": "MATH",
            "name_ar": "الرياضيات",
            "name_fr": "Mathématiques",
            "date": "2026-06-10",
            "starts_at": "08:30",
            "ends_at": "10:30",
        },
        {
            "track": track,
            "subject": "AR",
            "name_ar": "اللغة العربية",
            "name_fr": "Langue arabe",
            "date": "2026-06-10",
            "starts_at": "11:00",
            "ends_at": "12:30",
        },
    ]


def session_body(results_at: datetime, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "regional",
        "school_year": YEAR,
        "level": "3AC",
        "academy": "03",
        "name_ar": "الامتحان الجهوي الموحد للسنة الثالثة إعدادي",
        "name_fr": "Examen régional normalisé de 3e année du collège",
        "results_at": results_at.isoformat(),
        "subjects": slots(),
    }
    return {**body, **changes}


def csv64(lines: list[str]) -> str:
    return base64.b64encode(("\n".join(lines) + "\n").encode()).decode()


def candidates_file(*rows: str) -> dict[str, Any]:
    header = "massar_code,track,centre_code,centre_name_ar,centre_name_fr,candidate_number"
    return {"format": "csv", "content_base64": csv64([header, *rows])}


def candidate_row(massar: str = PUPIL, number: str = "301001", track: str = "GEN") -> str:
    return f"{massar},{track},{CENTRE[0]},{CENTRE[1]},{CENTRE[2]},{number}"


def results_file(*rows: str) -> dict[str, Any]:
    return {
        "format": "csv",
        "content_base64": csv64(["massar_code,average,decision,mention", *rows]),
    }


def publish(api: Api, token: str, results_in: timedelta = timedelta(days=2)) -> Any:
    from chalicelib.core.clock import now

    answer = api.post("/v1/exam-sessions", session_body(now() + results_in), token=token)
    assert answer.status_code == 201, answer.body
    return answer.json_body


def session_with_result(api: Api, results_in: timedelta = timedelta(days=2)) -> str:
    """The regional session, the pupil a candidate with a result (admitted, 15.25)."""
    token = operator("03")
    session = publish(api, token, results_in)["id"]
    answer = api.post(
        f"/v1/exam-sessions/{session}/candidates", candidates_file(candidate_row()), token=token
    )
    assert answer.json_body["created"] == 1, answer.body
    answer = api.post(
        f"/v1/exam-sessions/{session}/results",
        results_file(f"{PUPIL},15.25,admitted,bien"),
        token=token,
    )
    assert answer.json_body["created"] == 1, answer.body
    return str(session)


__all__ = ["OTHER_PUPIL", "PUPIL"]
