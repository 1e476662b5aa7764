"""Guardian corrections, in the pupils table.

- the guardian in the pupil record's guardian block (`PUPIL#<massar>` / `PROFILE`,
  `guardians.<role>`), rewritten with the correction and `confirmed_at`/`confirmed_by`;
- `GUARDIAN_CHANGES#<school>` / `<changed_at>#<massar>#<role>`: what changed, for the
  school (one Query, newest first), before and after as JSON;
- the audit record (before, after) in the audit table, in the same transaction.
"""

from __future__ import annotations

import json
from functools import partial

from chalicelib.accounts.audit import store as audit
from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.core.clock import now
from chalicelib.core.cursors import Page
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.pupils.store import update_guardian
from chalicelib.school_life.appointments.store import query_page


def changes_pk(school_code: str) -> str:
    return f"GUARDIAN_CHANGES#{school_code}"


def get(massar_code: str, role: str) -> dict[str, str] | None:
    from chalicelib.pupils.store import get_record

    record = get_record(massar_code)
    return dict(record.guardians[role]) if record and role in record.guardians else None


def apply(
    massar_code: str,
    school_code: str,
    role: str,
    before: dict[str, str],
    changed: dict[str, str],
    actor: str,
    origin: Origin,
) -> dict[str, str]:
    stamp = now()
    at = stamp.isoformat(timespec="milliseconds")
    after = {**before, **changed, "confirmed_at": at, "confirmed_by": actor}
    transaction = Transaction()
    update_guardian(transaction, massar_code, role, after)
    if changed:
        old = {k: before[k] for k in changed if k in before}
        detail = {
            "massar_code": massar_code,
            "role": role,
            "before": json.dumps(old, ensure_ascii=False, sort_keys=True),
            "after": json.dumps(changed, ensure_ascii=False, sort_keys=True),
        }
        transaction.put(
            "change",
            bound(PupilModel)(
                changes_pk(school_code),
                f"{at}#{massar_code}#{role}",
                kind="guardian_change",
                massar_code=massar_code,
                data={**detail, "changed_by": actor, "changed_at": at},
                created_at=stamp,
            ),
        )
        entry = AuditEntry(actor, SecurityEvent.GUARDIAN_CHANGED, actor, origin, detail)
        transaction.external_put("audit", partial(audit.add_to_transaction, entry=entry))
        # The pupil's trail too (`/v1/students/{massar}/audit?kind=guardians`).
        pupil_entry = AuditEntry(
            f"PUPIL#{massar_code}", SecurityEvent.GUARDIAN_CHANGED, actor, origin, detail
        )
        transaction.external_put("pupil", partial(audit.add_to_transaction, entry=pupil_entry))
    transaction.commit()
    return after


def changes(school_code: str, limit: int, cursor: str | None) -> Page[dict[str, str]]:
    return query_page(changes_pk(school_code), "", limit, cursor, newest_first=True)
