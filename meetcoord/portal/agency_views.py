"""The agency's actions page: from a personal link (``/i/<token>/actions``) or a standing
agency link (``/a/<agency_token>``), the same list and the same update form, and the
agency's own evidence files to download (served as the staff tracker serves them).

The token in the URL is the credential, as on every portal page (``portal.links``: one
rate limit, private headers). The actor is resolved by ``access.resolve`` — the person's
agency, or the standing link's — and every read and write goes through
``actions.agency``, which refuses another agency's action as not found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from meetcoord.access import resolve
from meetcoord.access.actors import Actor
from meetcoord.actions import agency, labels, services, workflow
from meetcoord.actions.views import file_response, upload_limit
from meetcoord.core.errors import Conflict, ValidationError
from meetcoord.core.timezones import zone_label
from meetcoord.core.uploads import body_limit
from meetcoord.directory.models import Organization
from meetcoord.extensions import db


@dataclass(frozen=True)
class Door:
    """The addresses of one way in (a personal link or a standing link): where an
    action's form posts, where its evidence downloads, the page itself, and back."""

    post: Callable[[int], str]
    file: Callable[[int, int], str]
    page: str
    back: str | None = None


def _render(
    actor: Actor,
    door: Door,
    *,
    failed: int | None = None,
    message: Any = None,
    errors: Any = None,
    status: int = 200,
) -> tuple[str, int]:
    zone = agency.reader_zone(actor)
    today = agency.today_in(zone)
    return render_template(
        "portal/agency_actions.html",
        organization=db.session.get(Organization, actor.agency_id),
        actions=agency.actions_of(actor),
        statuses=labels.STATUS_LABELS,
        steps=workflow.AGENCY_ORDER,
        can_step=workflow.agency_allowed,
        today=today,
        zone=zone_label(zone),
        post_url=door.post,
        file_url=door.file,
        back_url=door.back,
        failed=failed,
        message=message,
        errors=errors or {},
        form=request.form if failed is not None else {},
        max_mb=round(current_app.config["EVIDENCE_MAX_BYTES"] / (1024 * 1024), 1),
    ), status


def _update(actor: Actor, action_id: int, door: Door) -> Any:
    """One update from the form; a refusal shows the page again with the message at that
    action, nothing changed."""
    action = agency.action_of(actor, action_id)
    uploads = [
        services.read_upload(f.stream, f.filename)
        for f in request.files.getlist("evidence")
        if f.filename
    ]
    try:
        agency.update(actor, action, request.form.to_dict(), uploads)
    except (ValidationError, Conflict) as exc:
        db.session.rollback()
        return _render(
            actor,
            door,
            failed=action.id,
            message=exc.message,
            errors=exc.errors,
            status=exc.status,
        )
    flash(_("Pembaruan tersimpan."), "success")
    return redirect(door.page + f"#action-{action.id}")


def _file(actor: Actor, action_id: int, evidence_id: int) -> Response:
    """An evidence file of the agency's own action, served as the tracker serves it."""
    return file_response(agency.evidence_of(actor, action_id, evidence_id))


# --- from a personal link ------------------------------------------------------------------


def _personal(token: str) -> Door:
    return Door(
        post=lambda action_id: url_for("portal.personal_update", token=token, action_id=action_id),
        file=lambda action_id, evidence_id: url_for(
            "portal.personal_evidence", token=token, action_id=action_id, evidence_id=evidence_id
        ),
        page=url_for("portal.personal_actions", token=token),
        back=url_for("portal.invitation_page", token=token),
    )


def personal_actions(token: str) -> Any:
    return _render(resolve.agency_view(token), _personal(token))


@body_limit(upload_limit)
def personal_update(token: str, action_id: int) -> Any:
    return _update(resolve.agency_view(token), action_id, _personal(token))


def personal_evidence(token: str, action_id: int, evidence_id: int) -> Response:
    return _file(resolve.agency_view(token), action_id, evidence_id)


# --- from a standing agency link ---------------------------------------------------------


def _standing(agency_token: str) -> Door:
    return Door(
        post=lambda action_id: url_for(
            "portal.agency_update", agency_token=agency_token, action_id=action_id
        ),
        file=lambda action_id, evidence_id: url_for(
            "portal.agency_evidence",
            agency_token=agency_token,
            action_id=action_id,
            evidence_id=evidence_id,
        ),
        page=url_for("portal.agency_page", agency_token=agency_token),
    )


def agency_page(agency_token: str) -> Any:
    return _render(resolve.agency_link(agency_token), _standing(agency_token))


@body_limit(upload_limit)
def agency_update(agency_token: str, action_id: int) -> Any:
    return _update(resolve.agency_link(agency_token), action_id, _standing(agency_token))


def agency_evidence(agency_token: str, action_id: int, evidence_id: int) -> Response:
    return _file(resolve.agency_link(agency_token), action_id, evidence_id)
