"""Homework documents in the media bucket: staff's browser uploads each straight to S3 through
a presigned POST (`homework-uploads/<school>/…`), and the homework, when saved, keeps a copy
under a key no upload form can write (`homework/<school>/<class>/…`), checked there from its
first bytes (PDF, JPEG or PNG, whatever the name or the declared type says) and its size.
Readers get short-lived GET URLs."""

from __future__ import annotations

import re
import secrets
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings
from chalicelib.school_life.homework import rules

UPLOAD_SECONDS = 900
URL_SECONDS = 900
_RANGE_TOTAL = re.compile(r"/(\d+)$")


def upload_prefix(school_code: str) -> str:
    return f"homework-uploads/{school_code}/"


def kept_prefix(school_code: str, class_id: str) -> str:
    return f"homework/{school_code}/{class_id}/"


def upload_form(school_code: str) -> dict[str, Any]:
    """Where and how to POST one document (multipart form): `url`, `fields`, then `file`."""
    config = settings()
    key = f"{upload_prefix(school_code)}{secrets.token_hex(16)}"
    form = client("s3").generate_presigned_post(
        Bucket=config.media_bucket,
        Key=key,
        Conditions=[["content-length-range", 1, rules.DOCUMENT_MAX_BYTES]],
        ExpiresIn=UPLOAD_SECONDS,
    )
    return {
        "document_key": key,
        "url": config.media_upload_url or form["url"],
        "fields": form["fields"],
        "max_bytes": rules.DOCUMENT_MAX_BYTES,
        "expires_in": UPLOAD_SECONDS,
    }


def keep(school_code: str, class_id: str, key: str, name: str) -> tuple[dict[str, str], str | None]:
    """({key, name, kind, size}, None) for the kept, checked copy of an upload of this
    school, or ({}, a field problem code). The copy's key is new each time."""
    if not key.startswith(upload_prefix(school_code)):
        return {}, "document_not_found"
    config = settings()
    kept = f"{kept_prefix(school_code, class_id)}{secrets.token_hex(16)}"
    s3 = client("s3")
    try:
        s3.copy_object(
            Bucket=config.media_bucket,
            Key=kept,
            CopySource={"Bucket": config.media_bucket, "Key": key},
            ServerSideEncryption="AES256",
        )
        answer = s3.get_object(
            Bucket=config.media_bucket, Key=kept, Range=f"bytes=0-{rules.HEAD_BYTES - 1}"
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "InvalidRange"):
            return {}, "document_not_found"
        raise
    head = answer["Body"].read()
    total = _RANGE_TOTAL.search(str(answer.get("ContentRange") or ""))
    size = int(total.group(1)) if total else int(answer.get("ContentLength") or len(head))
    problem = rules.document_problem(head, size, name)
    if problem:
        s3.delete_object(Bucket=config.media_bucket, Key=kept)
        return {}, problem
    kind = rules.kind_of(head) or ""
    return {"key": kept, "name": name, "kind": kind, "size": str(size)}, None


def discard(keys: list[str]) -> None:
    """Delete kept copies no homework names any more (best effort: one call, errors logged)."""
    if not keys:
        return
    from chalicelib.core.logs import logger

    try:
        client("s3").delete_objects(
            Bucket=settings().media_bucket,
            Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True},
        )
    except ClientError:
        logger.warning("homework documents not deleted", extra={"count": len(keys)})


def url(document: dict[str, str]) -> str:
    from chalicelib.core.files import download_url

    return download_url(document["key"], URL_SECONDS, _ascii_name(document.get("name", "")))


def _ascii_name(name: str) -> str | None:
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")
    return plain or None
