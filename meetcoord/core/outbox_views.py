"""The secretariat's outbox page: what is waiting, what was sent, what failed and why.

Mail leaves in the background, so without this page a secretariat could not tell an
invitation that is on its way from one the SMTP server keeps refusing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from meetcoord.core import worker
from meetcoord.core.forms import current_actor
from meetcoord.core.outbox import OutboxStatus
from meetcoord.core.validation import parse_int

bp = Blueprint("outbox", __name__, url_prefix="/outbox")

STATUS_LABELS = {
    OutboxStatus.PENDING: _l("menunggu"),
    OutboxStatus.SENT: _l("terkirim"),
    OutboxStatus.FAILED: _l("gagal"),
}


@bp.before_request
@login_required
def _editors_only() -> None:
    actor = current_actor()
    if not actor.can_edit_directory():
        abort(403)


def _page_arg() -> int:
    return parse_int(request.args.get("page"), minimum=1) or 1


@bp.get("")
def messages() -> Any:
    raw_status = request.args.get("status", "")
    status = OutboxStatus(raw_status) if raw_status in set(OutboxStatus) else None
    actor = current_actor()
    page = worker.list_messages(actor, status, _page_arg(), current_app.config["PAGE_SIZE"])
    args = {"status": status.value} if status else {}
    counts = worker.count_by_status(actor)
    return render_template(
        "outbox/list.html",
        page=page,
        counts=counts,
        failed=counts[OutboxStatus.FAILED],
        status=status,
        labels=STATUS_LABELS,
        args=args,
        zone=current_app.config["HOME_TIMEZONE"],
    )


@bp.post("/<int:message_id>/retry")
def retry(message_id: int) -> Any:
    actor = current_actor()
    message = worker.get_message(actor, message_id)
    if message is None:
        abort(404)
    worker.retry(actor, message)
    flash(_("Surat ke %(recipient)s masuk antrean lagi.", recipient=message.recipient), "success")
    return redirect(url_for("outbox.messages", status=request.args.get("status") or None))
