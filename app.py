"""The Chalice app: registers blueprints and event handlers; nothing else."""

from chalice import Chalice

from chalicelib.handlers.absences import absences_bp
from chalicelib.handlers.accounts import accounts_bp
from chalicelib.handlers.appointments import appointments_bp
from chalicelib.handlers.auth import auth_bp
from chalicelib.handlers.authorizer import authorizer_bp
from chalicelib.handlers.campaigns import campaigns_bp
from chalicelib.handlers.enrolment import enrolment_bp
from chalicelib.handlers.events import events_bp
from chalicelib.handlers.fallbacks import fallbacks_bp
from chalicelib.handlers.guardians import guardians_bp
from chalicelib.handlers.health import health_bp
from chalicelib.handlers.http import request_id_middleware
from chalicelib.handlers.issuance import issuance_bp
from chalicelib.handlers.marks import marks_bp
from chalicelib.handlers.messages import messages_bp
from chalicelib.handlers.notifications import notifications_bp
from chalicelib.handlers.places import places_bp
from chalicelib.handlers.registrations import registrations_bp
from chalicelib.handlers.school_classes import school_classes_bp
from chalicelib.handlers.schools import schools_bp
from chalicelib.handlers.staff import staff_bp

app = Chalice(app_name="massar")
app.register_middleware(request_id_middleware, "http")
for blueprint in (
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
    notifications_bp,
    guardians_bp,
    messages_bp,
    appointments_bp,
    marks_bp,
    absences_bp,
    events_bp,
    fallbacks_bp,
):
    app.register_blueprint(blueprint)
