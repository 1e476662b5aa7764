"""The media bucket: generated letters and uploaded files, reached through short-lived URLs."""

from __future__ import annotations

from urllib.parse import quote

from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings

LETTER_URL_SECONDS = 900


def put_pdf(key: str, content: bytes, metadata: dict[str, str] | None = None) -> None:
    client("s3").put_object(
        Bucket=settings().media_bucket,
        Key=key,
        Body=content,
        ContentType="application/pdf",
        ServerSideEncryption="AES256",
        Metadata=metadata or {},
    )


def metadata_of(key: str) -> dict[str, str] | None:
    """A stored file's user metadata (one HeadObject), None when there is no such file
    (without ListBucket, S3 answers 403 rather than 404 for a missing key)."""
    from botocore.exceptions import ClientError

    try:
        head = client("s3").head_object(Bucket=settings().media_bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "403", "NoSuchKey", "NotFound"):
            return None
        raise
    return {str(k): str(v) for k, v in head.get("Metadata", {}).items()}


def exists(key: str) -> bool:
    """Whether the bucket holds `key` (one HeadObject). Without s3:ListBucket on the bucket
    S3 answers a missing key 403, not 404: both mean "not there" here (a real lack of
    permission shows at the PutObject that follows)."""
    from botocore.exceptions import ClientError

    try:
        client("s3").head_object(Bucket=settings().media_bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("403", "404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


def download_url(key: str, seconds: int = LETTER_URL_SECONDS, filename: str | None = None) -> str:
    local = settings().media_download_url
    if local:  # the devserver serves the file itself (its moto has no reachable S3 URL)
        return f"{local}/{quote(key)}"
    params = {"Bucket": settings().media_bucket, "Key": key}
    if filename:
        params["ResponseContentDisposition"] = f'attachment; filename="{filename}"'
    return str(client("s3").generate_presigned_url("get_object", Params=params, ExpiresIn=seconds))


def read(key: str) -> bytes:
    return bytes(client("s3").get_object(Bucket=settings().media_bucket, Key=key)["Body"].read())
