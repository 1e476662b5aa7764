"""The caller's address, behind CloudFront or not.

Behind the web distribution, API Gateway's `identity.sourceIp` is a CloudFront edge's
address, shared by every user that edge serves: per-source limits and the audit need the
viewer's own. CloudFront adds it as `CloudFront-Viewer-Address: <ip>:<port>` (an IPv6 address
unbracketed, so the port is after the last colon), but anyone calling the execute-api URL
directly can send that header too. It is believed only when the request also carries
`X-Massar-Edge` equal to the edge secret, which CloudFront adds as an origin custom header
(infra/stack.py) and nobody else knows; with no secret configured it is never believed.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any

from chalicelib.core.config import settings
from chalicelib.core.secret_values import forget_secret_values, secret_value_or_none

VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"
EDGE_HEADER = "x-massar-edge"


def edge_secret() -> str | None:
    """`EDGE_SECRET` (a developer's machine), else the secret at `EDGE_SECRET_ARN`, read on
    first need and kept five minutes (core/secret_values); None when neither is set, or
    when it cannot be read: a Secrets Manager outage must not fail sign-ins, so no header
    is trusted then."""
    config = settings()
    if config.edge_secret:
        return config.edge_secret
    arn = config.edge_secret_arn
    if not arn:
        return None
    return secret_value_or_none(arn, "edge secret unreadable: CloudFront-Viewer-Address ignored")


def forget_edge_secret() -> None:
    forget_secret_values()


def parse_viewer_address(value: str) -> str | None:
    """The IP of `<ip>:<port>` (IPv4, or IPv6 bracketed or not), normalised; None if malformed."""
    host, separator, port = value.strip().rpartition(":")
    if not separator or not port.isdigit():
        return None
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def _from_edge(headers: Any) -> str | None:
    """The viewer's IP when the request provably came through our CloudFront distribution."""
    address = headers.get(VIEWER_ADDRESS_HEADER)
    presented = headers.get(EDGE_HEADER)
    if not address or not presented:
        return None
    secret = edge_secret()
    if not secret or not hmac.compare_digest(str(presented).encode(), secret.encode()):
        return None
    return parse_viewer_address(str(address))


def viewer_address(request: Any) -> str | None:
    """The caller's IP: CloudFront's viewer address when the edge secret vouches for it,
    otherwise the address API Gateway saw; None when neither is known."""
    viewer = _from_edge(request.headers or {})
    if viewer is not None:
        return viewer
    identity = (request.context or {}).get("identity") or {}
    source = identity.get("sourceIp")
    return str(source) if source else None
