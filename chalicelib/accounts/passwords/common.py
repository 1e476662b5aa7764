"""Is this one of the passwords everybody tries first?

The 30,000 most common passwords of zxcvbn's dictionary (Dropbox's maintained list), loaded
on first use only: it is needed when a password is set, never at start-up.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Common passwords dressed up with a year or a few symbols are still common.
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    lowered = password.casefold()
    core = _DECORATION.sub("", lowered)
    return lowered in _common() or (len(core) >= 4 and core in _common())
