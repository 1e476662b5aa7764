"""The web client (issue 7): web/ in a private bucket behind CloudFront, which also sends
/v1/* to the API (one origin for the client: no CORS). Security headers from
web/security-headers.json (web_headers.py)."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3_deployment
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.components.builders import LOG_RETENTION, private_bucket
from infra.components.data import EDGE_HEADER
from infra.components.naming import Group, flat_address, flat_resource_name, flat_unique_id
from infra.components.web_headers import (
    WEB_DIR,
    custom_headers,
    load_security_headers,
    security_headers_behavior,
)

# Deployed with `Cache-Control: no-cache` (revalidated at every load): the page and the
# service worker decide which version of everything else a browser runs.
WEB_ENTRY_POINTS = ("index.html", "sw.js")
WEB_ASSETS_MAX_AGE_SECONDS = 300
# In web/ for the devserver and the stack, not served.
WEB_NOT_SERVED = ("security-headers.json",)
API_PATH_PATTERN = "/v1/*"
# What the /v1/* behaviour sends the API besides the URL, body and query string. The API
# origin request policy's allow-list: no Host (API Gateway answers to its own name), no
# cookies (the API has none). CloudFront-Viewer-Address is the viewer's IP:port, added by
# CloudFront; the app believes it only with the edge secret (EDGE_HEADER).
API_ORIGIN_REQUEST_HEADERS = (
    "Content-Type",
    "Accept",
    "Idempotency-Key",
    "User-Agent",
    "CloudFront-Viewer-Address",
)
# An origin request policy cannot list Authorization (CloudFront refuses it: only the
# "all viewer headers" policies forward it): it is in the cache key instead, with the
# language the answers are worded in. Nothing is kept (see ApiCachePolicy).
API_CACHE_KEY_HEADERS = ("Authorization", "Accept-Language")
# The distribution's scopes for its origins (the CDK numbers them in order: the default
# behaviour's, then the additional behaviours'). Their ids and the origin access control's
# name are derived from these paths: kept as they were in the stack without groups.
WEB_ORIGIN, API_ORIGIN = "Origin1", "Origin2"
DISTRIBUTION = "WebDistribution"


class Web(Group):
    """`rest_api`: chalice's RestAPI resource; `api_stage`: its stage (the origin path);
    `edge_secret`: the value of the API origin's EDGE_HEADER."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        api_stage: str,
        rest_api: cdk.CfnResource,
        edge_secret: secretsmanager.ISecret,
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage
        self.bucket = private_bucket(self, "WebBucket")  # rebuilt from web/ at each deploy
        self.distribution = self._distribution(self._api_origin(rest_api, api_stage, edge_secret))
        self._keep_origin_access_control_name()
        self._deploy()
        domain = self.distribution.distribution_domain_name
        for name, value in {
            "WebClientUrl": f"https://{domain}",
            "WebDistributionDomainName": domain,
            "WebDistributionId": self.distribution.distribution_id,
            "WebBucketName": self.bucket.bucket_name,
        }.items():
            cdk.CfnOutput(self, name, value=value)

    def _api_origin(
        self, rest_api: cdk.CfnResource, api_stage: str, edge_secret: secretsmanager.ISecret
    ) -> origins.HttpOrigin:
        stack = Stack.of(self)
        return origins.HttpOrigin(
            f"{rest_api.ref}.execute-api.{stack.region}.{stack.url_suffix}",
            origin_id=flat_unique_id(self, DISTRIBUTION, API_ORIGIN),
            origin_path=f"/{api_stage}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            # The API function's own timeout is 10 s: CloudFront waits a little longer.
            read_timeout=Duration.seconds(30),
            # Proof, for the API, that CloudFront-Viewer-Address was set by CloudFront and not
            # by someone calling the execute-api URL. The template holds a dynamic reference
            # ({{resolve:secretsmanager:...}}), resolved by CloudFormation at deploy time.
            custom_headers={EDGE_HEADER: edge_secret.secret_value.unsafe_unwrap()},
        )

    def _header_policies(
        self,
    ) -> tuple[cloudfront.ResponseHeadersPolicy, cloudfront.ResponseHeadersPolicy]:
        """The static files' security headers, and the API's (the same without the CSP)."""
        headers = load_security_headers()
        web_headers = cloudfront.ResponseHeadersPolicy(
            self,
            "WebHeadersPolicy",
            response_headers_policy_name=f"massar-{self.stage}-web-security-headers",
            comment="Massar web client: headers from web/security-headers.json",
            security_headers_behavior=security_headers_behavior(headers),
            custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(
                custom_headers=custom_headers(headers)
            )
            if custom_headers(headers)
            else None,
        )
        api_headers = cloudfront.ResponseHeadersPolicy(
            self,
            "ApiHeadersPolicy",
            response_headers_policy_name=f"massar-{self.stage}-api-security-headers",
            comment="Massar API through CloudFront: HSTS, nosniff, frame and referrer policy",
            security_headers_behavior=security_headers_behavior(headers, with_csp=False),
        )
        return web_headers, api_headers

    def _api_request_policies(
        self,
    ) -> tuple[cloudfront.CachePolicy, cloudfront.OriginRequestPolicy]:
        # "Caching disabled" in effect: no TTL beyond what the API says, and the API says
        # `no-store` on every answer (its own and the gateway's). A non-zero maximum is what
        # lets Authorization be in the cache key, the one way to forward it with an allow-list.
        api_cache = cloudfront.CachePolicy(
            self,
            "ApiCachePolicy",
            cache_policy_name=f"massar-{self.stage}-api",
            comment="Massar API: nothing kept (answers are no-store); Authorization forwarded",
            min_ttl=Duration.seconds(0),
            default_ttl=Duration.seconds(0),
            max_ttl=Duration.seconds(1),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list(*API_CACHE_KEY_HEADERS),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        api_requests = cloudfront.OriginRequestPolicy(
            self,
            "ApiOriginRequestPolicy",
            origin_request_policy_name=f"massar-{self.stage}-api",
            comment="Massar API: the headers it reads and the viewer's address; never Host",
            header_behavior=cloudfront.OriginRequestHeaderBehavior.allow_list(
                *API_ORIGIN_REQUEST_HEADERS
            ),
            query_string_behavior=cloudfront.OriginRequestQueryStringBehavior.all(),
            cookie_behavior=cloudfront.OriginRequestCookieBehavior.none(),
        )
        return api_cache, api_requests

    def _distribution(self, api_origin: origins.HttpOrigin) -> cloudfront.Distribution:
        """web/ from the bucket through an origin access control; /v1/* to the API's
        stage, uncached, every method, HTTPS only."""
        web_headers, api_headers = self._header_policies()
        api_cache, api_requests = self._api_request_policies()
        return cloudfront.Distribution(
            self,
            DISTRIBUTION,
            comment=f"Massar {self.stage}: web client and API (/v1/*)",
            default_root_object="index.html",
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            enable_ipv6=True,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(
                    self.bucket, origin_id=flat_unique_id(self, DISTRIBUTION, WEB_ORIGIN)
                ),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                compress=True,
                response_headers_policy=web_headers,
            ),
            additional_behaviors={
                API_PATH_PATTERN: cloudfront.BehaviorOptions(
                    origin=api_origin,
                    # No redirect: a redirected POST would arrive as a GET.
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cached_methods=cloudfront.CachedMethods.CACHE_GET_HEAD,
                    cache_policy=api_cache,
                    origin_request_policy=api_requests,
                    compress=True,
                    response_headers_policy=api_headers,
                )
            },
        )

    def _keep_origin_access_control_name(self) -> None:
        """The CDK names the origin access control it makes after its construct path."""
        access_control = self.distribution.node.find_child(WEB_ORIGIN).node.find_child(
            "S3OriginAccessControl"
        )
        resource = access_control.node.default_child
        assert isinstance(resource, cloudfront.CfnOriginAccessControl)
        name = flat_resource_name(access_control, max_length=64)
        resource.add_property_override("OriginAccessControlConfig.Name", name)

    def _deploy(self) -> None:
        """Two deployments of the one folder: everything but the entry points (short cache,
        pruning what a new build no longer has), then the entry points (no-cache, after the
        files they load), which also invalidates the distribution's cache."""
        source = s3_deployment.Source.asset(str(WEB_DIR), exclude=list(WEB_NOT_SERVED))
        log_group = logs.LogGroup(
            self,
            "WebDeploymentLogGroup",
            retention=LOG_RETENTION,
            removal_policy=RemovalPolicy.DESTROY,
        )
        assets = s3_deployment.BucketDeployment(
            self,
            "WebAssetsDeployment",
            sources=[source],
            destination_bucket=self.bucket,
            exclude=list(WEB_ENTRY_POINTS),
            prune=True,
            cache_control=[
                s3_deployment.CacheControl.from_string(
                    f"public, max-age={WEB_ASSETS_MAX_AGE_SECONDS}"
                )
            ],
            log_group=log_group,
        )
        entry_points = s3_deployment.BucketDeployment(
            self,
            "WebEntryPointsDeployment",
            sources=[source],
            destination_bucket=self.bucket,
            exclude=["*"],
            include=list(WEB_ENTRY_POINTS),
            prune=False,
            cache_control=[s3_deployment.CacheControl.no_cache()],
            distribution=self.distribution,
            distribution_paths=["/*"],
            log_group=log_group,
        )
        entry_points.node.add_dependency(assets)
        for deployment in (assets, entry_points):
            _keep_owner_tag(self.bucket, deployment)


def _keep_owner_tag(bucket: s3.IBucket, deployment: s3_deployment.BucketDeployment) -> None:
    """A deployment tags its bucket `aws-cdk:cr-owned:<its custom resource's address>`: the
    address as it was in the stack without groups."""
    custom_resource = deployment.node.find_child("CustomResource")
    tag = f"aws-cdk:cr-owned:{custom_resource.node.addr[-8:]}"
    flat_tag = f"aws-cdk:cr-owned:{flat_address(custom_resource)[-8:]}"
    if tag != flat_tag:
        cdk.Tags.of(bucket).remove(tag)
        cdk.Tags.of(bucket).add(flat_tag, "true")
