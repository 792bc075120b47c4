"""The secretariat's outbox page: what is waiting, what was sent, what failed and why.

Mail leaves in the background, so without this page a secretariat could not tell an
invitation that is on its way from one the SMTP server keeps refusing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.forms import current_actor
from meetcoord.core.outbox import OutboxStatus
from meetcoord.core.validation import parse_int
from meetcoord.outbox import labels, services

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

STATUS_LABELS = labels.STATUS_LABELS


def _page_arg() -> int:
    return parse_int(request.args.get("page"), minimum=1) or 1


@bp.get("")
@requires(Permission.MEETING_ARRANGE)
def messages() -> Any:
    raw_status = request.args.get("status", "")
    status = OutboxStatus(raw_status) if raw_status in set(OutboxStatus) else None
    actor = current_actor()
    page = services.list_messages(actor, status, _page_arg(), current_app.config["PAGE_SIZE"])
    args = {"status": status.value} if status else {}
    counts = services.count_by_status(actor)
    reader = labels.institution_zone(labels.reader_institution(actor))
    return render_template(
        "outbox/list.html",
        page=page,
        counts=counts,
        failed=counts[OutboxStatus.FAILED],
        status=status,
        labels=STATUS_LABELS,
        args=args,
        zone=reader,
        zones=labels.message_zones(actor, page.items),
        kind_label=labels.kind_label,
    )


@bp.post("/<int:message_id>/retry")
@requires(Permission.MEETING_ARRANGE)
def retry(message_id: int) -> Any:
    actor = current_actor()
    message = services.get_message(actor, message_id)
    services.retry(actor, message)
    flash(_("Surat ke %(recipient)s masuk antrean lagi.", recipient=message.recipient), "success")
    return redirect(url_for("outbox.messages", status=request.args.get("status") or None))
