"""`chalice.cdk.Chalice`, with bytecode compiled into the zips it packages (see packaging.py).

The construct packages the app (`chalice package`: deployment.zip, layer-deployment.zip)
and stages those zips as CDK assets in the same constructor, so the zips are rewritten
between the two, in `_package_app` (chalice 1.34's construct, pinned in requirements-run.txt).
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
from chalice.cdk import Chalice

from infra.packaging import (
    BOTOCORE_SERVICES,
    FUNCTION_ROOT,
    LAMBDA_RUNTIME,
    LAYER_ROOT,
    PackagingError,
    check_layer,
    compile_package,
)

ROOT = Path(__file__).resolve().parent.parent
# Compiled layers, next to the layers chalice keeps there (git-ignored).
CACHE_DIR = ROOT / ".chalice" / "deployments"


class CompiledChalice(Chalice):  # type: ignore[misc]  # chalice.cdk is untyped
    def _package_app(self) -> None:
        # chalice names its stage (the functions' `aws-chalice` tag) after the path of the
        # construct's scope, which is the stack's name only when the construct is the stack's
        # own child: it is the stack's name wherever the construct is.
        self.stage_name = cdk.Stack.of(self).stack_name
        super()._package_app()
        package = Path(self._sam_package_dir)
        self._check_runtime(package / "sam.json")
        code = package / "deployment.zip"
        if not code.is_file():
            raise PackagingError(f"chalice wrote no {code.name} in {package}")
        # The app's own code changes at every commit: compiled each time (~1 s, no cache).
        compile_package(code, FUNCTION_ROOT)
        layer = package / "layer-deployment.zip"
        if layer.is_file():
            check_layer(layer)
            compile_package(
                layer, LAYER_ROOT, cache_dir=CACHE_DIR, botocore_services=BOTOCORE_SERVICES
            )

    def function_ids(self) -> list[str]:
        """The logical ids of the functions chalice packaged."""
        template = json.loads(
            (Path(self._sam_package_dir) / "sam.json").read_text(encoding="utf-8")
        )
        return [
            logical
            for logical, resource in template.get("Resources", {}).items()
            if resource.get("Type") == "AWS::Serverless::Function"
        ]

    @staticmethod
    def _check_runtime(sam_template: Path) -> None:
        template = json.loads(sam_template.read_text(encoding="utf-8"))
        runtimes = {
            str(resource.get("Properties", {}).get("Runtime"))
            for resource in template.get("Resources", {}).values()
            if resource.get("Type") == "AWS::Serverless::Function"
        }
        if runtimes - {LAMBDA_RUNTIME}:
            raise PackagingError(
                f"chalice packaged for {', '.join(sorted(runtimes))}, infra/packaging.py "
                f"checks and compiles for {LAMBDA_RUNTIME}"
            )
