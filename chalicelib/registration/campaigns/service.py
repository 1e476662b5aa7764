"""Registration campaigns: operators set them per school year; anyone sees the open one."""

from __future__ import annotations

from datetime import date

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core import clock
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


def today() -> date:
    """The date in Morocco (core/clock, in the campaigns' zone): campaigns open and close on
    local days."""
    return clock.today(settings().campaign_timezone)


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
