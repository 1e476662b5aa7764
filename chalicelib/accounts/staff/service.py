"""Operators create school staff accounts; the initial code goes to the staff's email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.accounts import store as account_store
from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import is_national_operator, operator_covers_school
from chalicelib.core.errors import NotAllowed
from chalicelib.core.identifiers import normalise_username
from chalicelib.core.secrets import hash_random_secret, new_id, new_initial_code
from chalicelib.notifications.rules import Channel, Notification, pick_language

if TYPE_CHECKING:
    from chalicelib.schools.rules import SchoolData


@dataclass(frozen=True)
class NewStaff:
    username: str
    school_code: str
    first_name: str
    last_name: str
    email: str
    phone: str | None = None


def _school_in_scope(actor: Principal, school_code: str) -> SchoolData | None:
    """The school, which an academy's or province's operator must cover; a national operator
    may also name a school not registered yet (its data arrives by import)."""
    from chalicelib.schools.store import get_school

    school = get_school(school_code)
    if school is None and not is_national_operator(actor):
        raise NotAllowed("unknown school for a scoped operator")
    if not operator_covers_school(actor, school):
        raise NotAllowed("school outside the operator's scope")
    return school


def create_staff_account(
    actor: Principal, request: NewStaff, accept_language: str | None
) -> Account:
    """One transaction: the account (unique username) and the email carrying its initial code."""
    if actor.role is not Role.OPS:
        raise NotAllowed("operators only")
    school = _school_in_scope(actor, request.school_code)
    initial_code = new_initial_code()
    account = Account(
        username=normalise_username(request.username),
        role=Role.STAFF,
        status=AccountStatus.PENDING_ACTIVATION,
        scope=Scope(
            school_code=request.school_code,
            academy=school.academy if school else None,
            province=school.province if school else None,
        ),
        initial_code_hash=hash_random_secret(initial_code),
        profile={
            "first_name": request.first_name,
            "last_name": request.last_name,
            "email": request.email,
            **({"phone": request.phone} if request.phone else {}),
        },
    )
    letter = Notification(
        id=new_id(),
        template="staff_initial_code",
        channel=Channel.EMAIL,
        recipient=request.email,
        language=pick_language(None, accept_language),
        params={
            "username": account.username,
            "first_name": request.first_name,
            "school_code": request.school_code,
        },
        secret_params={"initial_code": initial_code},
    )
    account_store.create_account(account, [letter])
    return account
