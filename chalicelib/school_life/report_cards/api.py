"""A semester's report card (PDF, Arabic and French) over HTTP, from the space."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.report_cards.schemas import ReportCardLink

report_cards_bp = Blueprint(__name__)


@route(
    report_cards_bp,
    "/v1/students/{massar}/report-cards/{school_year}/{semester}",
    "GET",
    summary="A semester's report card (PDF, Arabic and French) behind a short-lived link: "
    "the pupil, a linked parent, staff of the pupil's school",
    tag="space",
    returns="chalicelib.school_life.report_cards.schemas:ReportCardLink",
    signed_in=True,
    errors=(404, 422),
)
def report_card(call: Call) -> ReportCardLink:
    from chalicelib.school_life.report_cards import service
    from chalicelib.school_life.report_cards.schemas import ReportCardLink

    answer = service.report_card(
        call.require(), call.param("massar"), call.param("school_year"), call.param("semester")
    )
    return ReportCardLink.model_validate(answer)
