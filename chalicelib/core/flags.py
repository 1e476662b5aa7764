"""Yes/no values inside stored items' string maps (`data`): the one encoding, "true" and
"false" (a guardian's `responsible`, an absence's `justified`, a message's `from_school`).
Messages written before stored `from_school` as "1"/"0": "1" still reads as true, and a
query filtering on a flag must accept both (`TRUE_VALUES`).
"""

from __future__ import annotations

TRUE = "true"
FALSE = "false"
# Every stored spelling of true, the legacy "1" included.
TRUE_VALUES = (TRUE, "1")


def stored_flag(value: bool) -> str:
    return TRUE if value else FALSE


def read_flag(raw: object) -> bool:
    """True for "true" (and the legacy "1"); false for anything else, absent included."""
    return raw in TRUE_VALUES
