"""Bulk issuing of accounts and credential letters: the request, its progress, the runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint
from chalice.app import SQSEvent

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route
from chalicelib.core.logs import logger

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.accounts.schemas import Batch, BatchRequest

issuance_bp = Blueprint(__name__)

JOBS_QUEUE_PLACEHOLDER = "massar-jobs"


def _batch(job_id: str, principal_call: Call) -> Batch:
    from chalicelib.accounts.issuance import service as issuance
    from chalicelib.accounts.schemas import Batch, ClassLetters
    from chalicelib.core.files import download_url

    job = issuance.batch_status(principal_call.require(Role.STAFF, Role.OPS), job_id)
    classes = [
        ClassLetters(
            class_id=part.get("class_id", ""),
            label=part.get("label", ""),
            issued=int(part.get("issued") or 0),
            skipped=int(part.get("skipped") or 0),
            letters_url=download_url(part["letters_key"]) if part.get("letters_key") else None,
        )
        for part in job.parts
        if part.get("class_id")
    ]
    return Batch(
        id=job.job_id,
        status=job.status,  # type: ignore[arg-type]
        school_code=job.school_code or "",
        classes_total=job.total,
        classes_done=job.done,
        issued=job.issued,
        skipped=job.skipped,
        classes=classes,
    )


@route(
    issuance_bp,
    "/v1/schools/{code}/account-batches",
    "POST",
    summary="Issue initial codes and letters for a school or one class (runs in the background)",
    tag="accounts",
    body="chalicelib.accounts.schemas:BatchRequest",
    returns="chalicelib.accounts.schemas:Batch",
    status=202,
    signed_in=True,
    idempotent=True,  # a retry must not create a second one (API.md)
    errors=(403, 404),
)
def request_batch(call: Call) -> Batch:
    from chalicelib.accounts.issuance import service as issuance

    principal = call.require(Role.STAFF, Role.OPS)
    body: BatchRequest = call.body
    job_id = issuance.request_batch(principal, call.param("code"), body.class_id)
    return _batch(job_id, call)


@route(
    issuance_bp,
    "/v1/account-batches/{id}",
    "GET",
    summary="Progress of an issuing job, with a link to each class's letters once done",
    tag="accounts",
    returns="chalicelib.accounts.schemas:Batch",
    signed_in=True,
    errors=(403, 404),
)
def get_batch(call: Call) -> Batch:
    return _batch(call.param("id"), call)


@issuance_bp.on_sqs_message(queue=JOBS_QUEUE_PLACEHOLDER, batch_size=1)
def run_jobs(event: SQSEvent) -> dict[str, list[dict[str, str]]]:
    from chalicelib.accounts.issuance import service as issuance

    failures = []
    for record in event:
        message_id = record.to_dict()["messageId"]
        try:
            issuance.run_job_message(record.body)
        except Exception:
            logger.exception("job step failed", extra={"message_id": message_id})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}
