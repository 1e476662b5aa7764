"""The pupil record and its enrolment: one school at a time (pure rules).

A pupil's record says where the pupil is enrolled now (school, class, school year, status).
Every view, alert, access check and account batch reads it; a school may write a pupil
only when the record is new, already its own, or free (the pupil left their last school);
a pupil enrolled elsewhere comes over only by a transfer the current school releases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chalicelib.core.flags import read_flag
from chalicelib.core.identifiers import is_cin, normalise_cin, parent_key_for_pupil

GUARDIAN_ROLES = ("father", "mother", "guardian")


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"  # in a class of its school
    AWAITING_CLASS = "awaiting_class"  # approved pre-registration or released transfer
    LEFT = "left"  # left the school (year-end decision): free for the next school


class EnrolmentVerdict(StrEnum):
    NEW = "new"  # no record yet: the school creates it
    OWN = "own"  # enrolled with this school: it may update it
    FREE = "free"  # left its last school: this school may take it
    ELSEWHERE = "elsewhere"  # another school's pupil: only a transfer brings it over


class YearEndDecision(StrEnum):
    PROMOTED = "promoted"  # passes to the next level
    REPEATS = "repeats"  # stays at the level
    LEAVES = "leaves"  # leaves the school (end of cycle, moves away)


class TransferStatus(StrEnum):
    REQUESTED = "requested"
    RELEASED = "released"
    REFUSED = "refused"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PupilRecord:
    """What a pupil's record holds: identity and current enrolment in `data`, the guardian
    block by role."""

    massar_code: str
    data: dict[str, str]
    guardians: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def school_code(self) -> str | None:
        return self.data.get("school_code") or None

    @property
    def class_id(self) -> str | None:
        return self.data.get("class_id") or None

    @property
    def status(self) -> EnrolmentStatus:
        return EnrolmentStatus(self.data.get("enrolment_status", EnrolmentStatus.ENROLLED.value))

    def enrolled_at(self, school_code: str) -> bool:
        """Staff of `school_code` hold this pupil now."""
        return bool(school_code) and self.school_code == school_code

    def responsible(self) -> tuple[str, dict[str, str]] | None:
        return responsible_guardian(self.guardians)


def verdict(record: PupilRecord | None, school_code: str) -> EnrolmentVerdict:
    if record is None:
        return EnrolmentVerdict.NEW
    if record.school_code == school_code:
        return EnrolmentVerdict.OWN
    if record.school_code is None or record.status is EnrolmentStatus.LEFT:
        return EnrolmentVerdict.FREE
    return EnrolmentVerdict.ELSEWHERE


def responsible_guardian(
    guardians: dict[str, dict[str, str]],
) -> tuple[str, dict[str, str]] | None:
    """The guardian marked responsible, else the first of father, mother, guardian."""
    for role in GUARDIAN_ROLES:
        if read_flag(guardians.get(role, {}).get("responsible")):
            return role, guardians[role]
    for role in GUARDIAN_ROLES:
        if role in guardians:
            return role, guardians[role]
    return None


def guardian_role_of_account(record: PupilRecord, account_key: str) -> str | None:
    """Which guardian of the record an account is: the one with its CIN, or the responsible
    guardian for the `<massar>#parent` account."""
    for role, person in record.guardians.items():
        if is_cin(account_key) and normalise_cin(person.get("cin", "")) == account_key:
            return role
    if account_key == parent_key_for_pupil(record.massar_code):
        found = record.responsible()
        return found[0] if found else None
    return None


def child_name(record: PupilRecord, language: str) -> str:
    """The pupil's name for a message in `language`: Arabic script first for Arabic, Latin
    first otherwise, else the other script, else the Massar code."""
    order = ("ar", "lat") if language == "ar" else ("lat", "ar")
    for script in order:
        first = record.data.get(f"first_name_{script}")
        if first:
            return " ".join(p for p in (first, record.data.get(f"last_name_{script}")) if p)
    return record.massar_code


def next_level(level: str, decision: YearEndDecision) -> str | None:
    """The level a decision leads to, for the usual Moroccan levels (None: staff say it)."""
    if decision is YearEndDecision.REPEATS:
        return level
    if decision is YearEndDecision.LEAVES:
        return None
    return NEXT_LEVEL.get(level)


# The last level of each cycle (6AP, 3AC, 2BAC) has no next level in its school: a pupil
# promoted there leaves for the next cycle's school.
NEXT_LEVEL = {
    "1AP": "2AP",
    "2AP": "3AP",
    "3AP": "4AP",
    "4AP": "5AP",
    "5AP": "6AP",
    "1AC": "2AC",
    "2AC": "3AC",
    "TC": "1BAC",
    "1BAC": "2BAC",
}
