"""The media bucket: generated letters and uploaded files, reached through short-lived URLs."""

from __future__ import annotations

from urllib.parse import quote

from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings

LETTER_URL_SECONDS = 900


def put_pdf(key: str, content: bytes) -> None:
    client("s3").put_object(
        Bucket=settings().media_bucket,
        Key=key,
        Body=content,
        ContentType="application/pdf",
        ServerSideEncryption="AES256",
    )


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
