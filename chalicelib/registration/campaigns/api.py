"""Registration campaigns, one per school year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.error_mapping import worded
from chalicelib.core.http import ApiError, Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.registration.campaigns.rules import Campaign
    from chalicelib.registration.campaigns.schemas import CampaignAnswer, CampaignRequest

campaigns_bp = Blueprint(__name__)


def _answer(campaign: Campaign) -> CampaignAnswer:
    from chalicelib.registration.campaigns import service
    from chalicelib.registration.campaigns.schemas import CampaignAnswer

    return CampaignAnswer(
        school_year=campaign.school_year,
        opens_on=campaign.opens_on,
        closes_on=campaign.closes_on,
        birth_date_from=campaign.birth_date_from,
        birth_date_to=campaign.birth_date_to,
        note=campaign.note,
        is_open=campaign.is_open(service.today()),
    )


def _school_year(call: Call) -> str:
    from chalicelib.registration.campaigns.rules import school_year_problem

    school_year = call.params["school_year"]
    problem = school_year_problem(school_year)
    if problem:
        raise ApiError(422, "validation_failed", worded({"school_year": problem}, call.language))
    return school_year


@route(
    campaigns_bp,
    "/v1/campaigns/{school_year}",
    "PUT",
    summary="Set a school year's campaign: its dates and its legal-age birth-date window",
    tag="campaigns",
    body="chalicelib.registration.campaigns.schemas:CampaignRequest",
    returns="chalicelib.registration.campaigns.schemas:CampaignAnswer",
    signed_in=True,
    errors=(403,),
)
def put_campaign(call: Call) -> CampaignAnswer:
    from chalicelib.registration.campaigns import service
    from chalicelib.registration.campaigns.rules import Campaign

    actor = call.require(Role.OPS)
    body: CampaignRequest = call.body
    campaign = Campaign(
        school_year=_school_year(call),
        opens_on=body.opens_on,
        closes_on=body.closes_on,
        birth_date_from=body.birth_date_from,
        birth_date_to=body.birth_date_to,
        note=body.note,
    )
    service.put_campaign(actor, campaign)
    return _answer(campaign)


@route(
    campaigns_bp,
    "/v1/campaigns/current",
    "GET",
    summary="The campaign open today (404 no_open_campaign)",
    tag="campaigns",
    returns="chalicelib.registration.campaigns.schemas:CampaignAnswer",
    errors=(404,),
)
def current_campaign(call: Call) -> CampaignAnswer:
    from chalicelib.registration.campaigns import service

    return _answer(service.current_campaign())


@route(
    campaigns_bp,
    "/v1/campaigns/{school_year}",
    "GET",
    summary="A school year's campaign",
    tag="campaigns",
    returns="chalicelib.registration.campaigns.schemas:CampaignAnswer",
    errors=(404,),
)
def get_campaign(call: Call) -> CampaignAnswer:
    from chalicelib.registration.campaigns import service

    return _answer(service.get_campaign(_school_year(call)))
