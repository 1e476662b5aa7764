"""The load-test script (bench/load/locustfile.py) imports without Locust, and what it
sends is what the API accepts: its applications pass the request schema and the
application's checks, with the consent notice's current version."""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "load" / "locustfile.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("massar_locustfile", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_applications_are_valid(script: ModuleType) -> None:
    from chalicelib.registration.campaigns.rules import Campaign
    from chalicelib.registration.rules import CONSENT_NOTICE_VERSION, application_problems
    from chalicelib.registration.schemas import RegistrationRequest

    assert script.CONSENT_NOTICE_VERSION == CONSENT_NOTICE_VERSION
    campaign = Campaign(
        school_year="2027-2028",
        opens_on=date(2027, 3, 1),
        closes_on=date(2027, 6, 30),
        birth_date_from=date(2021, 1, 1),
        birth_date_to=date(2021, 12, 31),
    )
    rng = random.Random(14)
    for _ in range(40):
        born = script.random_birth_date(rng, campaign.birth_date_from, campaign.birth_date_to)
        body = script.application_body(rng, "EP0001", "06.141.01.01", born)
        application = RegistrationRequest.model_validate(body)
        assert application_problems(application, date(2027, 3, 2), campaign) == {}
        assert application.father.phone is None  # a load test never texts anyone
        assert str(application.father.email).endswith("@simulator.amazonses.com")


def test_credentials_and_shapes(script: ModuleType, tmp_path: Path) -> None:
    sheet = tmp_path / "accounts.csv"
    sheet.write_text(
        "username,password,massar_code\nAB123456,secret-1,\nJ130012345,s2,J130012345\n"
    )
    rows = script.read_credentials(sheet)
    assert [r["username"] for r in rows] == ["AB123456", "J130012345"]
    assert rows[1]["massar_code"] == "J130012345"
    stages = script.shape_stages("opening", 600)
    assert [users for _, users, _ in stages] == [600, 600, 0]
    assert stages[1][0] - stages[0][0] == 300  # the opening's 5 minutes at the peak
    assert script.CampaignOpening.weight * 5 == script.ResultsDay.weight
