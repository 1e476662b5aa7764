"""What the Lambda ships, read from the synthesized cloud assembly (issue 14): every compiled
dependency from a wheel the Lambda's Linux runs, bytecode compiled in, within Lambda's size
quotas, and the app importing from those files alone without compiling anything.

The synthesis is the one the infra tests share (tests/infra_support.py: once per session);
the other tests here need none.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.packaging import (
    BOTOCORE_DATA,
    BOTOCORE_SERVICES,
    FUNCTION_ROOT,
    LAMBDA_RUNTIME,
    LAYER_ROOT,
    MAX_UNZIPPED_BYTES,
    MAX_ZIPPED_BYTES,
    MIN_BYTECODE_SHARE,
    PackagingError,
    ShippedFunction,
    bytecode_coverage,
    check_layer,
    compile_package,
    incompatible_distributions,
    is_lambda_compatible,
    shipped_functions,
    unpack_as_lambda,
    unzipped_size,
    wheel_tags,
    write_zip,
)
from tests.infra_support import (
    INFRA_TEST_MARKS,
    ROOT,
    Template,
    functions,
    load_template,
    synthesize,
    template_file,
)

# The toolchain `make test` adds: never in what `make run` installs (issue 14, finding 7).
TOOLCHAIN = {"aws-cdk-lib", "constructs", "cfn-lint", "playwright", "mypy", "ruff", "pytest"}
HASH_BASED_UNCHECKED = 0b01  # the .pyc flags word: hash-based, source never checked


# ---------------------------------------------------------------------------------------
# The synthesized packages
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(tmp_path_factory)


@pytest.fixture(scope="module")
def template(outdir: Path) -> Template:
    return load_template(template_file(outdir))


@pytest.fixture(scope="module")
def shipped(outdir: Path, template: Template) -> list[ShippedFunction]:
    return shipped_functions(outdir, template, sorted(functions(template)))


def _packages(shipped: list[ShippedFunction]) -> list[Path]:
    return sorted({p for f in shipped for p in (f.code, *f.layers)})


class TestShipped:
    pytestmark = INFRA_TEST_MARKS

    def test_every_function_runs_the_runtime_the_bytecode_is_for(
        self, template: Template, shipped: list[ShippedFunction]
    ) -> None:
        assert len(shipped) >= 7
        for function in functions(template).values():
            assert function["Properties"]["Runtime"] == LAMBDA_RUNTIME
        assert all(f.layers for f in shipped), "the dependencies travel in the managed layer"

    def test_no_wheel_built_on_this_machine(self, shipped: list[ShippedFunction]) -> None:
        for package in _packages(shipped):
            with zipfile.ZipFile(package) as archive:
                tags = wheel_tags(archive)
                assert incompatible_distributions(archive) == {}, package.name
                linux_only = {
                    d: t
                    for d, t in tags.items()
                    if any(tag.rsplit("-", 1)[-1] == "linux_x86_64" for tag in t)
                }
                assert linux_only == {}, (
                    f"built here, against this machine's libraries: {linux_only}"
                )
        layer_tags = _layer_tags(shipped)
        assert any(d.startswith("pillow-") for d in layer_tags), "fpdf2's Pillow ships"
        assert not any(d.startswith("phonenumbers-") for d in layer_tags), "phonenumberslite"

    def test_bytecode_ships_for_almost_every_source(self, shipped: list[ShippedFunction]) -> None:
        for package in _packages(shipped):
            with zipfile.ZipFile(package) as archive:
                coverage = bytecode_coverage(archive)
                assert coverage.sources > 0
                assert coverage.share >= MIN_BYTECODE_SHARE, (package.name, coverage)

    def test_the_bytecode_loads_whatever_the_timestamps(
        self, shipped: list[ShippedFunction]
    ) -> None:
        function = shipped[0]
        for package, root in [
            (function.code, FUNCTION_ROOT),
            *((p, LAYER_ROOT) for p in function.layers),
        ]:
            with zipfile.ZipFile(package) as archive:
                pycs = [n for n in archive.namelist() if n.endswith(".pyc")][:50]
                assert pycs
                for name in pycs:
                    data = archive.read(name)
                    assert data[:4] == importlib.util.MAGIC_NUMBER, name
                    assert int.from_bytes(data[4:8], "little") == HASH_BASED_UNCHECKED, name
                    code = marshal.loads(data[16:])  # noqa: S302 - bytecode we just compiled
                    # Tracebacks name the file where Lambda unpacked it.
                    assert code.co_filename.startswith(f"{root}/"), (name, code.co_filename)

    def test_botocore_keeps_only_the_services_the_app_calls(
        self, shipped: list[ShippedFunction]
    ) -> None:
        for layer in {p for f in shipped for p in f.layers}:
            with zipfile.ZipFile(layer) as archive:
                services = {
                    n[len(BOTOCORE_DATA) + 1 :].split("/", 1)[0]
                    for n in archive.namelist()
                    if n.startswith(f"{BOTOCORE_DATA}/")
                    and n.count("/") > BOTOCORE_DATA.count("/") + 1
                }
                names = set(archive.namelist())
            assert services == BOTOCORE_SERVICES
            assert f"{BOTOCORE_DATA}/endpoints.json" in names

    def test_sizes_within_lambda_quotas(self, shipped: list[ShippedFunction]) -> None:
        for package in _packages(shipped):
            assert package.stat().st_size <= MAX_ZIPPED_BYTES, package.name
        for function in shipped:
            unzipped = 0
            for package in (function.code, *function.layers):
                with zipfile.ZipFile(package) as archive:
                    unzipped += unzipped_size(archive)
            assert unzipped <= MAX_UNZIPPED_BYTES, (function.logical_id, unzipped)

    def test_the_app_imports_from_what_ships_without_compiling(
        self, shipped: list[ShippedFunction], tmp_path: Path
    ) -> None:
        api = next(f for f in shipped if f.logical_id == "APIHandler")
        task, path = unpack_as_lambda(api, tmp_path)
        # -S: none of this venv's site-packages, only the package's folders (as on Lambda,
        # the function's folder first, then the layer's). Every module imported from them
        # must have come with its .pyc: nothing may be written, and nothing compiled.
        probe = (
            "import sys, app, boto3\n"
            # Every kept service's client builds from the trimmed botocore (no network).
            f"for name in {sorted(BOTOCORE_SERVICES)!r}:\n"
            "    boto3.client(name, region_name='eu-west-3', aws_access_key_id='k',"
            " aws_secret_access_key='s')\n"
            f"roots = {[str(task), *map(str, path)]!r}\n"
            "shipped = [m for m in list(sys.modules.values()) if any("
            "(getattr(m, '__file__', None) or '').startswith(r) for r in roots)]\n"
            "missing = [m.__name__ for m in shipped if m.__file__.endswith('.py') and not "
            "(m.__cached__ and __import__('os').path.exists(m.__cached__))]\n"
            "print(len(shipped), missing)\n"
        )
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": os.pathsep.join([str(task), *map(str, path)]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_DEFAULT_REGION": "eu-west-3",
        }
        done = subprocess.run(  # noqa: S603 - this interpreter, the files just unpacked
            [sys.executable, "-S", "-c", probe],
            cwd=task,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        count, missing = done.stdout.strip().rsplit("\n", 1)[-1].split(" ", 1)
        assert int(count) > 100
        assert missing == "[]"
        assert not list(task.rglob("*.cpython-*.pyc.*")), "nothing written next to the code"


def _layer_tags(shipped: list[ShippedFunction]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for layer in {p for f in shipped for p in f.layers}:
        with zipfile.ZipFile(layer) as archive:
            tags.update(wheel_tags(archive))
    return tags


# ---------------------------------------------------------------------------------------
# The rules, without a synthesis
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tag", "compatible"),
    [
        ("py3-none-any", True),
        ("py2.py3-none-any", True),
        ("cp311-cp311-manylinux2014_x86_64", True),
        ("cp311-cp311-manylinux_2_17_x86_64", True),
        ("cp310-abi3-manylinux_2_26_x86_64", True),
        ("cp311-cp311-linux_x86_64", False),  # built on a packaging machine
        ("cp311-cp311-manylinux_2_28_x86_64", False),  # Amazon Linux 2 has glibc 2.26
        ("cp312-cp312-manylinux2014_x86_64", False),
        ("cp311-cp311-manylinux2014_aarch64", False),
        ("cp311-cp311-macosx_11_0_arm64", False),
        ("cp312-abi3-manylinux2014_x86_64", False),
    ],
)
def test_wheel_tags_the_lambda_runs(tag: str, compatible: bool) -> None:
    assert is_lambda_compatible(tag) is compatible


def _zip(tmp_path: Path, files: dict[str, str]) -> Path:
    tree = tmp_path / "tree"
    for name, text in files.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text, encoding="utf-8")
    path = tmp_path / "package.zip"
    write_zip(tree, path)
    return path


def test_synthesis_stops_on_a_wheel_built_here(tmp_path: Path) -> None:
    site = "python/lib/python3.11/site-packages"
    layer = _zip(
        tmp_path,
        {
            f"{site}/pillow-13.0.0.dist-info/WHEEL": "Tag: cp311-cp311-linux_x86_64\n",
            f"{site}/fpdf2-2.8.9.dist-info/WHEEL": "Tag: py3-none-any\n",
        },
    )
    with pytest.raises(PackagingError, match=r"pillow-13\.0\.0 \(cp311-cp311-linux_x86_64\)"):
        check_layer(layer)


def test_compiling_twice_makes_the_same_zip(tmp_path: Path) -> None:
    source = {
        "app.py": "KINDS = {'a', 'b', 'c', 'd'}\n",  # a frozenset constant: hash order
        "pkg/__init__.py": "",
        "pkg/mod.py": "def f():\n    return 'x' in {'x', 'y', 'z'}\n",
        "py2.py": "print 'never compiles'\n",
    }
    first = _zip(tmp_path / "one", source)
    second = _zip(tmp_path / "two", source)
    compile_package(first, FUNCTION_ROOT)
    compile_package(second, FUNCTION_ROOT)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        coverage = bytecode_coverage(archive)
        assert "pkg/__pycache__/mod.cpython-311.pyc" in archive.namelist()
    assert (coverage.sources, coverage.compiled) == (4, 3)


def test_a_compiled_layer_is_reused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _zip(tmp_path / "one", {"python/lib/python3.11/site-packages/m.py": "X = 1\n"})
    original = first.read_bytes()
    compile_package(first, LAYER_ROOT, cache_dir=cache)
    (cached,) = cache.glob("*.zip")
    again = tmp_path / "again.zip"
    again.write_bytes(original)
    compile_package(again, LAYER_ROOT, cache_dir=cache)
    assert again.read_bytes() == first.read_bytes() == cached.read_bytes()


_CLIENT_CALL = re.compile(r"\bclient\(\s*([^)]*?)\s*[,)]")


def test_every_aws_client_the_code_makes_keeps_its_botocore_model() -> None:
    named: set[str] = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        for argument in _CLIENT_CALL.findall(text):
            if path.name == "aws_clients.py" and argument in ("service", "service: str"):
                continue  # the one place clients are made
            literal = re.fullmatch(r"[\"']([a-z0-9-]+)[\"']", argument)
            assert literal, f"{path.relative_to(ROOT)}: client({argument}) names no service"
            named.add(literal[1])
    assert named, "the scan found the app's clients"
    assert named | {"dynamodb"} <= BOTOCORE_SERVICES, sorted(named - BOTOCORE_SERVICES)


# ---------------------------------------------------------------------------------------
# Requirements: what ships, what `make run` installs
# ---------------------------------------------------------------------------------------
def _requirements(name: str) -> Iterator[str]:
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            yield from _requirements(line[3:].strip())
        elif line:
            yield line


def _names(lines: Iterator[str]) -> set[str]:
    return {re.split(r"[\[=<>!~ ]", line, maxsplit=1)[0].lower() for line in lines}


def test_what_ships_is_pinned() -> None:
    shipped = list(_requirements("requirements.txt"))
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[\w.]+", line) for line in shipped), shipped
    assert "phonenumbers" not in _names(iter(shipped))


def test_make_run_installs_no_toolchain() -> None:
    run = _names(_requirements("requirements-run.txt"))
    dev = _names(_requirements("requirements-dev.txt"))
    assert {"chalice", "moto"} <= run
    assert _names(_requirements("requirements.txt")) <= run <= dev
    assert not run & TOOLCHAIN
    assert dev >= TOOLCHAIN
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run: \$\(RUN_STAMP\)$", makefile, re.MULTILINE)
    assert "pip install -q" not in makefile, "pip's lines are the install's progress"
