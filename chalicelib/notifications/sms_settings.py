"""The account's SMS settings, kept by the CDK stack through a CloudFormation custom resource
(CloudFormation has no resource for them): the monthly spend limit, delivery-status
logging (the role SNS writes the logs with, every success sampled), transactional SMS and
the sender id.

The `sms_account_settings` function receives the custom resource's events; this module
applies them and answers CloudFormation on the pre-signed URL it gave. A monthly spend
limit above the account's quota (1 USD on a new account) is refused by SNS until an AWS
support case raises the quota: the stack's deployment then fails, loudly, instead of
leaving SMS uncapped.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from chalicelib.core.aws_clients import client
from chalicelib.core.logs import logger

PHYSICAL_ID = "massar-sms-account-settings"
# ResourceProperties that become SNS SMS attributes, and nothing else.
ATTRIBUTES = (
    "MonthlySpendLimit",
    "DeliveryStatusIAMRole",
    "DeliveryStatusSuccessSamplingRate",
    "DefaultSMSType",
    "DefaultSenderID",
)


def apply(properties: dict[str, Any]) -> dict[str, str]:
    attributes = {k: str(properties[k]) for k in ATTRIBUTES if properties.get(k) not in (None, "")}
    if attributes:
        client("sns").set_sms_attributes(attributes=attributes)
    return attributes


def handle(event: dict[str, Any]) -> dict[str, Any]:
    """Apply a Create/Update (a Delete leaves the account as it is: the spend limit stays)
    and answer CloudFormation. Never raises: CloudFormation would wait an hour."""
    status, reason, data = "SUCCESS", "", {}
    try:
        if event.get("RequestType") in ("Create", "Update"):
            data = apply(dict(event.get("ResourceProperties") or {}))
    except Exception as error:
        logger.exception("SMS account settings not applied")
        status, reason = "FAILED", f"{type(error).__name__}: {error}"[:500]
    answer = {
        "Status": status,
        "Reason": reason or "see the function's logs",
        "PhysicalResourceId": event.get("PhysicalResourceId") or PHYSICAL_ID,
        "StackId": event.get("StackId", ""),
        "RequestId": event.get("RequestId", ""),
        "LogicalResourceId": event.get("LogicalResourceId", ""),
        "Data": {k: v for k, v in data.items() if k != "DeliveryStatusIAMRole"},
    }
    url = str(event.get("ResponseURL") or "")
    if url.startswith("https://"):
        body = json.dumps(answer).encode()
        request = urllib.request.Request(  # noqa: S310 - CloudFormation's pre-signed https URL
            url, data=body, method="PUT", headers={"Content-Type": ""}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
    return answer
