"""Campaigns table: one item per school year, read through a short per-container cache."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.clock import now
from chalicelib.core.models import CampaignModel
from chalicelib.core.store import bound
from chalicelib.registration.campaigns.rules import Campaign


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
    forget_campaigns()  # this container sees its own change at once


def get_campaign(school_year: str) -> Campaign | None:
    try:
        return to_domain(bound(CampaignModel).get(school_year))
    except DoesNotExist:
        return None


# Every submission and every page load reads the open campaign: one item, so one partition
# (3,000 read units a second at most) for the whole country at the campaign's opening. A
# container keeps what it read this long; an operator's change reaches the others after it.
CACHE_SECONDS = 30.0
_cache: dict[tuple[str, ...], tuple[float, list[Campaign]]] = {}


def _cache_key(school_years: Iterable[str]) -> tuple[str, ...]:
    return (bound(CampaignModel).Meta.table_name, *school_years)


def cached_campaigns(school_years: Iterable[str]) -> list[Campaign] | None:
    """The campaigns of these years if this container read them less than 30 s ago."""
    found = _cache.get(_cache_key(school_years))
    if found is None or time.monotonic() - found[0] > CACHE_SECONDS:
        return None
    return list(found[1])


def remember_campaigns(school_years: Iterable[str], campaigns: list[Campaign]) -> None:
    _cache[_cache_key(school_years)] = (time.monotonic(), list(campaigns))


def forget_campaigns() -> None:
    _cache.clear()


def get_campaigns(school_years: Iterable[str]) -> list[Campaign]:
    years = list(school_years)
    cached = cached_campaigns(years)
    if cached is not None:
        return cached
    found = [to_domain(item) for item in bound(CampaignModel).batch_get(years)]
    remember_campaigns(years, found)
    return found
