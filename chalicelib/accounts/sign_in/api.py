"""Signing in: login, refresh, logout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.accounts.sign_in.schemas import LoginRequest, RefreshRequest, TokenPair

auth_bp = Blueprint(__name__)


@route(
    auth_bp,
    "/v1/auth/login",
    "POST",
    summary="Sign in with a username and a password",
    tag="auth",
    body="chalicelib.accounts.sign_in.schemas:LoginRequest",
    returns="chalicelib.accounts.sign_in.schemas:TokenPair",
    errors=(401, 403, 429),
)
def login(call: Call) -> TokenPair:
    from chalicelib.accounts.sign_in import service as auth
    from chalicelib.accounts.sign_in.schemas import token_pair

    body: LoginRequest = call.body
    return token_pair(auth.login(body.username, body.password, call.origin))


@route(
    auth_bp,
    "/v1/auth/refresh",
    "POST",
    summary="Swap a refresh token for a new pair (the old one stops working)",
    tag="auth",
    body="chalicelib.accounts.sign_in.schemas:RefreshRequest",
    returns="chalicelib.accounts.sign_in.schemas:TokenPair",
    errors=(401,),
)
def refresh(call: Call) -> TokenPair:
    from chalicelib.accounts.sign_in import service as auth
    from chalicelib.accounts.sign_in.schemas import token_pair

    body: RefreshRequest = call.body
    return token_pair(auth.refresh_session(body.refresh_token))


@route(
    auth_bp,
    "/v1/auth/logout",
    "POST",
    summary="End the session of this refresh token",
    tag="auth",
    body="chalicelib.accounts.sign_in.schemas:RefreshRequest",
    status=204,
    signed_in=True,
)
def logout(call: Call) -> None:
    from chalicelib.accounts.sign_in import service as auth

    body: RefreshRequest = call.body
    auth.logout(body.refresh_token, call.require().username)
