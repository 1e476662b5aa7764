"""ID photos: uploaded by the parent's browser straight to S3 through a presigned POST,
then, at submission, copied to a key of their own that no upload form can write
(`photos-kept/`) and checked there from their first bytes (JPEG or PNG, whatever the name
or the declared type says) and their size: replacing the upload afterwards changes
nothing the school sees."""

from __future__ import annotations

import re
import secrets
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings

UPLOAD_SECONDS = 900
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
_RANGE_TOTAL = re.compile(r"/(\d+)$")


def upload_form() -> dict[str, Any]:
    """Where and how to POST the child's photo (multipart form): `url`, `fields`, then `file`."""
    return presigned_upload(f"photos/{secrets.token_hex(16)}")


def presigned_upload(key: str) -> dict[str, Any]:
    """A presigned POST for one image under `key`, at most `photo_max_bytes` bytes."""
    config = settings()
    form = client("s3").generate_presigned_post(
        Bucket=config.media_bucket,
        Key=key,
        Conditions=[["content-length-range", 1, config.photo_max_bytes]],
        ExpiresIn=UPLOAD_SECONDS,
    )
    return {
        "photo_key": key,
        # The devserver's moto is not reachable by S3's own URL: it proxies uploads.
        "url": config.media_upload_url or form["url"],
        "fields": form["fields"],
        "max_bytes": config.photo_max_bytes,
        "expires_in": UPLOAD_SECONDS,
    }


UPLOAD_PREFIX = "photos/"
KEPT_PREFIX = "photos-kept/"


def keep_submitted(key: str) -> tuple[str | None, str | None]:
    """(the kept copy's key, None), or (None, a field problem code). The copy's key is new
    each time, so no later submission naming the same upload can overwrite it."""
    if not key.startswith(UPLOAD_PREFIX):
        return None, "photo_not_found"  # only uploads are copied; kept copies are not named
    config = settings()
    kept = f"{KEPT_PREFIX}{secrets.token_hex(16)}"
    try:
        client("s3").copy_object(
            Bucket=config.media_bucket,
            Key=kept,
            CopySource={"Bucket": config.media_bucket, "Key": key},
            ServerSideEncryption="AES256",
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code in ("NoSuchKey", "404"):
            return None, "photo_not_found"
        raise
    problem = photo_problem(kept)
    return (None, problem) if problem else (kept, None)


def kind_of(head: bytes) -> str | None:
    if head.startswith(_JPEG):
        return "jpeg"
    if head.startswith(_PNG):
        return "png"
    return None


def photo_problem(key: str) -> str | None:
    """None when the uploaded photo is acceptable, else a field problem code. One S3
    call: the first 16 bytes, whose Content-Range also tells the size."""
    config = settings()
    try:
        answer = client("s3").get_object(Bucket=config.media_bucket, Key=key, Range="bytes=0-15")
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code in ("NoSuchKey", "404", "InvalidRange"):
            return "photo_not_found"
        raise
    head = answer["Body"].read()
    total = _RANGE_TOTAL.search(str(answer.get("ContentRange") or ""))
    size = int(total.group(1)) if total else int(answer.get("ContentLength") or len(head))
    if size > config.photo_max_bytes:
        return "photo_too_large"
    if kind_of(head) is None:
        return "photo_not_jpeg_or_png"
    return None
