"""Registration campaigns: operators set them per school year; anyone sees the open one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import is_national_operator
from chalicelib.core.config import settings
from chalicelib.core.errors import InvalidFields, NoOpenCampaign, NotAllowed, NotFound
from chalicelib.registration.campaigns import store
from chalicelib.registration.campaigns.rules import (
    Campaign,
    campaign_problems,
    candidate_school_years,
    open_campaign,
)

# Morocco is UTC+1 outside Ramadan; used only if the system has no time-zone database.
_FALLBACK = timezone(timedelta(hours=1))


@lru_cache(maxsize=4)
def _zone(name: str) -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ImportError, KeyError, ValueError, OSError):
        return _FALLBACK


def today() -> date:
    """The date in Morocco: campaigns open and close on local days."""
    return datetime.now(UTC).astimezone(_zone(settings().campaign_timezone)).date()


def put_campaign(actor: Principal, campaign: Campaign) -> Campaign:
    if not is_national_operator(actor):
        raise NotAllowed("national operators only")
    problems = campaign_problems(campaign)
    if problems:
        raise InvalidFields("campaign", problems)
    store.put_campaign(campaign, actor.username)
    return campaign


def current_campaign(on: date | None = None) -> Campaign:
    moment = on or today()
    found = open_campaign(store.get_campaigns(candidate_school_years(moment)), moment)
    if found is None:
        raise NoOpenCampaign()
    return found


def get_campaign(school_year: str) -> Campaign:
    found = store.get_campaign(school_year)
    if found is None:
        raise NotFound("campaign")
    return found
