"""Accounts: roles, states and what a credential may do in each state."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chalicelib.core.errors import AccountDisabled, ActivationRequired, PasswordExpired


class Role(StrEnum):
    PARENT = "parent"
    STUDENT = "student"
    STAFF = "staff"
    OPS = "ops"


class AccountStatus(StrEnum):
    PENDING_ACTIVATION = "pending_activation"
    ACTIVE = "active"
    DISABLED = "disabled"


class CredentialKind(StrEnum):
    """Which secret a presented password matched."""

    PASSWORD = "password"  # noqa: S105 - a label, not a secret
    INITIAL_CODE = "initial_code"
    RECOVERY_PASSWORD = "recovery_password"  # noqa: S105


@dataclass(frozen=True)
class Scope:
    """Where an account may act: one school (staff), or an academy/province/nation (ops)."""

    school_code: str | None = None
    academy: str | None = None
    province: str | None = None

    def as_claims(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "email",
    "phone",
    "cin",
    "address",
    "birth_date",
    "school_name",
)


@dataclass(frozen=True)
class PendingContact:
    """A new email or phone the holder asked for, not yet proved: recovery and the guardian
    block keep using the confirmed one until the code sent to the new one comes back."""

    value: str
    code_hash: str
    expires_at: int  # epoch seconds
    misses: int = 0  # wrong codes typed so far


# How long a confirmation code works, and how many wrong ones drop the pending change.
CONFIRMATION_TTL_SECONDS = 900
CONFIRMATION_MAX_MISSES = 5


@dataclass
class Account:
    username: str  # the account's key (a parent signing in with a Massar code: `<massar>#parent`)
    role: Role
    status: AccountStatus
    scope: Scope = field(default_factory=Scope)
    password_hash: str | None = None
    initial_code_hash: str | None = None
    token_epoch: int = 0
    language: str | None = None
    profile: dict[str, str] = field(default_factory=dict)
    massar_code: str | None = None  # a pupil's own code
    children: tuple[str, ...] = ()  # a parent's linked pupils
    recovery_hash: str | None = None
    recovery_expires_at: int | None = None
    # Contacts waiting for their code, by profile field ("email", "phone").
    pending_contacts: dict[str, PendingContact] = field(default_factory=dict)

    def recovery_valid(self, now: float) -> bool:
        return bool(self.recovery_hash) and (self.recovery_expires_at or 0) > now

    def contact(self, channel: str) -> str | None:
        return self.profile.get("email" if channel == "email" else "phone")


def sign_in_allowed(account: Account, matched: CredentialKind) -> None:
    """Raise the refusal a sign-in with this credential gets, or return when it may proceed.

    Initial codes are inactive until the holder activates the account (seed 000), so they
    never sign in; a recovery password only opens the "change your password" step (seed 004).
    """
    if account.status is AccountStatus.DISABLED:
        raise AccountDisabled()
    if matched is CredentialKind.INITIAL_CODE or account.status is AccountStatus.PENDING_ACTIVATION:
        raise ActivationRequired()
    if matched is CredentialKind.RECOVERY_PASSWORD:
        raise PasswordExpired()
