"""Subjects, assessments and marks, in the pupils table.

- `SCHOOL#<school>` / `SUBJECT#<level>#<track or ->#<subject>`: a subject with its
  coefficient for a level and track (one Query lists a school's subjects);
- `ASSESSMENT#<id>` / `ASSESSMENT`: a test or exam of a class (subject, kind, date, semester,
  school year, coefficient, school);
- `PUPIL#<massar>` / `MARK#<school_year>#S<semester>#<subject>#<assessment id>`: one mark,
  carrying subject, coefficient, kind, date, mark and school — a semester's grades are one
  Query, and staff access is checked on the items' school with no extra read;
- `PUPIL#<massar>` / `EXAM#<date>#<assessment id>`: a copy of each assessment of the pupil's
  class, written when it is created, so the exam calendar is one Query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from chalicelib.accounts.audit import store as audit
from chalicelib.accounts.audit.rules import AuditEntry
from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.pupils.store import data_of

MAX_TRANSACTION_ITEMS = 100
NO_TRACK = "-"


def _school_pk(school_code: str) -> str:
    return f"SCHOOL#{school_code}"


def subject_sk(level: str, track: str | None, subject: str) -> str:
    return f"SUBJECT#{level}#{track or NO_TRACK}#{subject}"


def mark_prefix(school_year: str, semester: int | None = None) -> str:
    return f"MARK#{school_year}#" + (f"S{semester}#" if semester else "")


def mark_sk(school_year: str, semester: int, subject: str, assessment_id: str) -> str:
    return f"{mark_prefix(school_year, semester)}{subject}#{assessment_id}"


# --- Subjects ----------------------------------------------------------------------------


def subjects_of_school(school_code: str) -> list[dict[str, str]]:
    items = bound(PupilModel).query(_school_pk(school_code), PupilModel.sk.startswith("SUBJECT#"))
    return [item.data.as_dict() for item in items]


def replace_subjects(school_code: str, subjects: Sequence[dict[str, str]]) -> None:
    """The school's subject list becomes `subjects` (one Query, then one batch write)."""
    pk = _school_pk(school_code)
    model = bound(PupilModel)
    wanted = {subject_sk(s["level"], s.get("track"), s["subject"]): s for s in subjects}
    existing = [item.sk for item in model.query(pk, PupilModel.sk.startswith("SUBJECT#"))]
    stamp = now()
    with model.batch_write() as batch:
        for sk in existing:
            if sk not in wanted:
                batch.delete(model(pk, sk))
        for sk, data in wanted.items():
            batch.save(
                model(
                    pk,
                    sk,
                    kind="subject",
                    massar_code="-",
                    data={k: v for k, v in data.items() if v},
                    created_at=stamp,
                )
            )


def get_subject(
    school_code: str, level: str, track: str | None, subject: str
) -> dict[str, str] | None:
    return data_of(_school_pk(school_code), subject_sk(level, track, subject))


# --- Assessments -------------------------------------------------------------------------


def _assessment_pk(assessment_id: str) -> str:
    return f"ASSESSMENT#{assessment_id}"


def class_list_pk(school_code: str, class_id: str) -> str:
    return f"CLASS_ASSESSMENTS#{school_code}#{class_id}"


def class_list_sk(data: dict[str, str]) -> str:
    return f"{data['school_year']}#{data['date']}#{data['id']}"


def add_assessment(
    assessment_id: str, data: dict[str, str], members: Sequence[str], school_code: str
) -> None:
    """The assessment, its entry in the class's list (`CLASS_ASSESSMENTS#<school>#<class>` /
    `<school year>#<date>#<id>`, `tally`: marks entered) and its copy in each member's
    partition (the exam calendar)."""
    model = bound(PupilModel)
    stamp = now()
    with model.batch_write() as batch:
        batch.save(
            model(
                class_list_pk(school_code, data["class_id"]),
                class_list_sk(data),
                kind="assessment_entry",
                massar_code="-",
                data=data,
                created_at=stamp,
                tally=0,
            )
        )
        batch.save(
            model(
                _assessment_pk(assessment_id),
                "ASSESSMENT",
                kind="assessment",
                massar_code="-",
                data=data,
                created_at=stamp,
            )
        )
        for massar_code in members:
            batch.save(
                model(
                    f"PUPIL#{massar_code}",
                    f"EXAM#{data['date']}#{assessment_id}",
                    kind="exam",
                    massar_code=massar_code,
                    data=data,
                    created_at=stamp,
                )
            )


def get_assessment(assessment_id: str) -> dict[str, str] | None:
    return data_of(_assessment_pk(assessment_id), "ASSESSMENT")


def upcoming_exams(massar_code: str, from_date: str) -> list[dict[str, str]]:
    """The pupil's assessments dated `from_date` or later, oldest first (one Query)."""
    items = bound(PupilModel).query(
        f"PUPIL#{massar_code}",
        PupilModel.sk.between(f"EXAM#{from_date}", "EXAM#\uffff"),
    )
    return [item.data.as_dict() for item in items]


# --- Marks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkWrite:
    massar_code: str
    sk: str
    data: dict[str, str]


def existing_marks(massar_codes: Iterable[str], sk: str) -> dict[str, str]:
    """The marks already stored for these pupils at `sk` (one BatchGet per 100 keys)."""
    keys = [(f"PUPIL#{code}", sk) for code in massar_codes]
    found: dict[str, str] = {}
    for item in bound(PupilModel).batch_get(keys):
        found[item.massar_code] = item.data.as_dict().get("mark", "")
    return found


def write_marks(writes: Sequence[MarkWrite], entries: Sequence[AuditEntry]) -> None:
    """Marks and their audit records, in transactions of at most 100 items (validated before:
    a class fits in one transaction; a larger one is written in consecutive parts)."""
    model = bound(PupilModel)
    stamp = now()
    items: list[tuple[str, object]] = [
        (
            "mark",
            model(
                f"PUPIL#{w.massar_code}",
                w.sk,
                kind="mark",
                massar_code=w.massar_code,
                data=w.data,
                created_at=stamp,
                updated_at=stamp,
            ),
        )
        for w in writes
    ] + [("audit", entry) for entry in entries]
    for start in range(0, len(items), MAX_TRANSACTION_ITEMS):
        transaction = Transaction()
        for label, item in items[start : start + MAX_TRANSACTION_ITEMS]:
            if isinstance(item, AuditEntry):
                transaction.external_put(label, partial(audit.add_to_transaction, entry=item))
            else:
                transaction.put(label, item)  # type: ignore[arg-type]
        transaction.commit()


def marks_of(massar_code: str, school_year: str, semester: int | None) -> list[dict[str, str]]:
    """A pupil's marks of a school year, or of one of its semesters (one Query)."""
    items = bound(PupilModel).query(
        f"PUPIL#{massar_code}",
        PupilModel.sk.startswith(mark_prefix(school_year, semester)),
    )
    return [item.data.as_dict() for item in items]
