"""The web client on the API's origin, as CloudFront serves it in AWS (infra/stack.py).

Static files from `web/`, compressed when the browser accepts it, revalidated by ETag, with
the security headers of `web/security-headers.json` (the one list CloudFront also sends).
Also the stand-in for S3's presigned POST, which in-process moto cannot answer for a
browser (`MEDIA_UPLOAD_URL` points the API's upload forms here).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from functools import cache
from pathlib import Path

WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
UPLOAD_PATH = "/dev/uploads"
FILES_PATH = "/dev/files/"
_COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".webmanifest", ".txt")
_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str


@cache
def security_headers() -> dict[str, str]:
    headers: dict[str, str] = json.loads((WEB_ROOT / "security-headers.json").read_text())
    return headers


def is_static(path: str) -> bool:
    return not path.startswith(("/v1/", "/dev/")) and path not in ("/v1", "/dev")


def _resolve(path: str) -> Path | None:
    relative = path.lstrip("/") or "index.html"
    candidate = (WEB_ROOT / relative).resolve()
    if WEB_ROOT not in candidate.parents or not candidate.is_file():
        return None
    if candidate.name.startswith(".") or candidate.name == "security-headers.json":
        return None
    return candidate


@cache
def _load(file: Path, stamp: tuple[int, int]) -> StaticFile:
    body = file.read_bytes()
    suffix = file.suffix.lower()
    content_type = (
        _TYPES.get(suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    )
    gzipped = gzip.compress(body, 9, mtime=0) if suffix in _COMPRESSIBLE else None
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return StaticFile(body, gzipped, content_type, etag)


def static_file(path: str) -> StaticFile | None:
    file = _resolve(path)
    if file is None:
        return None
    info = file.stat()
    return _load(file, (info.st_mtime_ns, info.st_size))


class UploadRefused(Exception):
    pass


def _max_bytes(fields: dict[str, bytes], default: int) -> int:
    """The form's own size condition (`content-length-range` in its policy, as S3 reads it:
    a homework document may be 5 MB, a photo 1 MB); `default` when the form has none."""
    import base64
    import binascii
    import json

    try:
        policy = json.loads(base64.b64decode(fields.get("policy", b"")))
    except (ValueError, binascii.Error):
        return default
    for condition in policy.get("conditions", []) if isinstance(policy, dict) else []:
        if isinstance(condition, list) and condition[:1] == ["content-length-range"]:
            return int(condition[2])
    return default


def store_upload(content_type: str, body: bytes) -> None:
    """Put the form's `file` at the form's `key` in the media bucket (the devserver trusts
    its own presigned forms: S3 checks the signature and the size condition in AWS)."""
    from chalicelib.core.aws_clients import client
    from chalicelib.core.config import settings

    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    if not message.is_multipart():
        raise UploadRefused("multipart/form-data expected")
    fields: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = payload
    key = fields.get("key", b"").decode()
    data = fields.get("file")
    config = settings()
    if not key or data is None:
        raise UploadRefused("key and file expected")
    if not 1 <= len(data) <= _max_bytes(fields, config.photo_max_bytes):
        raise UploadRefused("EntityTooLarge")
    client("s3").put_object(Bucket=config.media_bucket, Key=key, Body=data)


def stored_file(path: str) -> tuple[bytes, str] | None:
    """The media bucket's object at `/dev/files/<key>`: (body, content type)."""
    from urllib.parse import unquote

    from botocore.exceptions import ClientError

    from chalicelib.core.aws_clients import client
    from chalicelib.core.config import settings

    key = unquote(path[len(FILES_PATH) :])
    try:
        answer = client("s3").get_object(Bucket=settings().media_bucket, Key=key)
    except ClientError:
        return None
    return answer["Body"].read(), str(answer.get("ContentType") or "application/octet-stream")
