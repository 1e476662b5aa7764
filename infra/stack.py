"""The production stack, composed of the constructs of infra/components/ (see
infra/README.md for which file holds which resources):

- `Data`: the tables from the PynamoDB models, the media bucket, the secrets;
- `Queues`: notify and jobs queues with their dead-letter queues, the relay-failure queue;
- `ChaliceApp`: the Chalice app (functions, roles, log groups, event sources, layer, API);
- `Alarms`: the alarm topic and the alarms;
- `Notifications`: the events topic, SES/SNS delivery feedback, the SMS settings;
- `Web`: the web client's bucket and the CloudFront distribution in front of it and the API.

The constructs are `Group`s: their ids are left out of logical ids (`FlatStack`), so the
template is the one the stack had before it was split (tests/data/stack_template.json).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from infra.components.alarms import Alarms
from infra.components.chalice_app import ChaliceApp
from infra.components.config import (
    API_FUNCTION,
    COUNTS_FUNCTION,
    DEFAULT_NOTIFY_CONCURRENCY,
    DELIVER_FUNCTION,
    JOBS_FUNCTION,
    RELAY_FUNCTION,
    api_stage,
    load_chalice_config,
)
from infra.components.data import Data
from infra.components.naming import FlatStack
from infra.components.notifications import DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD, Notifications
from infra.components.permissions import function_permissions
from infra.components.queues import Queues
from infra.components.web import Web
from infra.components.web_headers import load_security_headers, strict_transport_security

__all__ = [
    "DEFAULT_NOTIFY_CONCURRENCY",
    "MassarStack",
    "load_security_headers",
    "strict_transport_security",
]

# Each class hashes ~80 codes (argon2id, ~50 ms each): a few runners at once are plenty.
JOBS_MAX_CONCURRENCY = 5


class MassarStack(FlatStack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        notify_concurrency: int = DEFAULT_NOTIFY_CONCURRENCY,
        sms_monthly_spend_limit_usd: int = DEFAULT_SMS_MONTHLY_SPEND_LIMIT_USD,
        alarm_email: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.stage = stage
        config = load_chalice_config()
        cdk.Tags.of(self).add("project", "massar")
        cdk.Tags.of(self).add("stage", stage)

        data = Data(self, "Data", stage=stage)
        queues = Queues(self, "Queues", stage=stage, config=config)
        app = ChaliceApp(
            self,
            "App",
            stage=stage,
            table_names=data.table_names,
            environment={
                "NOTIFY_QUEUE_URL": queues.notify.queue_url,
                "JOBS_QUEUE_URL": queues.jobs.queue_url,
                "MEDIA_BUCKET": data.media_bucket.bucket_name,
                "JWT_SECRET_ARN": data.jwt_secret.secret_arn,
                "SECRET_HASH_KEY_ARN": data.secret_hash_key.secret_arn,
            },
            permissions=function_permissions(
                self, stage=stage, config=config, data=data, queues=queues
            ),
        )
        # Only the API function reads CloudFront's headers.
        app.add_environment("EDGE_SECRET_ARN", data.edge_secret.secret_arn, API_FUNCTION)
        # Outbox → notify queue (the relay); registrations → the dashboard's counts.
        app.stream_events(RELAY_FUNCTION, data.stream_arn("outbox"), queues.relay_failures)
        app.stream_events(COUNTS_FUNCTION, data.stream_arn("registrations"), queues.relay_failures)
        # Notify queue → SES/SNS: at most this many concurrent deliver invocations (10
        # messages each), which is how sending stays under the SES/SNS rate quotas.
        app.queue_events(DELIVER_FUNCTION, queues.notify, max_concurrency=notify_concurrency)
        app.queue_events(JOBS_FUNCTION, queues.jobs, max_concurrency=JOBS_MAX_CONCURRENCY)

        alarms = Alarms(self, "Alarms", stage=stage, alarm_email=alarm_email)
        alarms.watch_queues(queues)
        alarms.watch_functions(app.function_names)
        alarms.watch_api(api_stage(config))
        alarms.watch_tables(data)
        Notifications(
            self,
            "Notifications",
            stage=stage,
            app=app,
            alarms=alarms,
            notify_concurrency=notify_concurrency,
            sms_spend_limit_usd=sms_monthly_spend_limit_usd,
        )
        Web(
            self,
            "Web",
            stage=stage,
            api_stage=api_stage(config),
            rest_api=app.rest_api,
            edge_secret=data.edge_secret,
        )
        self.data, self.queues, self.app, self.alarms = data, queues, app, alarms
        # infra/app.py removes chalice's working copy after the synthesis.
        self.chalice = app.chalice
