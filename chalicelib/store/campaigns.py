"""Campaigns table: one item per school year."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.campaigns import Campaign
from chalicelib.store.base import bound
from chalicelib.store.clock import now
from chalicelib.store.models import CampaignModel


def to_domain(item: CampaignModel) -> Campaign:
    return Campaign(
        school_year=item.school_year,
        opens_on=date.fromisoformat(item.opens_on),
        closes_on=date.fromisoformat(item.closes_on),
        birth_date_from=date.fromisoformat(item.birth_date_from),
        birth_date_to=date.fromisoformat(item.birth_date_to),
        note=item.note,
    )


def key(school_year: str) -> CampaignModel:
    return bound(CampaignModel)(school_year)


def put_campaign(campaign: Campaign, actor: str) -> None:
    """Create or replace (PUT is idempotent by nature)."""
    bound(CampaignModel)(
        campaign.school_year,
        opens_on=campaign.opens_on.isoformat(),
        closes_on=campaign.closes_on.isoformat(),
        birth_date_from=campaign.birth_date_from.isoformat(),
        birth_date_to=campaign.birth_date_to.isoformat(),
        note=campaign.note,
        updated_by=actor,
        updated_at=now(),
    ).save()


def get_campaign(school_year: str) -> Campaign | None:
    try:
        return to_domain(bound(CampaignModel).get(school_year))
    except DoesNotExist:
        return None


def get_campaigns(school_years: Iterable[str]) -> list[Campaign]:
    return [to_domain(item) for item in bound(CampaignModel).batch_get(list(school_years))]
