"""Exam sessions and each candidate's exam, in the pupils table (no table of their own).

- `EXAMSESSIONS#<school year>` / `<id>`: the session as the operator published it (kind,
  level, academy, names, `results_at`, the calendar of every track as JSON in `data`); a
  year's sessions are one Query (a few dozen items: twelve academies, three exams).
- `PUPIL#<massar>` / `NATEXAM#<id>`: **what the pupil reads**, one item holding everything
  the pupil's views show: the session's names and `results_at`, the candidate's track,
  centre and number, the track's calendar, the pupil's names (for the convocation) and,
  once imported, the result. Written by the candidates and results imports, so reading a
  pupil's exam — results day's one request — is one GetItem of one small item (about
  1 KB: half a read unit, eventually consistent). (`EXAM#…` is the school's own tests.)
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.pupils.store import BATCH_GET_LIMIT, pupil_pk

EXAM_PREFIX = "NATEXAM#"


def sessions_pk(school_year: str) -> str:
    return f"EXAMSESSIONS#{school_year}"


def _year_of(session_id: str) -> str:
    """`national-2025-2026-2BAC` → `2025-2026` (ids are checked before they get here)."""
    parts = session_id.split("-")
    return f"{parts[1]}-{parts[2]}"


def exam_sk(session_id: str) -> str:
    return f"{EXAM_PREFIX}{session_id}"


def _data(item: PupilModel) -> dict[str, str]:
    return {str(k): str(v) for k, v in item.data.as_dict().items()}


def get_session(session_id: str) -> dict[str, str] | None:
    try:
        item = bound(PupilModel).get(
            sessions_pk(_year_of(session_id)), session_id, consistent_read=True
        )
    except DoesNotExist:
        return None
    return _data(item)


def create_session(session_id: str, data: dict[str, str]) -> bool:
    """Write a new session; False when one with this id exists (nothing written)."""
    item = bound(PupilModel)(
        sessions_pk(_year_of(session_id)),
        session_id,
        kind="exam_session",
        massar_code="-",
        data={k: v for k, v in data.items() if v},
        created_at=now(),
    )
    try:
        item.save(condition=PupilModel.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def sessions_of(school_year: str) -> list[dict[str, str]]:
    """A school year's sessions (one Query; a page holds them all)."""
    return [_data(item) for item in bound(PupilModel).query(sessions_pk(school_year))]


def get_exam(massar_code: str, session_id: str) -> dict[str, str] | None:
    """The pupil's exam item: one GetItem, eventually consistent (written at imports, hours
    or days before it is read; half the read units of a consistent read)."""
    try:
        item = bound(PupilModel).get(pupil_pk(massar_code), exam_sk(session_id))
    except DoesNotExist:
        return None
    return _data(item)


def exams_of(massar_code: str) -> list[dict[str, str]]:
    """Every exam of the pupil (one Query of the pupil's partition)."""
    items = bound(PupilModel).query(pupil_pk(massar_code), PupilModel.sk.startswith(EXAM_PREFIX))
    return [_data(item) for item in items]


def get_exams(session_id: str, massar_codes: Iterable[str]) -> dict[str, dict[str, str]]:
    """The exam items of many candidates of one session (BatchGetItem, 100 keys a call)."""
    codes = list(dict.fromkeys(massar_codes))
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(codes), BATCH_GET_LIMIT):
        keys = [(pupil_pk(c), exam_sk(session_id)) for c in codes[start : start + BATCH_GET_LIMIT]]
        for item in bound(PupilModel).batch_get(keys, consistent_read=True):
            found[item.massar_code] = _data(item)
    return found


def put_exams(session_id: str, exams: dict[str, dict[str, str]]) -> None:
    """Write the candidates' exam items (BatchWriteItem, 25 a call). A put replaces the
    whole item: writing the same rows again leaves the same items."""
    if not exams:
        return
    stamp = now()
    with bound(PupilModel).batch_write() as batch:
        for massar_code, data in exams.items():
            batch.save(
                bound(PupilModel)(
                    pupil_pk(massar_code),
                    exam_sk(session_id),
                    kind="national_exam",
                    massar_code=massar_code,
                    data={k: v for k, v in data.items() if v},
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
