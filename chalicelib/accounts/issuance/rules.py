"""Who gets an account when a school issues initial codes (seed 000).

Every pupil of a middle or high school gets a student account (username: the Massar
code); every pupil's responsible guardian gets a parent account (username: the CIN the
school recorded, else the pupil's Massar code). An account already activated keeps its
password; a pending one gets a new initial code, which makes the previous one useless.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.accounts.rules import AccountStatus, Role
from chalicelib.core.identifiers import is_cin, normalise_cin, parent_key_for_pupil

CYCLES_WITH_PUPIL_ACCOUNTS = frozenset({"middle", "high"})


class IssueDecision(StrEnum):
    CREATE = "create"  # no account yet
    REISSUE = "reissue"  # pending: a new initial code replaces the old one
    SKIP = "skip"  # active or disabled: nothing to print


@dataclass(frozen=True)
class Holder:
    """One account to issue: its key, role and the names on the letter."""

    key: str
    role: Role
    massar_code: str
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
    cin: str | None = None


def decide(existing_status: AccountStatus | None) -> IssueDecision:
    if existing_status is None:
        return IssueDecision.CREATE
    if existing_status is AccountStatus.PENDING_ACTIVATION:
        return IssueDecision.REISSUE
    return IssueDecision.SKIP


def holders_for_pupil(pupil: dict[str, str], cycle: str) -> list[Holder]:
    """The pupil's own account (middle/high school) and the responsible guardian's."""
    massar = pupil["massar_code"]
    holders = []
    if cycle in CYCLES_WITH_PUPIL_ACCOUNTS:
        holders.append(
            Holder(
                key=massar,
                role=Role.STUDENT,
                massar_code=massar,
                first_name=pupil.get("first_name_lat", ""),
                last_name=pupil.get("last_name_lat", ""),
                first_name_ar=pupil.get("first_name_ar", ""),
                last_name_ar=pupil.get("last_name_ar", ""),
            )
        )
    cin = normalise_cin(pupil.get("guardian_cin", ""))
    holders.append(
        Holder(
            key=cin if is_cin(cin) else parent_key_for_pupil(massar),
            role=Role.PARENT,
            massar_code=massar,
            first_name=pupil.get("guardian_first_name_lat", ""),
            last_name=pupil.get("guardian_last_name_lat", ""),
            first_name_ar=pupil.get("guardian_first_name_ar", ""),
            last_name_ar=pupil.get("guardian_last_name_ar", ""),
            cin=cin if is_cin(cin) else None,
        )
    )
    return holders
