"""Managing an institution's webhook endpoints and their deliveries.

Each service takes the acting account, checks it through the permission table
(``webhooks.manage``: the institution's working staff) and then that it is an admin of
the endpoint's institution (or of the installation): an endpoint sends the institution's
data to another system, a decision for whoever answers for the institution. Another
institution's endpoint is not found, exactly like a missing id.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select

from meetcoord.access import permissions, scope
from meetcoord.access.institutions import acting_institution
from meetcoord.access.models import MemberRole, Membership
from meetcoord.access.permissions import Permission
from meetcoord.core import audit
from meetcoord.core.db import utcnow
from meetcoord.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from meetcoord.core.pagination import Page, paginate
from meetcoord.extensions import db
from meetcoord.webhooks.delivery import Refused, check_url, endpoint_secret
from meetcoord.webhooks.models import (
    EVENTS,
    PING,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)

# A staff account (``accounts.models.User``), read by attribute: the accounts feature sits
# above this package, which features import to emit their events.
User = Any

NOT_FOUND = _l("Webhook tidak ditemukan.")
ADMINS_ONLY = _l("Hanya admin lembaga yang dapat mengatur webhook.")
URL_MAX = 2000
DESCRIPTION_MAX = 300


def _is_institution_admin(actor: User, institution_id: int) -> bool:
    if actor.is_admin():
        return True
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Membership.user_id == actor.id,
                    Membership.institution_id == institution_id,
                    Membership.role == MemberRole.ADMIN,
                )
            )
        )
    )


def require_manager(actor: User | None, endpoint: WebhookEndpoint) -> None:
    """``actor`` manages the webhooks of ``endpoint``'s institution."""
    if actor is None:
        raise PermissionDenied(ADMINS_ONLY)
    permissions.require(actor, Permission.WEBHOOKS_MANAGE, endpoint)
    if not _is_institution_admin(actor, endpoint.institution_id):
        raise PermissionDenied(ADMINS_ONLY)


def _managed(actor: User | None, model: Any) -> Any:
    """A WHERE clause keeping the rows of institutions ``actor`` administers; None: all."""
    if actor is None:
        return None
    reach = scope.reach_of(actor)
    if reach.everything:
        return None
    admin_of = select(Membership.institution_id).where(
        Membership.user_id == actor.id, Membership.role == MemberRole.ADMIN
    )
    return model.institution_id.in_(admin_of)


# --- endpoints ---------------------------------------------------------------------------


def list_endpoints(
    actor: User | None, page: int, per_page: int, institution_id: int | None = None
) -> Page[WebhookEndpoint]:
    query: Select[Any] = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
    clause = _managed(actor, WebhookEndpoint)
    if clause is not None:
        query = query.where(clause)
    if institution_id is not None:
        query = query.where(WebhookEndpoint.institution_id == institution_id)
    return paginate(query, page, per_page)


def get_endpoint(actor: User | None, endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(NOT_FOUND)
    try:
        require_manager(actor, endpoint)
    except PermissionDenied:
        if actor is None or not scope.may_see(actor, endpoint):
            raise NotFound(NOT_FOUND) from None
        raise
    return endpoint


def clean(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Checked values, or one ValidationError naming every wrong field."""
    errors: dict[str, list[Any]] = {}
    values: dict[str, Any] = {}
    if "url" in data or not partial:
        url = str(data.get("url") or "").strip()
        if not url:
            errors["url"] = [_l("Wajib diisi.")]
        elif len(url) > URL_MAX:
            errors["url"] = [_l("Paling banyak %(n)s karakter.", n=URL_MAX)]
        else:
            try:
                check_url(url, bool(current_app.config["WEBHOOKS_ALLOW_LOOPBACK"]))
            except Refused:
                errors["url"] = [
                    _l("Gunakan alamat https publik; alamat privat atau lokal ditolak.")
                ]
            values["url"] = url
    if "description" in data:
        text = str(data.get("description") or "").strip()
        if len(text) > DESCRIPTION_MAX:
            errors["description"] = [_l("Paling banyak %(n)s karakter.", n=DESCRIPTION_MAX)]
        values["description"] = text or None
    if "events" in data or not partial:
        events = data.get("events")
        if not isinstance(events, list | tuple) or not events:
            errors["events"] = [_l("Pilih paling sedikit satu peristiwa.")]
        elif any(event not in EVENTS for event in events):
            errors["events"] = [_l("Peristiwa tidak dikenal.")]
        else:
            values["events"] = sorted(set(events))
    if "active" in data:
        if not isinstance(data["active"], bool):
            errors["active"] = [_l("Harus true atau false.")]
        values["active"] = data["active"]
    if errors:
        raise ValidationError(_l("Periksa kembali isian webhook."), errors=errors)
    return values


def create_endpoint(actor: User | None, data: Mapping[str, Any]) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret, which is shown this once."""
    institution = acting_institution(actor, data.get("institution_id"))
    values = clean(data)
    endpoint = WebhookEndpoint(
        institution_id=institution.id, secret_salt=secrets.token_hex(16), **values
    )
    require_manager(actor, endpoint)
    db.session.add(endpoint)
    db.session.flush()
    audit.record(actor, "create", endpoint, f"webhook: {endpoint.url}"[:300])
    secret = endpoint_secret(endpoint)
    db.session.commit()
    return endpoint, secret


def update_endpoint(
    actor: User | None, endpoint: WebhookEndpoint, data: Mapping[str, Any]
) -> WebhookEndpoint:
    require_manager(actor, endpoint)
    values = clean(data, partial=True)
    changed = {k: v for k, v in values.items() if getattr(endpoint, k) != v}
    for key, value in changed.items():
        setattr(endpoint, key, value)
    if changed:
        audit.record(actor, "update", endpoint, f"webhook: {endpoint.url}"[:300], changed)
    db.session.commit()
    return endpoint


def delete_endpoint(actor: User | None, endpoint: WebhookEndpoint) -> None:
    require_manager(actor, endpoint)
    audit.record(actor, "delete", endpoint, f"webhook: {endpoint.url}"[:300])
    db.session.delete(endpoint)
    db.session.commit()


def rotate_secret(actor: User | None, endpoint: WebhookEndpoint) -> str:
    """A new secret; the old one stops signing at once."""
    require_manager(actor, endpoint)
    endpoint.secret_salt = secrets.token_hex(16)
    audit.record(actor, "rotate_secret", endpoint, f"webhook: {endpoint.url}"[:300])
    secret = endpoint_secret(endpoint)
    db.session.commit()
    return secret


def send_test(actor: User | None, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``ping`` delivery to this endpoint, due now (the worker posts it)."""
    require_manager(actor, endpoint)
    import uuid

    row = WebhookDelivery(
        endpoint_id=endpoint.id,
        event_type=PING,
        event_id=str(uuid.uuid4()),
        payload={"institution_id": endpoint.institution_id, "endpoint_id": endpoint.id},
    )
    db.session.add(row)
    db.session.commit()
    return row


# --- deliveries --------------------------------------------------------------------------


def list_deliveries(
    actor: User | None,
    endpoint: WebhookEndpoint,
    page: int,
    per_page: int,
    status: DeliveryStatus | None = None,
) -> Page[WebhookDelivery]:
    require_manager(actor, endpoint)
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    )
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    return paginate(query, page, per_page)


def recent_deliveries(
    endpoints: list[WebhookEndpoint], limit: int
) -> dict[int, list[WebhookDelivery]]:
    """The newest ``limit`` deliveries of each endpoint (already loaded through a check)."""
    return {
        endpoint.id: list(
            db.session.scalars(
                select(WebhookDelivery)
                .where(WebhookDelivery.endpoint_id == endpoint.id)
                .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
                .limit(limit)
            )
        )
        for endpoint in endpoints
    }


def get_delivery(actor: User | None, delivery_id: int) -> WebhookDelivery:
    row = db.session.get(WebhookDelivery, delivery_id)
    if row is None:
        raise NotFound(NOT_FOUND)
    get_endpoint(actor, row.endpoint_id)
    return row


def retry_delivery(actor: User | None, row: WebhookDelivery) -> WebhookDelivery:
    """A failed delivery back in the queue, due now, with a fresh allowance of attempts."""
    require_manager(actor, row.endpoint)
    if row.status is not DeliveryStatus.FAILED:
        raise Conflict(_l("Hanya pengiriman yang gagal yang dapat diulang."))
    before = row.attempts
    row.status = DeliveryStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = utcnow()
    audit.record(
        actor,
        "retry",
        row,
        f"webhook delivery #{row.id}",
        {"status": ["failed", "pending"], "attempts": [before, 0]},
    )
    db.session.commit()
    return row
