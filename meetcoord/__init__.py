"""meetcoord: coordination meetings across linked venues.

``create_app`` is a short list of single-purpose setup steps; each fails fast with a clear
message when its configuration is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetcoord.config import PROJECT_ROOT, load_config

if TYPE_CHECKING:
    # Not imported at run time: `python -m meetcoord.server` imports this package before it
    # monkey-patches for eventlet/gevent, and Flask must not be loaded before the patching.
    from flask import Flask

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides settings from the environment (tests)."""
    from flask import Flask

    overrides = dict(config or {})
    # MEETCOORD_INSTANCE_PATH: where the database, secret key and signing CA live.
    default_instance = os.environ.get("MEETCOORD_INSTANCE_PATH") or PROJECT_ROOT / "instance"
    instance_path = Path(overrides.pop("INSTANCE_PATH", default_instance)).resolve()
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_config(overrides=overrides, instance_path=instance_path))
    _run_startup_checks(app)
    from meetcoord.core.validation import BoundedIntConverter

    # Before any route exists: every <int:...> then stops at what an INTEGER column holds.
    app.url_map.converters["int"] = BoundedIntConverter
    _init_extensions(app)
    _register_blueprints(app)
    _register_worker_jobs(app)
    _register_cli(app)
    return app


def _run_startup_checks(app: Flask) -> None:
    """Settings only a feature can judge, checked before anything is bound (fail fast)."""
    from meetcoord.documents.pdf.letter import check_pattern_setting
    from meetcoord.documents.signing.ca import check_ca_passphrase

    check_pattern_setting(app.config)
    # A signing CA that exists must open now, not when a chair signs after a long meeting.
    check_ca_passphrase(app.instance_path, app.config["CA_PASSPHRASE"] or None)


def _init_extensions(app: Flask) -> None:
    from meetcoord import models  # noqa: F401  (registers every table before Alembic looks)
    from meetcoord.accounts.loaders import init_login
    from meetcoord.core import security
    from meetcoord.core.i18n import init_i18n
    from meetcoord.extensions import csrf, db, limiter, login_manager, migrate, socketio

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    from meetcoord.core.uploads import init_uploads

    init_uploads(app)  # per-view body limits, applied before the CSRF check parses forms
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    init_i18n(app)
    init_login(login_manager)  # session and bearer-token sign-ins (accounts)
    security.init_security(app)
    from meetcoord.core.compression import init_compression
    from meetcoord.core.static_files import init_static_files

    init_static_files(app)  # hashed, minified, pre-compressed static files (issue 16)
    init_compression(app)  # gzip/brotli for pages and JSON
    _init_access(app)
    from meetcoord.checkin import events as checkin_events
    from meetcoord.core.sockets import MAX_MESSAGE_BYTES, origin_policy
    from meetcoord.live import events as live_events

    checkin_events.register()  # the /checkin namespace, once per process, before init_app
    live_events.register()  # the /live namespace (DESIGN §5)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"] or None,
        # Per deployment: on the default channel, installations sharing a Redis would
        # deliver each other's "meeting:<id>" broadcasts.
        channel=f"meetcoord-{app.config['DEPLOYMENT_ID']}",
        # Browsers connect only from our own pages (``[]`` would switch the check off).
        cors_allowed_origins=origin_policy(app.config["BASE_URL"], app.config["PROXY_COUNT"]),
        max_http_buffer_size=MAX_MESSAGE_BYTES,
    )


def _init_access(app: Flask) -> None:
    """How the access layer looks up each credential (it imports no feature itself)."""
    from meetcoord.access.declare import init_gate
    from meetcoord.access.resolve import Loaders, configure
    from meetcoord.accounts.services import token_id_for, user_for_token
    from meetcoord.actions.agency import link_by_token
    from meetcoord.checkin.link_cookie import invitation_for
    from meetcoord.meetings.invitations import invitation_by_token

    init_gate(app)  # the first check of every request: the route's declared permission
    configure(
        app,
        Loaders(
            link=invitation_by_token,
            bearer=user_for_token,
            bearer_id=token_id_for,
            cookie=invitation_for,
            agency=link_by_token,
        ),
    )


def _register_blueprints(app: Flask) -> None:
    from meetcoord.access.views import bp as institutions_bp
    from meetcoord.accounts.views import bp as accounts_bp
    from meetcoord.accounts.views_admin import bp as admin_bp
    from meetcoord.actions.views import bp as actions_bp
    from meetcoord.channels.views import bp as channels_bp
    from meetcoord.checkin.desk_views import bp as desk_bp
    from meetcoord.checkin.export_views import bp as attendance_exports_bp
    from meetcoord.checkin.kiosk_views import bp as kiosk_bp
    from meetcoord.checkin.platform_views import bp as platform_import_bp
    from meetcoord.checkin.selfcheckin_views import bp as selfcheckin_bp
    from meetcoord.checkin.staff_views import bp as attendance_bp
    from meetcoord.core.views import bp as core_bp
    from meetcoord.directory.views import bp as directory_bp
    from meetcoord.documents.verify.views import bp as verify_bp
    from meetcoord.documents.views import bp as documents_bp
    from meetcoord.eventreports.views import bp as eventreports_bp
    from meetcoord.home.views import bp as home_bp
    from meetcoord.live.views import bp as live_bp
    from meetcoord.materials.views import bp as materials_bp
    from meetcoord.meetings.views import bp as meetings_bp
    from meetcoord.offline.views import bp as offline_bp
    from meetcoord.outbox.views import bp as outbox_bp
    from meetcoord.planning.matrix_views import bp as matrix_bp
    from meetcoord.planning.outcome_views import bp as planning_outcome_bp
    from meetcoord.planning.tracking_views import bp as tracking_bp
    from meetcoord.planning.views import bp as planning_bp
    from meetcoord.planning.village_views import bp as villages_bp
    from meetcoord.portal.pages import bp as portal_bp
    from meetcoord.public.views import bp as public_bp
    from meetcoord.questions.views import bp as questions_bp
    from meetcoord.registration.staff_views import bp as registration_bp
    from meetcoord.registration.views import bp as registration_public_bp
    from meetcoord.reminders.settings_views import bp as reminder_settings_bp
    from meetcoord.reminders.views import bp as reminders_bp
    from meetcoord.reports.views import bp as reports_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(institutions_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(outbox_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(attendance_bp)
    app.register_blueprint(attendance_exports_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(selfcheckin_bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(live_bp)
    app.register_blueprint(matrix_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(reminder_settings_bp)
    app.register_blueprint(public_bp)  # /p/<slug> and the staff's switch
    app.register_blueprint(tracking_bp)  # /t/<slug> and the staff's switch
    app.register_blueprint(reports_bp)
    app.register_blueprint(villages_bp)
    app.register_blueprint(planning_outcome_bp)
    app.register_blueprint(planning_bp)
    app.register_blueprint(portal_bp)  # above the features: every /i/<token> page
    # Issue 15: the webinar's pieces.
    app.register_blueprint(channels_bp)  # a meeting's online channels
    app.register_blueprint(platform_import_bp)  # video platform participant reports
    app.register_blueprint(registration_bp)  # a meeting's registration settings, registrants
    app.register_blueprint(registration_public_bp)  # /r/<slug>: public registration
    app.register_blueprint(questions_bp)  # moderated questions (staff page)
    app.register_blueprint(materials_bp)  # agenda items' materials, speakers' links
    app.register_blueprint(eventreports_bp)  # the event report (laporan kegiatan)
    # Issue 16: offline-first pages.
    app.register_blueprint(offline_bp)  # /sw.js (root scope) and the web app manifest
    # Issue 17: the API for integrators.
    from meetcoord.webhooks.views import bp as webhooks_bp

    app.register_blueprint(webhooks_bp)  # an institution's webhooks and their deliveries
    _register_api(app)


def _register_api(app: Flask) -> None:
    """The JSON API: authenticated blueprints, then those whose credential is in the URL."""
    from meetcoord.api import init_api, register_api_blueprint, register_public_api_blueprint

    init_api(app)
    with app.app_context():
        from meetcoord.access.api import blueprints as access_blueprints
        from meetcoord.accounts.api import blueprints as account_blueprints
        from meetcoord.actions.api import blueprints as action_blueprints
        from meetcoord.channels.api import blueprints as channel_blueprints
        from meetcoord.checkin.api import blueprints as checkin_blueprints
        from meetcoord.checkin.platform_api import blueprints as platform_import_blueprints
        from meetcoord.directory.api import blueprints as directory_blueprints
        from meetcoord.documents.api import blueprints as document_blueprints
        from meetcoord.documents.verify.api import verify_blp
        from meetcoord.eventreports.api import blueprints as eventreport_blueprints
        from meetcoord.home.api import blueprints as home_blueprints
        from meetcoord.jobs.api import blueprints as job_blueprints
        from meetcoord.live.api import blueprints as live_blueprints
        from meetcoord.materials.api import blueprints as material_blueprints
        from meetcoord.meetings.api import blueprints as meeting_blueprints
        from meetcoord.outbox.api import blueprints as outbox_blueprints
        from meetcoord.planning.api import blueprints as planning_blueprints
        from meetcoord.planning.matrix_api import blueprints as matrix_blueprints
        from meetcoord.planning.outcome_api import blueprints as planning_outcome_blueprints
        from meetcoord.planning.tracking_views import blueprints as tracking_blueprints
        from meetcoord.planning.tracking_views import public_blueprints as tracking_public
        from meetcoord.planning.village_api import blueprints as village_blueprints
        from meetcoord.portal.agency_api import blp as portal_agency_blp
        from meetcoord.portal.api import blp as portal_blp
        from meetcoord.portal.questions import blp as portal_questions_blp
        from meetcoord.public.api import blueprints as public_blueprints
        from meetcoord.public.api import public_blueprints as public_page_blueprints
        from meetcoord.questions.api import blueprints as question_blueprints
        from meetcoord.registration.api import blueprints as registration_blueprints
        from meetcoord.registration.api import public_blueprints as registration_public
        from meetcoord.reminders.api import blueprints as reminder_blueprints
        from meetcoord.reports.api import blueprints as report_blueprints

        for blp in [
            *account_blueprints,
            *access_blueprints,
            *directory_blueprints,
            *meeting_blueprints,
            *matrix_blueprints,
            *action_blueprints,
            *checkin_blueprints,
            *document_blueprints,
            *reminder_blueprints,
            *public_blueprints,
            *tracking_blueprints,
            *report_blueprints,
            *home_blueprints,
            *village_blueprints,
            *planning_outcome_blueprints,
            *planning_blueprints,
            *platform_import_blueprints,
            *registration_blueprints,
            *question_blueprints,
            *material_blueprints,
            *channel_blueprints,
            *eventreport_blueprints,
            *job_blueprints,
            *outbox_blueprints,
            *live_blueprints,
        ]:
            register_api_blueprint(blp)
        public = [
            portal_blp,
            portal_agency_blp,
            portal_questions_blp,  # questions through a personal link
            verify_blp,
            *public_page_blueprints,
            *tracking_public,
            *registration_public,
        ]
        for blp in public:
            register_public_api_blueprint(blp)
        # Issue 17: the API for integrators.
        from meetcoord.webhooks.api import blueprints as webhook_blueprints

        for blp in webhook_blueprints:
            register_api_blueprint(blp)
        # A speaker's upload link (issue 17): the staff's links, then the speaker's door.
        from meetcoord.materials.links_api import blueprints as speaker_link_blueprints
        from meetcoord.portal.speaker_api import blueprints as portal_speaker_blueprints

        for blp in speaker_link_blueprints:
            register_api_blueprint(blp)
        for blp in portal_speaker_blueprints:
            register_public_api_blueprint(blp)


def _register_worker_jobs(app: Flask) -> None:
    """What the worker does after each mail pass (``core.worker`` knows no job by name)."""
    from meetcoord.actions import leftovers
    from meetcoord.core.worker import WorkerJob, register_job
    from meetcoord.documents.jobs import RENDER_BATCH, render_due
    from meetcoord.reminders.jobs import BATCH as REMINDER_BATCH
    from meetcoord.reminders.jobs import ReminderJob

    register_job(app, WorkerJob("documents", render_due, RENDER_BATCH))
    register_job(app, WorkerJob("reminders", ReminderJob(), REMINDER_BATCH))
    # Evidence files whose rows are deleted go after the commit; the sweep takes the rest.
    leftovers.install()
    register_job(app, WorkerJob("evidence-sweep", leftovers.SweepJob(), leftovers.SWEEP_BATCH))
    # Jobs a request started (``jobs``), each kind run by its feature.
    from meetcoord.jobs import runner as job_runner
    from meetcoord.meetings import sending

    job_runner.register_runner(app, sending.KIND, sending.run_batch)
    register_job(app, WorkerJob("jobs", job_runner.run_due, job_runner.BATCH))
    from meetcoord.webhooks import delivery as webhook_delivery

    register_job(app, WorkerJob("webhooks", webhook_delivery.deliver_due, webhook_delivery.BATCH))
    # Issue 17: Idempotency-Key answers are kept 24 hours, then forgotten.
    from meetcoord.api.idempotency import PURGE_BATCH, purge_expired

    register_job(app, WorkerJob("idempotency-purge", purge_expired, PURGE_BATCH))


def _register_cli(app: Flask) -> None:
    from meetcoord.commands import register_commands

    register_commands(app)
