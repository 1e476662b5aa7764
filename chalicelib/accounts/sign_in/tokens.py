"""Access tokens (JWT, checked without a database read) and refresh tokens (opaque, rotating).

Signing keys come from Secrets Manager in deployed stages (`JWT_SECRET_ARN`, a JSON
document `{"current": {"kid", "key"}, "previous": [{"kid", "key"}]}` so keys can rotate
without signing everyone out) and from `MASSAR_JWT_SECRET` on a developer's machine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chalicelib.accounts.rules import Account, Role, Scope
from chalicelib.core.clock import epoch
from chalicelib.core.config import settings
from chalicelib.core.errors import InvalidToken
from chalicelib.core.secret_values import forget_secret_values, secret_value
from chalicelib.core.secrets import new_id, new_token_secret

ISSUER = "massar"
AUDIENCE = "massar-api"
ALGORITHM = "HS256"


@dataclass(frozen=True)
class SigningKeys:
    current_kid: str
    keys: dict[str, str]


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the authorizer established it from the access token."""

    username: str
    role: Role
    scope: Scope
    # A parent's linked pupils (Massar codes), carried in the token so that reading a child's
    # marks costs no database read before the one Query of the view.
    children: tuple[str, ...] = ()


def signing_keys() -> SigningKeys:
    """`MASSAR_JWT_SECRET` on a developer's machine, else the document at `JWT_SECRET_ARN`
    (kept five minutes by core/secret_values)."""
    config = settings()
    if config.jwt_secret:
        return _dev_keys(config.jwt_secret)
    if not config.jwt_secret_arn:
        raise RuntimeError("no JWT signing key configured (JWT_SECRET_ARN or MASSAR_JWT_SECRET)")
    return _parsed_keys(secret_value(config.jwt_secret_arn))


@lru_cache(maxsize=2)
def _dev_keys(key: str) -> SigningKeys:
    return SigningKeys("dev", {"dev": key})


@lru_cache(maxsize=4)
def _parsed_keys(secret: str) -> SigningKeys:
    document = json.loads(secret)
    keys = {document["current"]["kid"]: document["current"]["key"]}
    keys.update({k["kid"]: k["key"] for k in document.get("previous", [])})
    return SigningKeys(document["current"]["kid"], keys)


def forget_keys() -> None:
    forget_secret_values()


def issue_access_token(account: Account) -> str:
    import jwt

    keys = signing_keys()
    moment = int(epoch())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": account.username,
        "role": account.role.value,
        "iat": moment,
        "exp": moment + settings().access_token_ttl_seconds,
        "jti": new_id(),
        **account.scope.as_claims(),
        **({"children": ",".join(account.children)} if account.children else {}),
    }
    return jwt.encode(
        claims, keys.keys[keys.current_kid], algorithm=ALGORITHM, headers={"kid": keys.current_kid}
    )


def verify_access_token(token: str) -> Principal:
    return verify_access_token_claims(token)[0]


def verify_access_token_claims(token: str) -> tuple[Principal, int]:
    """The caller and the token's expiry (epoch seconds), or InvalidToken."""
    import jwt

    keys = signing_keys()
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = keys.keys.get(str(kid))
        if key is None:
            raise InvalidToken("unknown key")
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub"]},
        )
        principal = Principal(
            username=str(claims["sub"]),
            role=Role(claims["role"]),
            scope=Scope(claims.get("school_code"), claims.get("academy"), claims.get("province")),
            children=tuple(c for c in str(claims.get("children", "")).split(",") if c),
        )
        return principal, int(claims["exp"])
    except (jwt.PyJWTError, KeyError, ValueError) as error:
        raise InvalidToken("bad token") from error


@dataclass(frozen=True)
class RefreshToken:
    family_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.family_id}.{self.secret}"

    @staticmethod
    def new(family_id: str | None = None) -> RefreshToken:
        return RefreshToken(family_id or new_id(), new_token_secret())

    @staticmethod
    def parse(raw: str) -> RefreshToken:
        family_id, _, secret = raw.partition(".")
        if not family_id or not secret or len(raw) > 200:
            raise InvalidToken("malformed refresh token")
        return RefreshToken(family_id, secret)
