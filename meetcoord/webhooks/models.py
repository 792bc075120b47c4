"""Webhook endpoints an institution registers, and the deliveries waiting for them.

A delivery row is the webhook's outbox: it is written in the same transaction as the
change it reports (``webhooks.emit``), so nothing is announced before the commit and
nothing is lost after it; the worker (``webhooks.delivery``) posts it and retries.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetcoord.core.db import TimestampMixin, str_enum, utcnow
from meetcoord.extensions import db

# The events an endpoint may subscribe to; ``ping`` is only ever sent by "test".
EVENTS = (
    "meeting.scheduled",
    "meeting.changed",
    "meeting.cancelled",
    "invitation.rsvp",
    "attendance.checked_in",
    "decision.recorded",
    "document.signed",
    "action.status_changed",
)
PING = "ping"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENT = "sent"  # the receiver answered 2xx
    FAILED = "failed"  # gave up after the allowed attempts; a person can retry it


class WebhookEndpoint(TimestampMixin, db.Model):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str | None] = mapped_column(String(300))
    events: Mapped[list[str]] = mapped_column(JSON)
    # The signing secret is derived from the server key and this salt (core.tokens,
    # ``derived_token``): a copied database cannot sign, a new salt rotates the secret.
    secret_salt: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint", cascade="all, delete-orphan", passive_deletes=True
    )

    def subscribes(self, event_type: str) -> bool:
        return event_type in (self.events or [])


class WebhookDelivery(db.Model):
    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    event_type: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(36), index=True)  # a UUID, one per change
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, 10), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")

    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)
