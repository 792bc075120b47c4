"""The institution's webhooks page: endpoints and their recent deliveries, read only.

Managing endpoints is the API's (``webhooks.api``): they are set up by whoever builds the
integration. This page lets the secretariat's admin see, from a phone too, whether the
other system is being told, and why not when it is not.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.forms import current_actor
from meetcoord.core.validation import parse_int
from meetcoord.webhooks import services
from meetcoord.webhooks.models import DeliveryStatus

bp = Blueprint("webhook_pages", __name__, url_prefix="/settings/webhooks")

RECENT = 10
STATUS_LABELS = {
    DeliveryStatus.PENDING: _l("menunggu"),
    DeliveryStatus.SENT: _l("terkirim"),
    DeliveryStatus.FAILED: _l("gagal"),
}


@bp.get("")
@requires(Permission.WEBHOOKS_MANAGE)
def index() -> Any:
    page_number = parse_int(request.args.get("page"), minimum=1) or 1
    page = services.list_endpoints(current_actor(), page_number, current_app.config["PAGE_SIZE"])
    recent = services.recent_deliveries(page.items, RECENT)
    # In the installation's zone, with its label (WIB/WITA/WIT): the page sits below the
    # directory, which knows an institution's own region.
    zone = str(current_app.config["HOME_TIMEZONE"])
    return render_template(
        "webhooks/index.html", page=page, recent=recent, labels=STATUS_LABELS, args={}, zone=zone
    )
