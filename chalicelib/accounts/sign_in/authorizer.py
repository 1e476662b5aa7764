"""The API Gateway authorizer: checks the access token's signature and expiry, no database.

A missing, expired or forged token is let through with no principal rather than denied:
the view then answers 401 in the API's own error envelope (and the client knows to
refresh), where a gateway denial would answer 403 in the gateway's format.
"""

from __future__ import annotations

from chalice import AuthResponse, Blueprint
from chalice.app import AuthRequest

from chalicelib.accounts.sign_in.tokens import verify_access_token_claims
from chalicelib.core.errors import InvalidToken

authorizer_bp = Blueprint(__name__)

# How long API Gateway may reuse an answer for the same token; views re-check `exp`.
CACHE_SECONDS = 60


@authorizer_bp.authorizer(ttl_seconds=CACHE_SECONDS)
def jwt_authorizer(auth_request: AuthRequest) -> AuthResponse:
    scheme, _, token = (auth_request.token or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return AuthResponse(routes=["*"], principal_id="anonymous", context={})
    try:
        principal, expires = verify_access_token_claims(token.strip())
    except InvalidToken:
        return AuthResponse(routes=["*"], principal_id="anonymous", context={})
    return AuthResponse(
        routes=["*"],
        principal_id=principal.username,
        context={
            "username": principal.username,
            "role": principal.role.value,
            "exp": str(expires),
            **principal.scope.as_claims(),
            **({"children": ",".join(principal.children)} if principal.children else {}),
        },
    )
