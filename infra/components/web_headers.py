"""The web client's security headers, from web/security-headers.json (the one list: the
devserver sends the same file), as CloudFront response headers policies' settings.

Synthesis fails if the file lacks one of the five security headers or holds a value
CloudFront cannot express.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aws_cdk import Duration
from aws_cdk import aws_cloudfront as cloudfront

from infra.components.config import ROOT

WEB_DIR = ROOT / "web"
SECURITY_HEADERS_FILE = WEB_DIR / "security-headers.json"

CSP = "content-security-policy"
HSTS = "strict-transport-security"
CONTENT_TYPE_OPTIONS = "x-content-type-options"
FRAME_OPTIONS = "x-frame-options"
REFERRER_POLICY = "referrer-policy"


def load_security_headers(path: Path = SECURITY_HEADERS_FILE) -> dict[str, str]:
    """Header name → value, as web/security-headers.json holds them."""
    loaded: Any = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in loaded.items()
    ):
        raise ValueError(f"{path} should be a JSON object of header name → non-empty value")
    names = [k.lower() for k in loaded]
    if len(set(names)) != len(names):
        raise ValueError(f"{path} names a header twice")
    missing = {CSP, HSTS, CONTENT_TYPE_OPTIONS, FRAME_OPTIONS, REFERRER_POLICY} - set(names)
    if missing:
        raise ValueError(f"{path} lacks {', '.join(sorted(missing))}")
    return dict(loaded)


def strict_transport_security(value: str) -> cloudfront.ResponseHeadersStrictTransportSecurity:
    """`max-age=<seconds>[; includeSubDomains][; preload]` as CloudFront's setting."""
    max_age: int | None = None
    include_subdomains = preload = False
    for directive in filter(None, (d.strip() for d in value.split(";"))):
        name, _, argument = directive.partition("=")
        match name.strip().lower():
            case "max-age":
                max_age = int(argument.strip().strip('"'))
            case "includesubdomains":
                include_subdomains = True
            case "preload":
                preload = True
            case _:
                raise ValueError(f"Strict-Transport-Security: unknown directive {directive!r}")
    if max_age is None:
        raise ValueError("Strict-Transport-Security needs a max-age")
    return cloudfront.ResponseHeadersStrictTransportSecurity(
        access_control_max_age=Duration.seconds(max_age),
        include_subdomains=include_subdomains,
        preload=preload,
        override=True,
    )


def security_headers_behavior(
    headers: Mapping[str, str], *, with_csp: bool = True
) -> cloudfront.ResponseSecurityHeadersBehavior:
    """CloudFront's security headers (CSP, HSTS, nosniff, frame options, referrer policy).

    Every header overrides what the origin sends. Without `with_csp`, the set for the API's
    JSON answers.
    """
    by_name = {k.lower(): v for k, v in headers.items()}
    if by_name[CONTENT_TYPE_OPTIONS].strip().lower() != "nosniff":
        raise ValueError("X-Content-Type-Options can only be nosniff")
    frame_option = by_name[FRAME_OPTIONS].strip().upper()
    referrer = by_name[REFERRER_POLICY].strip().lower()
    try:
        frame = cloudfront.HeadersFrameOption[frame_option]
        referrer_policy = cloudfront.HeadersReferrerPolicy[referrer.upper().replace("-", "_")]
    except KeyError as unknown:
        raise ValueError(f"a value CloudFront does not know: {unknown}") from None
    return cloudfront.ResponseSecurityHeadersBehavior(
        content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
            content_security_policy=by_name[CSP].strip(), override=True
        )
        if with_csp
        else None,
        strict_transport_security=strict_transport_security(by_name[HSTS]),
        content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
        frame_options=cloudfront.ResponseHeadersFrameOptions(frame_option=frame, override=True),
        referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
            referrer_policy=referrer_policy, override=True
        ),
    )


def custom_headers(headers: Mapping[str, str]) -> list[cloudfront.ResponseCustomHeader]:
    """The headers CloudFront has no security setting for (Permissions-Policy…)."""
    known = {CSP, HSTS, CONTENT_TYPE_OPTIONS, FRAME_OPTIONS, REFERRER_POLICY}
    return [
        cloudfront.ResponseCustomHeader(header=name, value=value.strip(), override=True)
        for name, value in headers.items()
        if name.lower() not in known
    ]
