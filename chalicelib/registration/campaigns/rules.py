"""Registration campaigns: one per school year, with its dates and its legal-age window.

The age rule has changed over the years (the 2003 decree: six years old between the
school entry and 31 March of the next year; recent campaigns: six years completed by
31 December), so it is data: a child is age-eligible when born between `birth_date_from`
and `birth_date_to`, both included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def school_year_problem(value: str) -> str | None:
    found = SCHOOL_YEAR.match(value)
    if not found or int(found.group(2)) != int(found.group(1)) + 1:
        return "invalid_school_year"
    if not 2000 <= int(found.group(1)) <= 2100:
        return "invalid_school_year"
    return None


def candidate_school_years(today: date) -> list[str]:
    """The school years whose campaign may be open on `today`, newest first: a campaign
    for the year starting in September runs in the months before (or just after) it."""
    return [f"{y}-{y + 1}" for y in (today.year + 1, today.year, today.year - 1)]


@dataclass(frozen=True)
class Campaign:
    school_year: str  # "2026-2027"
    opens_on: date  # applications are taken from this day to `closes_on`, both included
    closes_on: date
    birth_date_from: date  # the legal-age window (see above)
    birth_date_to: date
    note: str | None = None  # the rule, in words

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on

    def age_eligible(self, birth_date: date) -> bool:
        return self.birth_date_from <= birth_date <= self.birth_date_to

    def under_school_age(self, birth_date: date) -> bool:
        """Born after the window: not yet of school age in this campaign."""
        return birth_date > self.birth_date_to


def campaign_problems(campaign: Campaign) -> dict[str, str]:
    problems: dict[str, str] = {}
    year_problem = school_year_problem(campaign.school_year)
    if year_problem:
        problems["school_year"] = year_problem
    if campaign.closes_on < campaign.opens_on:
        problems["closes_on"] = "before_opening"
    if campaign.birth_date_to < campaign.birth_date_from:
        problems["birth_date_to"] = "before_start"
    if campaign.birth_date_to >= campaign.opens_on:
        problems["birth_date_to"] = "after_opening"
    return problems


def open_campaign(campaigns: list[Campaign], today: date) -> Campaign | None:
    """The campaign open on `today` (the latest school year if two overlap)."""
    open_ones = [c for c in campaigns if c.is_open(today)]
    return max(open_ones, key=lambda c: c.school_year) if open_ones else None
