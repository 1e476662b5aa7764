"""Every feature the API serves, in one list, in the order a reader meets them in the README.

`app.py` registers these blueprints; the 405 fallbacks and the OpenAPI document are built
from the routes they declare (importing a feature's `api` module declares its routes), and
the tests walk the same list. A new feature is added here and nowhere else.
"""

from __future__ import annotations

from chalice import Blueprint

# The OpenAPI document lists operations in the order their modules are first imported: the
# `isort: split` blocks keep the order they had before the modules were cut (sign-in before
# the accounts, which imported it; the dashboard after the registrations and the timetable
# after the absences, whose modules held them).
from chalicelib.accounts.sign_in.api import auth_bp

# isort: split
from chalicelib.accounts.api import accounts_bp
from chalicelib.accounts.issuance.api import issuance_bp
from chalicelib.accounts.sign_in.authorizer import authorizer_bp
from chalicelib.accounts.staff.api import staff_bp
from chalicelib.core.health import health_bp
from chalicelib.exams.api import exams_bp
from chalicelib.notifications.api import notifications_bp
from chalicelib.notifications.events import events_bp
from chalicelib.notifications.preferences.api import preferences_bp
from chalicelib.pupils.api import enrolment_bp
from chalicelib.registration.api import registrations_bp
from chalicelib.registration.dashboard.api import dashboard_bp

# isort: split
from chalicelib.registration.campaigns.api import campaigns_bp
from chalicelib.school_life.absences.api import absences_bp
from chalicelib.school_life.absences.desk.api import absence_desk_bp
from chalicelib.school_life.timetable.api import timetable_bp

# isort: split
from chalicelib.school_life.appointments.api import appointments_bp
from chalicelib.school_life.audit.api import pupil_audit_bp
from chalicelib.school_life.behaviour.api import behaviour_bp
from chalicelib.school_life.guardians.api import guardians_bp
from chalicelib.school_life.homework.api import homework_bp
from chalicelib.school_life.marks.api import marks_bp
from chalicelib.school_life.marks.assessments.api import assessments_bp
from chalicelib.school_life.messages.api import messages_bp
from chalicelib.school_life.report_cards.api import report_cards_bp
from chalicelib.schools.api import schools_bp
from chalicelib.schools.classes.api import school_classes_bp
from chalicelib.schools.places.api import places_bp

FEATURES: tuple[Blueprint, ...] = (
    authorizer_bp,
    health_bp,
    auth_bp,
    accounts_bp,
    issuance_bp,
    staff_bp,
    places_bp,
    schools_bp,
    school_classes_bp,
    enrolment_bp,
    campaigns_bp,
    registrations_bp,
    dashboard_bp,
    notifications_bp,
    preferences_bp,
    guardians_bp,
    messages_bp,
    appointments_bp,
    marks_bp,
    report_cards_bp,
    assessments_bp,
    absences_bp,
    absence_desk_bp,
    pupil_audit_bp,
    behaviour_bp,
    timetable_bp,
    homework_bp,
    exams_bp,
    events_bp,
)
