"""The web client's hosting (issue 7): web/ in a private bucket behind CloudFront, /v1/* to
the API on the same distribution, and the security headers of web/security-headers.json.

Reads the template that infra_support.py synthesizes (once per session, shared with
test_infra.py). Expected values come from web/security-headers.json, .chalice/config.json
and the Chalice app, not from infra/stack.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.infra_support import (
    INFRA_TEST_MARKS,
    ROOT,
    Template,
    get_att,
    load_template,
    props,
    ref,
    resources,
    synthesize,
    template_file,
    web_bucket_ids,
)

pytestmark = INFRA_TEST_MARKS

SECURITY_HEADERS = ROOT / "web" / "security-headers.json"
# What the API reads from a request (chalicelib/handlers): CloudFront must forward these.
API_READS = {
    "authorization",
    "content-type",
    "accept-language",
    "idempotency-key",
    "user-agent",
    "cloudfront-viewer-address",
}
# CloudFront's quota on the headers of one origin request or cache policy.
POLICY_HEADERS_QUOTA = 10
EDGE_HEADER = "X-Massar-Edge"
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
ENTRY_POINTS = {"index.html", "sw.js"}


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(tmp_path_factory)


@pytest.fixture(scope="module")
def template(outdir: Path) -> Template:
    return load_template(template_file(outdir))


@pytest.fixture(scope="module")
def headers() -> dict[str, str]:
    loaded: dict[str, str] = json.loads(SECURITY_HEADERS.read_text(encoding="utf-8"))
    return {name.lower(): value for name, value in loaded.items()}


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------
def _distribution(template: Template) -> tuple[str, dict[str, Any]]:
    (found,) = resources(template, "AWS::CloudFront::Distribution").items()
    return found[0], props(found[1])["DistributionConfig"]


def _origin(config: dict[str, Any], behavior: dict[str, Any]) -> dict[str, Any]:
    origins: list[dict[str, Any]] = config["Origins"]
    (origin,) = [o for o in origins if o["Id"] == behavior["TargetOriginId"]]
    return origin


def _api_behavior(config: dict[str, Any]) -> dict[str, Any]:
    behaviors: list[dict[str, Any]] = config.get("CacheBehaviors", [])
    (behavior,) = [b for b in behaviors if b["PathPattern"] == "/v1/*"]
    return behavior


def _headers_policy(template: Template, behavior: dict[str, Any]) -> dict[str, Any]:
    policy_id = ref(behavior["ResponseHeadersPolicyId"])
    policies = resources(template, "AWS::CloudFront::ResponseHeadersPolicy")
    assert policy_id in policies, "a response headers policy of this stack"
    config: dict[str, Any] = props(policies[policy_id])["ResponseHeadersPolicyConfig"]
    return config


def _web_bucket(template: Template) -> tuple[str, dict[str, Any]]:
    (bucket_id,) = web_bucket_ids(template)
    return bucket_id, resources(template, "AWS::S3::Bucket")[bucket_id]


def _bucket_statements(template: Template, bucket_id: str) -> list[dict[str, Any]]:
    return [
        statement
        for policy in resources(template, "AWS::S3::BucketPolicy").values()
        if props(policy)["Bucket"] == {"Ref": bucket_id}
        for statement in props(policy)["PolicyDocument"]["Statement"]
    ]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _directives(csp: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for directive in filter(None, (d.strip() for d in csp.split(";"))):
        name, *sources = directive.split()
        found[name.lower()] = sources
    return found


def _hsts(value: str) -> tuple[int, bool, bool]:
    lowered = value.lower()
    match = re.search(r"max-age=(\d+)", lowered)
    assert match, value
    return int(match.group(1)), "includesubdomains" in lowered, "preload" in lowered


# ---------------------------------------------------------------------------------------
# The bucket
# ---------------------------------------------------------------------------------------
def test_web_bucket_is_private_encrypted_and_tls_only(template: Template) -> None:
    bucket_id, bucket = _web_bucket(template)
    p = props(bucket)
    assert p["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert p["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert "WebsiteConfiguration" not in p, "read through CloudFront, not as an S3 website"
    assert p["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert any(
        s["Effect"] == "Deny"
        and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
        for s in _bucket_statements(template, bucket_id)
    ), "the web bucket accepts plain HTTP"


def test_web_bucket_is_readable_by_this_distribution_only(template: Template) -> None:
    bucket_id, _ = _web_bucket(template)
    distribution_id, _ = _distribution(template)
    allows = [s for s in _bucket_statements(template, bucket_id) if s["Effect"] == "Allow"]
    assert len(allows) == 1, allows
    (allow,) = allows
    assert _as_list(allow["Action"]) == ["s3:GetObject"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    (resource,) = _as_list(allow["Resource"])
    assert resource == {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/*"]]}
    (source_arn,) = allow["Condition"]["StringEquals"].values()
    assert list(allow["Condition"]["StringEquals"]) == ["AWS:SourceArn"]
    text = json.dumps(source_arn)
    assert ":distribution/" in text and json.dumps({"Ref": distribution_id}) in text


# ---------------------------------------------------------------------------------------
# The distribution
# ---------------------------------------------------------------------------------------
def test_static_files_come_from_the_bucket_through_origin_access_control(
    template: Template,
) -> None:
    _, config = _distribution(template)
    bucket_id, _ = _web_bucket(template)
    default = config["DefaultCacheBehavior"]
    origin = _origin(config, default)
    assert get_att(origin["DomainName"]) == (bucket_id, "RegionalDomainName")
    assert origin["S3OriginConfig"].get("OriginAccessIdentity", "") == "", "no legacy OAI"
    assert not resources(template, "AWS::CloudFront::CloudFrontOriginAccessIdentity")
    oac_id, attribute = get_att(origin["OriginAccessControlId"]) or ("", "")
    oac = resources(template, "AWS::CloudFront::OriginAccessControl")[oac_id]
    assert attribute == "Id"
    oac_config = props(oac)["OriginAccessControlConfig"]
    assert oac_config["OriginAccessControlOriginType"] == "s3"
    assert oac_config["SigningBehavior"] == "always"
    assert oac_config["SigningProtocol"] == "sigv4"

    assert config["DefaultRootObject"] == "index.html"
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert default["Compress"] is True
    assert set(default["AllowedMethods"]) == {"GET", "HEAD"}


def test_v1_goes_to_the_api_stage_uncached_with_every_method(template: Template) -> None:
    _, config = _distribution(template)
    behavior = _api_behavior(config)
    origin = _origin(config, behavior)
    (api_id,) = resources(template, "AWS::Serverless::Api")
    domain = json.dumps(origin["DomainName"])
    assert json.dumps({"Ref": api_id}) in domain and ".execute-api." in domain
    chalice = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    stage = chalice["stages"]["prod"].get("api_gateway_stage", "api")
    assert origin["OriginPath"] == f"/{stage}"
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"

    cache = _policy(template, behavior, "CachePolicyId", "AWS::CloudFront::CachePolicy")
    # Nothing kept beyond what the API allows, and it allows nothing (below).
    assert cache["MinTTL"] == 0 and cache["DefaultTTL"] == 0 and cache["MaxTTL"] <= 1
    assert set(behavior["AllowedMethods"]) == ALL_METHODS
    assert behavior["ViewerProtocolPolicy"] in ("https-only", "redirect-to-https")


def _policy(template: Template, behavior: dict[str, Any], key: str, kind: str) -> dict[str, Any]:
    policy_id = ref(behavior[key])
    policies = resources(template, kind)
    assert policy_id in policies, f"a {kind} of this stack"
    config: dict[str, Any] = next(iter(props(policies[policy_id]).values()))
    return config


def _forwarded(template: Template, behavior: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The headers that reach the API: (origin request policy's, cache key's), lowercased."""
    requests = _policy(
        template, behavior, "OriginRequestPolicyId", "AWS::CloudFront::OriginRequestPolicy"
    )
    cache = _policy(template, behavior, "CachePolicyId", "AWS::CloudFront::CachePolicy")
    key = cache["ParametersInCacheKeyAndForwardedToOrigin"]
    found: list[set[str]] = []
    for headers in (requests["HeadersConfig"], key["HeadersConfig"]):
        assert headers["HeaderBehavior"] == "whitelist", "an allow-list: never Host"
        assert len(headers["Headers"]) <= POLICY_HEADERS_QUOTA
        found.append({h.lower() for h in headers["Headers"]})
    assert requests["CookiesConfig"]["CookieBehavior"] == "none"
    assert key["CookiesConfig"]["CookieBehavior"] == "none"
    assert requests["QueryStringsConfig"]["QueryStringBehavior"] == "all"
    assert key["QueryStringsConfig"]["QueryStringBehavior"] == "all"
    return found[0], found[1]


def test_v1_forwards_what_the_api_reads_and_the_viewer_address_never_host(
    template: Template,
) -> None:
    _, config = _distribution(template)
    requests, cache_key = _forwarded(template, _api_behavior(config))
    assert "cloudfront-viewer-address" in requests
    assert requests | cache_key >= API_READS, API_READS - (requests | cache_key)
    assert "host" not in requests | cache_key, "API Gateway answers to its own name only"
    # CloudFront refuses Authorization in an origin request policy's allow-list.
    assert "authorization" not in requests and "authorization" in cache_key
    assert EDGE_HEADER.lower() not in requests | cache_key, "set by CloudFront, not a viewer"


def test_nothing_the_api_answers_can_be_kept_at_the_edge(template: Template) -> None:
    """The API cache policy allows a second at most, and only when the origin says so: every
    answer says `no-store`, the app's (handlers/http.py) and the gateway's own."""
    from chalicelib.core.http import json_response

    assert json_response(200, {}).headers["Cache-Control"] == "no-store"
    (api,) = resources(template, "AWS::Serverless::Api").values()
    gateway = props(api)["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    assert gateway
    for response in gateway.values():
        header = response["responseParameters"]["gatewayresponse.header.Cache-Control"]
        assert header == "'no-store'"


def _edge_secret_id(template: Template) -> str:
    _, config = _distribution(template)
    origin = _origin(config, _api_behavior(config))
    (header,) = [h for h in origin["OriginCustomHeaders"] if h["HeaderName"] == EDGE_HEADER]
    (secret_id,) = [p["Ref"] for p in header["HeaderValue"]["Fn::Join"][1] if isinstance(p, dict)]
    return str(secret_id)


def test_the_api_origin_carries_the_edge_secret_by_reference(template: Template) -> None:
    _, config = _distribution(template)
    origin = _origin(config, _api_behavior(config))
    (header,) = [h for h in origin["OriginCustomHeaders"] if h["HeaderName"] == EDGE_HEADER]
    value = header["HeaderValue"]
    assert isinstance(value, dict), "a dynamic reference, never the secret itself"
    secret_id = _edge_secret_id(template)
    assert json.dumps(value) == json.dumps(
        {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": secret_id}, ":SecretString:::}}"]]}
    )
    secret = props(resources(template, "AWS::SecretsManager::Secret")[secret_id])
    generated = secret["GenerateSecretString"]
    assert generated["ExcludePunctuation"] is True and generated["PasswordLength"] >= 32
    assert "SecretString" not in secret


def test_only_the_api_function_reads_the_edge_secret(template: Template) -> None:
    secret_id = _edge_secret_id(template)
    roles = resources(template, "AWS::IAM::Role")
    functions = {
        **resources(template, "AWS::Serverless::Function"),
        **resources(template, "AWS::Lambda::Function"),
    }
    readers: set[str] = set()
    for name, function in functions.items():
        p = props(function)
        variables = p.get("Environment", {}).get("Variables", {})
        role = (get_att(p.get("Role")) or ("", ""))[0]
        statements = [
            statement
            for policy in props(roles.get(role, {})).get("Policies", [])
            for statement in policy["PolicyDocument"]["Statement"]
        ]
        granted = [
            s for s in statements if json.dumps({"Ref": secret_id}) in json.dumps(s["Resource"])
        ]
        if p.get("Handler") == "app.app":
            assert ref(variables["EDGE_SECRET_ARN"]) == secret_id
            assert "EDGE_SECRET" not in variables, "never the value itself"
            (statement,) = granted
            assert _as_list(statement["Action"]) == ["secretsmanager:GetSecretValue"]
            # Named secrets only (the statement may also name the signing keys): no wildcard.
            named = _as_list(statement["Resource"])
            assert {"Ref": secret_id} in named
            assert all(ref(r) in resources(template, "AWS::SecretsManager::Secret") for r in named)
            readers.add(name)
        else:
            assert not granted, name
            assert "EDGE_SECRET_ARN" not in variables, name
    assert len(readers) == 1
    assert not [
        policy
        for policy in resources(template, "AWS::IAM::Policy").values()
        if json.dumps({"Ref": secret_id}) in json.dumps(props(policy))
    ], "no other policy names the edge secret"


def test_every_api_route_is_under_v1() -> None:
    from app import app

    assert app.routes
    assert all(path.startswith("/v1/") for path in app.routes), sorted(app.routes)


# ---------------------------------------------------------------------------------------
# Security headers: web/security-headers.json, one source for CloudFront and the devserver
# ---------------------------------------------------------------------------------------
def test_the_csp_has_no_inline_script_and_no_framing(headers: dict[str, str]) -> None:
    directives = _directives(headers["content-security-policy"])
    script = directives.get("script-src", directives.get("default-src"))
    assert script is not None
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_static_files_carry_the_headers_of_security_headers_json(
    template: Template, headers: dict[str, str]
) -> None:
    _, config = _distribution(template)
    policy = _headers_policy(template, config["DefaultCacheBehavior"])
    security = policy["SecurityHeadersConfig"]

    csp = security["ContentSecurityPolicy"]
    assert csp["ContentSecurityPolicy"] == headers["content-security-policy"]
    directives = _directives(csp["ContentSecurityPolicy"])
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]

    hsts = security["StrictTransportSecurity"]
    max_age, subdomains, preload = _hsts(headers["strict-transport-security"])
    assert hsts["AccessControlMaxAgeSec"] == max_age >= 31536000
    assert hsts.get("IncludeSubdomains", False) == subdomains
    assert hsts.get("Preload", False) == preload

    assert headers["x-content-type-options"] == "nosniff"
    assert security["ContentTypeOptions"]["Override"] is True
    assert security["FrameOptions"]["FrameOption"] == headers["x-frame-options"]
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == headers["referrer-policy"]
    assert all(setting["Override"] is True for setting in security.values())

    custom = {h["Header"].lower(): h["Value"] for h in policy["CustomHeadersConfig"]["Items"]}
    assert custom["permissions-policy"] == headers["permissions-policy"]
    assert "CorsConfig" not in policy, "one origin for the client and the API: no CORS"


def test_api_answers_carry_hsts_nosniff_and_frame_options(
    template: Template, headers: dict[str, str]
) -> None:
    _, config = _distribution(template)
    policy = _headers_policy(template, _api_behavior(config))
    security = policy["SecurityHeadersConfig"]
    max_age, _, _ = _hsts(headers["strict-transport-security"])
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] == max_age
    assert security["ContentTypeOptions"]["Override"] is True
    assert security["FrameOptions"]["FrameOption"] == headers["x-frame-options"]
    assert "CorsConfig" not in policy


# ---------------------------------------------------------------------------------------
# Deployment of web/ and the outputs
# ---------------------------------------------------------------------------------------
def _staged_files(outdir: Path, object_key: str) -> set[str]:
    manifest = json.loads((outdir / "massar-prod.assets.json").read_text(encoding="utf-8"))
    asset = manifest["files"][object_key.removesuffix(".zip")]
    staged = outdir / asset["source"]["path"]
    assert staged.is_dir(), "a directory, zipped by the CDK at publication"
    return {path.relative_to(staged).as_posix() for path in staged.rglob("*") if path.is_file()}


def test_the_web_folder_is_deployed_to_the_bucket(template: Template, outdir: Path) -> None:
    bucket_id, _ = _web_bucket(template)
    distribution_id, _ = _distribution(template)
    deployments = [
        props(d)
        for d in resources(template, "Custom::CDKBucketDeployment").values()
        if props(d)["DestinationBucketName"] == {"Ref": bucket_id}
    ]
    assert deployments
    for deployment in deployments:
        (object_key,) = deployment["SourceObjectKeys"]
        staged = _staged_files(outdir, object_key)
        assert "security-headers.json" not in staged, "read by the stack, not served"
        web = {
            p.relative_to(ROOT / "web").as_posix() for p in (ROOT / "web").rglob("*") if p.is_file()
        }
        assert staged <= web, staged - web

    no_cache = [d for d in deployments if d["SystemMetadata"]["cache-control"] == "no-cache"]
    (entry_points,) = no_cache
    assert set(entry_points["Include"]) == ENTRY_POINTS and entry_points["Exclude"] == ["*"]
    assert entry_points["DistributionId"] == {"Ref": distribution_id}
    assert entry_points["DistributionPaths"] == ["/*"]
    (rest,) = [d for d in deployments if d is not entry_points]
    assert set(rest["Exclude"]) >= ENTRY_POINTS
    assert rest["Prune"] is True
    assert "no-cache" not in rest["SystemMetadata"]["cache-control"]


def test_outputs_give_the_web_client_url(template: Template) -> None:
    distribution_id, _ = _distribution(template)
    outputs = template["Outputs"]
    domain = {"Fn::GetAtt": [distribution_id, "DomainName"]}
    assert outputs["WebDistributionDomainName"]["Value"] == domain
    assert outputs["WebClientUrl"]["Value"] == {"Fn::Join": ["", ["https://", domain]]}


# ---------------------------------------------------------------------------------------
# The stack reads the headers file strictly
# ---------------------------------------------------------------------------------------
def test_the_stack_refuses_an_incomplete_headers_file(tmp_path: Path) -> None:
    from infra.stack import load_security_headers, strict_transport_security

    complete = json.loads(SECURITY_HEADERS.read_text(encoding="utf-8"))
    assert load_security_headers(SECURITY_HEADERS) == complete
    for name in ("Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options"):
        path = tmp_path / f"without-{name}.json"
        path.write_text(
            json.dumps({k: v for k, v in complete.items() if k != name}), encoding="utf-8"
        )
        with pytest.raises(ValueError, match=name.lower()):
            load_security_headers(path)
    with pytest.raises(ValueError, match="max-age"):
        strict_transport_security("includeSubDomains; preload")
