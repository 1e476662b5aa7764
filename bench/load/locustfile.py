"""Load test of a deployed stage before a national peak (Locust). Never run by `make test`
or `make bench`: a team runs it by hand against a stage it owns (see README.md here).

Two kinds of users, one per peak:

- `CampaignOpening`: a parent on the registration form: the open campaign, the région's
  provinces and a province's communes (cacheable), the primary schools serving the
  family's area, then the application (`POST /v1/registrations`, Idempotency-Key, law
  09-08 consent, a random but valid child), then following it with the tracking code.
  Receipts go to SES's mailbox simulator (no phone number: no SMS is ever sent).
- `ResultsDay`: a parent or pupil signing in with credentials from a CSV the team provides
  (`MASSAR_CREDENTIALS`, columns `username,password[,massar_code]`), then `GET /v1/me`, the
  semester's marks and the year's results of each child (or of the CSV's massar code).

`MASSAR_SHAPE=opening` or `results` runs the peak's shape (ramp up, hold, ramp down) to
`MASSAR_PEAK_USERS` users instead of the command line's --users/--spawn-rate/--run-time.

The module imports without Locust (the test suite checks its bodies against the API's
schema): Locust's classes are then stand-ins that only carry the attributes.
"""

from __future__ import annotations

import csv
import importlib
import itertools
import os
import random
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

# The notice version the form shows next to the consent box (chalicelib/registration/
# rules.py CONSENT_NOTICE_VERSION; tests/test_load_script.py keeps the two equal).
CONSENT_NOTICE_VERSION = "09-08/2026-12"
# Casablanca-Anfa's arrondissement (HCP code), used when MASSAR_AREAS is not set.
DEFAULT_AREAS = ("06.141.01.01",)
DEFAULT_REGION = "06"
DEFAULT_PROVINCE = "06.141"
FIRST_NAMES = [
    ("ياسين", "Yassine", "M"),
    ("آدم", "Adam", "M"),
    ("يوسف", "Youssef", "M"),
    ("إلياس", "Ilyas", "M"),
    ("مريم", "Meryem", "F"),
    ("سلمى", "Salma", "F"),
    ("آية", "Aya", "F"),
    ("هبة", "Hiba", "F"),
]
LAST_NAMES = [
    ("العلوي", "El Alaoui"),
    ("بناني", "Bennani"),
    ("التازي", "Tazi"),
    ("الإدريسي", "El Idrissi"),
    ("الفاسي", "El Fassi"),
    ("برادة", "Berrada"),
]
FATHERS = [("محمد", "Mohamed"), ("أحمد", "Ahmed"), ("رشيد", "Rachid"), ("كريم", "Karim")]
MOTHERS = [("فاطمة", "Fatima"), ("خديجة", "Khadija"), ("نادية", "Nadia"), ("سعاد", "Souad")]

F = TypeVar("F", bound=Callable[..., Any])


def _locust() -> Any:
    try:
        return importlib.import_module("locust")
    except ModuleNotFoundError:
        return None


LOCUST = _locust()


class _StandInUser:
    """What the suite needs of Locust's HttpUser when Locust is not installed."""

    host: str | None = None
    weight = 1
    client: Any = None
    environment: Any = None

    def __init__(self, environment: Any = None) -> None:
        self.environment = environment


class _StandInShape:
    def get_run_time(self) -> float:
        return 0.0


def _stand_in_task(weight: Any = 1) -> Any:
    """`@task` and `@task(3)`, as Locust's decorator takes both."""

    def mark(function: F, times: int = 1) -> F:
        function.locust_task_weight = times  # type: ignore[attr-defined]
        return function

    if callable(weight):
        return mark(weight)
    return lambda function: mark(function, weight)


def _stand_in_between(low: float, high: float) -> Callable[[Any], float]:
    return lambda _user: random.uniform(low, high)


if TYPE_CHECKING or LOCUST is None:
    HttpUser = _StandInUser
    LoadTestShape = _StandInShape
    task = _stand_in_task
    between = _stand_in_between
else:
    HttpUser = LOCUST.HttpUser
    LoadTestShape = LOCUST.LoadTestShape
    task = LOCUST.task
    between = LOCUST.between


# --- Bodies ----------------------------------------------------------------------------


def school_year_of(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def hijri_of(day: date) -> str:
    """The birth date in the Umm al-Qura calendar, as the form asks for it."""
    from hijridate import Gregorian

    converted = Gregorian(day.year, day.month, day.day).to_hijri()
    return f"{converted.year:04d}-{converted.month:02d}-{converted.day:02d}"


def random_birth_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def application_body(
    rng: random.Random,
    school_code: str,
    commune: str,
    born: date,
    consent_version: str = CONSENT_NOTICE_VERSION,
) -> dict[str, Any]:
    """A complete application for a random child of `born` (the shape of
    bench/registration.py's `application`), its receipt to SES's mailbox simulator."""
    first_ar, first_lat, gender = rng.choice(FIRST_NAMES)
    last_ar, last_lat = rng.choice(LAST_NAMES)
    father_ar, father_lat = rng.choice(FATHERS)
    mother_ar, mother_lat = rng.choice(MOTHERS)
    label = uuid.UUID(int=rng.getrandbits(128)).hex[:16]
    father = {
        "first_name_ar": father_ar,
        "last_name_ar": last_ar,
        "first_name_lat": father_lat,
        "last_name_lat": last_lat,
        "cin": f"{rng.choice('ABCDEFGHJKLMNPRSTUWXYZ')}{rng.choice('ABCDEJKLMT')}"
        f"{rng.randrange(10**5, 10**6)}",
        "phone": None,  # no SMS from a load test
        "email": f"success+{label}@simulator.amazonses.com",
    }
    mother = {
        "first_name_ar": mother_ar,
        "last_name_ar": rng.choice(LAST_NAMES)[0],
        "first_name_lat": mother_lat,
        "last_name_lat": rng.choice(LAST_NAMES)[1],
        "cin": None,
        "phone": None,
        "email": None,
    }
    return {
        "school_code": school_code,
        "child": {
            "first_name_ar": first_ar,
            "last_name_ar": last_ar,
            "first_name_lat": first_lat,
            "last_name_lat": last_lat,
            "gender": gender,
            "birth_date": born.isoformat(),
            "birth_date_hijri": hijri_of(born),
            "birth_place": "الدار البيضاء",
            "birth_certificate_number": f"{rng.randrange(1, 10**6)}/{born.year}",
            "birth_certificate_date": (born + timedelta(days=rng.randrange(1, 30))).isoformat(),
        },
        "father": father,
        "mother": mother,
        "guardian_role": "father",
        "residence": {"commune": commune, "address": f"{rng.randrange(1, 200)} زنقة الورد"},
        "consent": {"data_protection": True, "version": consent_version},
    }


def read_credentials(path: str | Path) -> list[dict[str, str]]:
    """`username,password[,massar_code]` rows of the team's CSV (a header line first)."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        rows = [
            {k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(handle)
        ]
    found = [row for row in rows if row.get("username") and row.get("password")]
    if not found:
        raise ValueError(f"{path}: no `username,password` rows")
    return found


def _areas() -> list[str]:
    raw = os.environ.get("MASSAR_AREAS", "")
    return [a.strip() for a in raw.split(",") if a.strip()] or list(DEFAULT_AREAS)


_CREDENTIALS: Iterator[dict[str, str]] | None = None


def next_credentials() -> dict[str, str]:
    """The CSV's rows in turn, shared by every user of this worker process."""
    global _CREDENTIALS
    if _CREDENTIALS is None:
        path = os.environ.get("MASSAR_CREDENTIALS")
        if not path:
            raise RuntimeError("set MASSAR_CREDENTIALS to the CSV of test accounts")
        _CREDENTIALS = itertools.cycle(read_credentials(path))
    return next(_CREDENTIALS)


# --- Users -----------------------------------------------------------------------------

JSON = {"Content-Type": "application/json", "Accept-Language": "fr"}


class CampaignOpening(HttpUser):  # type: ignore[misc, valid-type]
    """A parent applying at the campaign's opening (weight: the opening's traffic)."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.rng = random.Random()

    @task
    def apply(self) -> None:
        client = self.client
        with client.get(
            "/v1/campaigns/current", headers=JSON, name="campaign", catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"no open campaign: {answer.status_code}")
                return
            campaign = answer.json()
        client.get(f"/v1/places/regions/{DEFAULT_REGION}/provinces", name="provinces")
        client.get(f"/v1/places/provinces/{DEFAULT_PROVINCE}/communes", name="communes")
        area = self.rng.choice(_areas())
        schools = client.get(
            f"/v1/schools?commune={area}&cycle=primary", headers=JSON, name="schools"
        )
        items = schools.json().get("items", []) if schools.status_code == 200 else []
        if not items:
            return
        born = random_birth_date(
            self.rng,
            date.fromisoformat(campaign["birth_date_from"]),
            date.fromisoformat(campaign["birth_date_to"]),
        )
        body = application_body(self.rng, self.rng.choice(items)["code"], area, born)
        headers = {**JSON, "Idempotency-Key": str(uuid.uuid4())}
        made = client.post("/v1/registrations", json=body, headers=headers, name="submit")
        if made.status_code != 201:
            return
        client.post(
            "/v1/registrations/track",
            json={"tracking_code": made.json()["tracking_code"]},
            headers=JSON,
            name="track",
        )


class ResultsDay(HttpUser):  # type: ignore[misc, valid-type]
    """A parent or pupil reading marks and results on results day."""

    weight = 5
    wait_time = between(2, 6)

    @task
    def visit(self) -> None:
        client = self.client
        account = next_credentials()
        signed = client.post(
            "/v1/auth/login",
            json={"username": account["username"], "password": account["password"]},
            headers=JSON,
            name="login",
        )
        if signed.status_code != 200:
            return
        auth = {**JSON, "Authorization": f"Bearer {signed.json()['access_token']}"}
        me = client.get("/v1/me", headers=auth, name="me")
        children = [c["massar_code"] for c in me.json().get("children", [])] if me.ok else []
        today = datetime.now(UTC).date()
        year = os.environ.get("MASSAR_SCHOOL_YEAR") or school_year_of(today)
        semester = os.environ.get("MASSAR_SEMESTER", "1")
        for massar in [account.get("massar_code") or "", *children]:
            if not massar:
                continue
            client.get(
                f"/v1/students/{massar}/grades?school_year={year}&semester={semester}",
                headers=auth,
                name="grades",
            )
            client.get(
                f"/v1/students/{massar}/results?school_year={year}", headers=auth, name="results"
            )


# --- Peak shapes (MASSAR_SHAPE) ----------------------------------------------------------

# (ramp-up seconds, hold seconds, ramp-down seconds) of each peak: the opening's 5 minutes,
# the results day's 10.
SHAPES = {"opening": (60, 300, 30), "results": (60, 600, 30)}


def shape_stages(
    shape: str, users: int, spawn_rate: float | None = None
) -> list[tuple[float, int, float]]:
    """(until second, users, spawn rate) of a peak's shape."""
    up, hold, down = SHAPES[shape]
    rate = spawn_rate or max(1.0, users / up)
    return [(up, users, rate), (up + hold, users, rate), (up + hold + down, 0, rate)]


if os.environ.get("MASSAR_SHAPE") in SHAPES:

    class PeakShape(LoadTestShape):  # type: ignore[misc, valid-type]
        """Ramp up to MASSAR_PEAK_USERS, hold for the peak's length, ramp down, stop."""

        stages = shape_stages(
            os.environ["MASSAR_SHAPE"], int(os.environ.get("MASSAR_PEAK_USERS", "100"))
        )

        def tick(self) -> tuple[int, float] | None:
            elapsed = self.get_run_time()
            for until, users, rate in self.stages:
                if elapsed < until:
                    return users, rate
            return None
