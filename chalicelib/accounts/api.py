"""The account lifecycle over HTTP: activation, recovery, password change, profile, the
school's restoring of an initial code, and the audit trail for operators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.accounts.rules import Account, Role
from chalicelib.core.fields import page_params
from chalicelib.core.http import ApiError, Call, json_response, route
from chalicelib.core.identifiers import normalise_username, public_username

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.accounts.schemas import (
        Accepted,
        ActivateRequest,
        ChangePasswordRequest,
        ConfirmContactRequest,
        ForgotRequest,
        Me,
        ProfilePatch,
        ResetRequest,
        RestoredCode,
    )
    from chalicelib.accounts.sign_in.schemas import TokenPair

accounts_bp = Blueprint(__name__)


@route(
    accounts_bp,
    "/v1/auth/activate",
    "POST",
    summary="First sign-up with the letter's initial code: new password and personal data",
    tag="auth",
    body="chalicelib.accounts.schemas:ActivateRequest",
    returns="chalicelib.accounts.sign_in.schemas:TokenPair",
    errors=(401, 429),
)
def activate(call: Call) -> TokenPair:
    from chalicelib.accounts import activation
    from chalicelib.accounts.service import ProfileInput
    from chalicelib.accounts.sign_in.schemas import token_pair

    body: ActivateRequest = call.body
    return token_pair(
        activation.activate_account(
            body.username,
            body.initial_code,
            body.new_password,
            ProfileInput(
                email=str(body.email) if body.email else None,
                phone=body.phone,
                cin=body.cin,
                address=body.address,
                language=body.language,
            ),
            call.origin,
        )
    )


@route(
    accounts_bp,
    "/v1/auth/password/forgot",
    "POST",
    summary="Ask for a recovery password by email or SMS (the same answer whatever matches)",
    tag="auth",
    body="chalicelib.accounts.schemas:ForgotRequest",
    returns="chalicelib.accounts.schemas:Accepted",
    status=202,
    errors=(429,),
)
def forgot_password(call: Call) -> Accepted:
    from chalicelib.accounts import recovery
    from chalicelib.accounts.schemas import Accepted

    body: ForgotRequest = call.body
    recovery.request_recovery(
        body.username, body.channel, body.contact, call.origin, call.accept_language
    )
    return Accepted()


@route(
    accounts_bp,
    "/v1/auth/password/reset",
    "POST",
    summary="Set a new password with a recovery password (single use, short-lived)",
    tag="auth",
    body="chalicelib.accounts.schemas:ResetRequest",
    returns="chalicelib.accounts.sign_in.schemas:TokenPair",
    errors=(401, 429),
)
def reset_password(call: Call) -> TokenPair:
    from chalicelib.accounts import recovery
    from chalicelib.accounts.sign_in.schemas import token_pair

    body: ResetRequest = call.body
    return token_pair(
        recovery.reset_with_recovery(
            body.username,
            body.recovery_password,
            body.new_password,
            call.origin,
            call.accept_language,
        )
    )


@route(
    accounts_bp,
    "/v1/auth/password/change",
    "POST",
    summary="Change the password (every session ends: sign in again)",
    tag="auth",
    body="chalicelib.accounts.schemas:ChangePasswordRequest",
    status=204,
    signed_in=True,
)
def change_password(call: Call) -> None:
    from chalicelib.accounts import service as accounts

    body: ChangePasswordRequest = call.body
    accounts.change_password(
        call.require(),
        body.current_password,
        body.new_password,
        call.origin,
        call.accept_language,
    )


def me_of(account: Account) -> Me:
    from chalicelib.accounts import service as accounts
    from chalicelib.accounts.schemas import Child, Me, PendingContacts, Profile

    profile = account.profile
    pending = {name: p.value for name, p in account.pending_contacts.items()}
    return Me(
        username=public_username(account.username),
        role=account.role.value,
        status=account.status.value,
        language="ar" if account.language == "ar" else "fr" if account.language == "fr" else None,
        profile=Profile(
            first_name=profile.get("first_name"),
            last_name=profile.get("last_name"),
            first_name_ar=profile.get("first_name_ar"),
            last_name_ar=profile.get("last_name_ar"),
            email=profile.get("email"),
            phone=profile.get("phone"),
            cin=profile.get("cin"),
            address=profile.get("address"),
            school_code=account.scope.school_code,
        ),
        pending_contacts=PendingContacts(email=pending.get("email"), phone=pending.get("phone")),
        children=[Child(**child) for child in accounts.children_of(account)],
    )


@route(
    accounts_bp,
    "/v1/me",
    "GET",
    summary="The signed-in account",
    tag="accounts",
    returns="chalicelib.accounts.schemas:Me",
    signed_in=True,
)
def get_me(call: Call) -> Me:
    from chalicelib.accounts import service as accounts

    return me_of(accounts.my_account(call.require()))


@route(
    accounts_bp,
    "/v1/me",
    "PATCH",
    summary="Change address or language; a new email or phone needs current_password and "
    "waits for the code sent to it",
    tag="accounts",
    body="chalicelib.accounts.schemas:ProfilePatch",
    returns="chalicelib.accounts.schemas:Me",
    signed_in=True,
    errors=(422, 429),
)
def patch_me(call: Call) -> Me:
    from chalicelib.accounts import profile
    from chalicelib.accounts.service import ProfileInput

    body: ProfilePatch = call.body
    account = profile.update_my_profile(
        call.require(),
        ProfileInput(
            email=str(body.email) if body.email else None,
            phone=body.phone,
            address=body.address,
            language=body.language,
        ),
        call.origin,
        call.accept_language,
        body.current_password,
    )
    return me_of(account)


@route(
    accounts_bp,
    "/v1/me/contacts/confirm",
    "POST",
    summary="Confirm a new email or phone with the code sent to it (the old one is told)",
    tag="accounts",
    body="chalicelib.accounts.schemas:ConfirmContactRequest",
    returns="chalicelib.accounts.schemas:Me",
    signed_in=True,
    errors=(422, 429),
)
def confirm_contact(call: Call) -> Me:
    from chalicelib.accounts import profile

    body: ConfirmContactRequest = call.body
    account = profile.confirm_contact(
        call.require(), body.channel, body.code, call.origin, call.accept_language
    )
    return me_of(account)


@route(
    accounts_bp,
    "/v1/accounts/{username}/initial-code",
    "POST",
    summary="Restore a pupil's initial code (staff of the school): a new letter, sessions end",
    tag="accounts",
    returns="chalicelib.accounts.schemas:RestoredCode",
    signed_in=True,
    errors=(403, 404),
)
def restore_initial_code(call: Call) -> RestoredCode:
    from chalicelib.accounts import service as accounts
    from chalicelib.accounts.issuance.letters import letter_for, store_letters
    from chalicelib.accounts.schemas import RestoredCode

    principal = call.require(Role.STAFF, Role.OPS)
    restored = accounts.restore_initial_code(principal, call.param("username"), call.origin)
    stored = store_letters(
        [letter_for(restored.account, restored.initial_code)],
        restored.account.scope.school_code or "",
        f"letter-{public_username(restored.account.username)}",
    )
    return RestoredCode(
        username=public_username(restored.account.username),
        status="pending_activation",
        letter_url=stored.url,
        letter_expires_in=stored.expires_in,
    )


@route(
    accounts_bp,
    "/v1/accounts/{username}/audit",
    "GET",
    summary="Security events of one account, newest first (operators)",
    tag="accounts",
    returns="chalicelib.accounts.schemas:AuditPage",
    signed_in=True,
    errors=(403, 404),
)
def account_audit(call: Call) -> Response:
    from chalicelib.accounts.audit import service as audit

    principal = call.require(Role.OPS)
    key = normalise_username(call.param("username"))
    audit.require_managed(principal, key)
    limit, cursor_in = page_params(dict(call.request.query_params or {}), call.language)
    try:
        items, cursor = audit.events(key, limit, cursor_in)
    except ValueError as error:
        raise ApiError(422, "validation_failed", {"cursor": "invalid"}) from error
    return json_response(200, {"items": items, "next_cursor": cursor})
