"""The synthesized CDK stack, shared by the infra tests (test_infra.py, test_infra_web.py).

`synthesize` runs infra/app.py once per test session, in a subprocess, whichever infra test
module asks first; the helpers read the CloudFormation template it writes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGE = "prod"
STACK = f"massar-{STAGE}"

Template = dict[str, Any]

# Every infra test module: `pytestmark = INFRA_TEST_MARKS`.
INFRA_TEST_MARKS = [
    pytest.mark.skipif(
        os.environ.get("MASSAR_SKIP_INFRA_TESTS") == "1", reason="MASSAR_SKIP_INFRA_TESTS=1"
    ),
    pytest.mark.skipif(shutil.which("node") is None, reason="the CDK needs Node.js"),
]

# Custom resources the CDK serves with functions of its own (the web client's deployment):
# those functions are not the app's, and the app's rules (names, environment, roles,
# alarms) are not theirs.
CDK_CUSTOM_RESOURCES = ("Custom::CDKBucketDeployment",)

_synthesized: dict[str, Path] = {}


def synthesize(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cloud assembly directory (synthesized at the first call of the session)."""
    if "outdir" not in _synthesized:
        out = tmp_path_factory.mktemp("cdk.out")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CDK_")}
        env.update(CDK_OUTDIR=str(out), JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="1")
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(ROOT / "infra" / "app.py")],
            cwd=ROOT / "infra",
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"synth failed:\n{done.stdout[-4000:]}\n{done.stderr[-8000:]}"
        _synthesized["outdir"] = out
    return _synthesized["outdir"]


def template_file(outdir: Path) -> Path:
    return outdir / f"{STACK}.template.json"


def load_template(path: Path) -> Template:
    loaded: Template = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def resources(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def props(resource: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = resource.get("Properties", {})
    return found


def get_att(value: Any) -> tuple[str, str] | None:
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        logical, attribute = value["Fn::GetAtt"]
        return str(logical), str(attribute)
    return None


def ref(value: Any) -> str | None:
    return str(value["Ref"]) if isinstance(value, dict) and "Ref" in value else None


def cdk_provider_functions(template: Template) -> set[str]:
    """The functions that serve the CDK's own custom resources."""
    return {
        (get_att(props(r).get("ServiceToken")) or ("", ""))[0]
        for r in template["Resources"].values()
        if r["Type"] in CDK_CUSTOM_RESOURCES
    }


def functions(template: Template) -> dict[str, dict[str, Any]]:
    """The app's Lambda functions, in whichever form the template holds them."""
    providers = cdk_provider_functions(template)
    return {
        name: function
        for name, function in {
            **resources(template, "AWS::Serverless::Function"),
            **resources(template, "AWS::Lambda::Function"),
        }.items()
        if name not in providers
    }


def web_bucket_ids(template: Template) -> set[str]:
    """Buckets that a CloudFront distribution reads as an S3 origin."""
    found: set[str] = set()
    for distribution in resources(template, "AWS::CloudFront::Distribution").values():
        for origin in props(distribution)["DistributionConfig"].get("Origins", []):
            if "S3OriginConfig" in origin:
                bucket = get_att(origin["DomainName"])
                if bucket is not None:
                    found.add(bucket[0])
    return found


def media_bucket_id(template: Template) -> str:
    """The one bucket that is not the web client's."""
    (media,) = set(resources(template, "AWS::S3::Bucket")) - web_bucket_ids(template)
    return media
