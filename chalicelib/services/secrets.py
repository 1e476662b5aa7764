"""Secrets a person types or a client keeps: hashing and generation.

Passwords and initial codes are hashed with argon2id; refresh tokens are 256-bit random
values, for which a plain SHA-256 is enough (nothing to guess, nothing to stretch).
argon2 is imported on first use: most requests never hash a password.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib.config import settings
from chalicelib.domain.passwords import normalise_password

if TYPE_CHECKING:
    from argon2 import PasswordHasher

# OWASP's argon2id profile "m=46 MiB, t=1, p=1": within Lambda's 1 GB / ~0.6 vCPU budget.
ARGON2_MEMORY_KIB = 47_104
ARGON2_TIME_COST = 1
ARGON2_PARALLELISM = 1

# No 0/O/1/I/L: initial codes are typed from a printed letter.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789abcdefghjkmnpqrstuvwxyz"


def _hasher() -> PasswordHasher:
    return _hasher_for(settings().argon2_memory_kib)


@lru_cache(maxsize=2)
def _hasher_for(memory_kib: int) -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=ARGON2_TIME_COST,
        memory_cost=memory_kib,
        parallelism=ARGON2_PARALLELISM,
        type=Type.ID,
    )


def hash_secret(raw: str) -> str:
    return _hasher().hash(normalise_password(raw))


def verify_secret(stored_hash: str | None, raw: str) -> bool:
    """True when `raw` matches; always spends one hash so that misses cost the same time."""
    from argon2.exceptions import InvalidHashError, VerificationError

    target = stored_hash or _dummy_hash()
    try:
        matched = _hasher().verify(target, normalise_password(raw))
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored_hash is not None


def _dummy_hash() -> str:
    return _dummy_hash_for(settings().argon2_memory_kib)


@lru_cache(maxsize=2)
def _dummy_hash_for(memory_kib: int) -> str:
    return _hasher_for(memory_kib).hash(secrets.token_urlsafe(16))


def new_initial_code(length: int = 10) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def new_token_secret() -> str:
    return secrets.token_urlsafe(32)


def new_id() -> str:
    return secrets.token_hex(16)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
