"""A drop in marks tells the parents (seed 002), once.

When marks are entered, each pupil whose mark changed has the subject's semester average
worked out again (the marks just written included). Below MARKS_ALERT_BELOW, or
MARKS_ALERT_DROP points under the same subject's average of the previous semester
(`rules.drop_reason`), the notified guardian gets one message — whatever the number of
marks entered at once (a sheet is one call), and not again for that subject and semester
until its average recovers: a marker item in the pupil's partition says an alert went out
(written with the outbox item, in one transaction), and is deleted on recovery. The
message is not urgent (quiet hours hold an SMS), counts in the recipient's budget and
follows the parent's preferences (`marks_drop`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from decimal import Decimal

from chalicelib.core.config import settings
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.rules import PupilRecord
from chalicelib.school_life.marks.alerts_store import MarkerChange
from chalicelib.school_life.marks.rules import (
    DropAlertRules,
    drop_reason,
    previous_semester,
    subject_average,
)

KIND = "marks_drop"  # the parents' preference this message follows
ABSENT = "absent"


def alert_rules() -> DropAlertRules:
    config = settings()
    return DropAlertRules(Decimal(config.marks_alert_below), Decimal(config.marks_alert_drop))


def _average(marks: Sequence[str]) -> Decimal | None:
    values = [None if m == ABSENT else Decimal(m) for m in marks if m]
    return subject_average("-", Decimal(1), values).average


def _text(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _subject_names(assessment: dict[str, str]) -> dict[str, str]:
    """The subject's name in each language (its code when the school has none)."""
    from chalicelib.school_life.marks import store
    from chalicelib.schools.classes import store as classes

    code = assessment["subject"]
    klass = classes.get_class(assessment["school_code"], assessment["class_id"]) or {}
    found = store.get_subject(
        assessment["school_code"], klass.get("level", ""), klass.get("track") or None, code
    )
    found = found or {}
    return {"ar": found.get("name_ar") or code, "fr": found.get("name_fr") or code}


def _alert(
    record: PupilRecord, assessment: dict[str, str], names: dict[str, str], figures: dict[str, str]
) -> Notification | None:
    from chalicelib.pupils.rules import child_name
    from chalicelib.school_life.behaviour.service import guardian_alert

    def params(language: str) -> dict[str, str]:
        return {
            "child_name": child_name(record, language),
            "subject": names.get(language, assessment["subject"]),
            "semester": assessment["semester"],
            "school_year": assessment["school_year"],
            "average": figures["average"],
            "previous": figures["previous"],
        }

    notification_id = "mdrop-" + secrets.token_hex(16)  # once: the marker's condition
    return guardian_alert(record, notification_id, "marks_drop", params, KIND)


def alert_drops(assessment: dict[str, str], massar_codes: Sequence[str]) -> list[str]:
    """After marks of `assessment` were written for these pupils: the alerts and markers.
    Returns the pupils a message was queued for."""
    from chalicelib.pupils import store as pupils
    from chalicelib.school_life.marks import alerts_store as store

    if not massar_codes:
        return []
    year, semester, subject = (
        assessment["school_year"],
        int(assessment["semester"]),
        assessment["subject"],
    )
    before_year, before_semester = previous_semester(year, semester)
    sk = store.marker_sk(year, semester, subject)
    raised = store.markers(massar_codes, sk)
    rules = alert_rules()
    to_raise: dict[str, dict[str, str]] = {}
    changes: list[MarkerChange] = []
    for code in dict.fromkeys(massar_codes):
        average = _average(store.subject_marks(code, year, semester, subject))
        previous = _average(store.subject_marks(code, before_year, before_semester, subject))
        reason = drop_reason(average, previous, rules)
        if reason and code not in raised:
            to_raise[code] = {
                "reason": reason,
                "average": _text(average),
                "previous": _text(previous),
            }
        elif reason is None and code in raised:
            changes.append(MarkerChange(code, sk, raise_it=False))
    if to_raise:
        names = _subject_names(assessment)
        records = pupils.get_records(to_raise)
        for code, figures in to_raise.items():
            record = records.get(code)
            alert = _alert(record, assessment, names, figures) if record else None
            changes.append(MarkerChange(code, sk, True, alert, figures))
    written = store.commit(changes)
    return [c.massar_code for c in written if c.raise_it and c.alert is not None]
