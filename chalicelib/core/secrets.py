"""Secrets a person types or a client keeps: hashing and generation.

Passwords people choose are hashed with argon2id: they can be guessed, so each guess must
cost. Secrets the system draws at random (initial codes, 57.5 bits; recovery passwords,
69 bits) cannot be guessed in any useful time, so a keyed HMAC-SHA256 is as safe for them
and ~30,000 times cheaper (`hash_random_secret`, stored as `hmac-sha256$<kid>$<hex>`; the
key lives in Secrets Manager, not with the hashes). Hashes stored before keep verifying:
the prefix tells the two apart. Refresh tokens are 256-bit random values, for which a plain
SHA-256 is enough. argon2 is imported on first use: most requests never hash a password.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib.accounts.passwords.rules import normalise_password
from chalicelib.core.config import settings
from chalicelib.core.secret_values import forget_secret_values, secret_value

if TYPE_CHECKING:
    from argon2 import PasswordHasher

# OWASP's argon2id profile "m=46 MiB, t=1, p=1": within Lambda's 1 GB / ~0.6 vCPU budget
# (the memory cost is a setting, `argon2_memory_kib`: tests lower it).
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


def hash_secret(raw: str, like: str | None = None) -> str:
    """argon2id of a password someone chose. `like`: the argon2 hash of the other account
    that signs in with the same username (a pupil and a parent without CIN share the Massar
    code): its salt is reused, so one argon2 computation checks a typed password against
    both (`verify_any`). Two accounts sharing a salt lets one offline guess test both,
    nothing more."""
    hasher = _hasher()
    salt = _salt_if_same_parameters(like, hasher) if like else None
    return hasher.hash(normalise_password(raw), salt=salt)


def _salt_if_same_parameters(stored: str, hasher: PasswordHasher) -> bytes | None:
    from argon2 import extract_parameters
    from argon2.exceptions import InvalidHashError

    if not stored.startswith("$argon2"):
        return None
    try:
        if extract_parameters(stored) != hasher._parameters:
            return None
        return _b64decode(stored.rsplit("$", 2)[1])
    except (InvalidHashError, ValueError, IndexError):
        return None


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def verify_any(stored_hashes: list[str | None], raw: str) -> list[bool]:
    """Which of these hashes `raw` matches, with one argon2 computation per distinct salt
    and parameters (one for a pair that shares its salt), and one even when none is an
    argon2 hash, so that timing tells nothing. HMAC hashes cost nothing noticeable."""
    from argon2 import extract_parameters
    from argon2.exceptions import InvalidHashError
    from argon2.low_level import hash_secret as argon2_hash

    password = normalise_password(raw)
    found = [False] * len(stored_hashes)
    groups: dict[str, list[int]] = {}
    for index, stored in enumerate(stored_hashes):
        if stored is None:
            continue
        if stored.startswith(HMAC_PREFIX):
            found[index] = _verify_hmac(stored, raw)
        else:
            groups.setdefault(stored.rsplit("$", 1)[0], []).append(index)
    if not groups:
        _spend_one_hash(password)
        return found
    for prefix, indexes in groups.items():
        stored = stored_hashes[indexes[0]] or ""
        try:
            parameters = extract_parameters(stored)
            computed = argon2_hash(
                password.encode(),
                _b64decode(prefix.rsplit("$", 1)[1]),
                parameters.time_cost,
                parameters.memory_cost,
                parameters.parallelism,
                parameters.hash_len,
                parameters.type,
                parameters.version,
            ).decode()
        except (InvalidHashError, ValueError, IndexError):
            continue
        for index in indexes:
            found[index] = hmac.compare_digest(computed, stored_hashes[index] or "")
    return found


def _spend_one_hash(password: str) -> None:
    from argon2.exceptions import VerificationError

    with contextlib.suppress(VerificationError):  # a miss, by design
        _hasher().verify(_dummy_hash(), password)


def verify_secret(stored_hash: str | None, raw: str) -> bool:
    """True when `raw` matches; always spends one hash so that misses cost the same time
    (an HMAC hash: one HMAC; an argon2 hash or none: one argon2)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    if stored_hash is not None and stored_hash.startswith(HMAC_PREFIX):
        return _verify_hmac(stored_hash, raw)
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


def verify_random_secret(stored_hash: str | None, raw: str) -> bool:
    """As `verify_secret`, for an initial code or a recovery password: a missing hash costs
    one HMAC, as a present one does (an argon2 hash stored before still costs argon2)."""
    if stored_hash is None:
        _verify_hmac(None, raw)
        return False
    return verify_secret(stored_hash, raw)


# --- Keyed hashes of random secrets -----------------------------------------------------

HMAC_PREFIX = "hmac-sha256$"


@dataclass(frozen=True)
class HashKeys:
    current_kid: str
    keys: dict[str, bytes]


def hash_keys() -> HashKeys:
    """From `MASSAR_SECRET_HASH_KEY` on a developer's machine, else from Secrets Manager
    (`SECRET_HASH_KEY_ARN`, kept five minutes by core/secret_values): `{"kid", "key"}`, or
    `{"current": {"kid", "key"}, "previous": [...]}` once rotated (a hash names its key, so
    older ones keep verifying)."""
    config = settings()
    if config.secret_hash_key:
        return _dev_hash_keys(config.secret_hash_key)
    if not config.secret_hash_key_arn:
        raise RuntimeError(
            "no key for hashing random secrets (SECRET_HASH_KEY_ARN or MASSAR_SECRET_HASH_KEY)"
        )
    return _parsed_hash_keys(secret_value(config.secret_hash_key_arn))


@lru_cache(maxsize=2)
def _dev_hash_keys(key: str) -> HashKeys:
    return HashKeys("dev", {"dev": key.encode()})


@lru_cache(maxsize=4)
def _parsed_hash_keys(secret: str) -> HashKeys:
    document = json.loads(secret)
    current = document.get("current", document)
    keys = {str(current["kid"]): str(current["key"]).encode()}
    keys.update({str(k["kid"]): str(k["key"]).encode() for k in document.get("previous", [])})
    return HashKeys(str(current["kid"]), keys)


def forget_hash_keys() -> None:
    forget_secret_values()


def _mac(key: bytes, raw: str) -> str:
    return hmac.new(key, normalise_password(raw).encode(), hashlib.sha256).hexdigest()


def hash_random_secret(raw: str) -> str:
    """The keyed hash of an initial code or a recovery password (never of a chosen one)."""
    keys = hash_keys()
    return f"{HMAC_PREFIX}{keys.current_kid}${_mac(keys.keys[keys.current_kid], raw)}"


def _verify_hmac(stored_hash: str | None, raw: str) -> bool:
    keys = hash_keys()
    kid, _, expected = (stored_hash or "").removeprefix(HMAC_PREFIX).partition("$")
    key = keys.keys.get(kid) if stored_hash else None
    computed = _mac(key or keys.keys[keys.current_kid], raw)
    return key is not None and hmac.compare_digest(computed, expected)


def new_initial_code(length: int = 10) -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))


def new_token_secret() -> str:
    return secrets.token_urlsafe(32)


def new_id() -> str:
    return secrets.token_hex(16)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
