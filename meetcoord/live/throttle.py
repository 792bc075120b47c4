"""How many live commands one person may send: a budget per actor, not per connection.

Without one, a single invitee stored 200 events in two seconds, each broadcast to every
phone in the meeting. The budget is keyed on who acts (the account or the invitation), so
reconnecting or opening more tabs buys nothing. The chair, the minute-taker and the
secretariat run the meeting and get ``MEETCOORD_LIVE_CHAIR_RATE_LIMIT``; participants,
speakers, observers and site coordinators ``MEETCOORD_LIVE_RATE_LIMIT`` (both in the
``"20 per 10 seconds;200 per hour"`` notation of the other limits).

The counters live where the HTTP rate limits do (``MEETCOORD_RATELIMIT_STORAGE_URL``):
with ``memory://`` each server process counts on its own, so an actor whose connections
land on several processes gets each one's budget; with ``redis://`` every process shares
one count. Every command costs one, valid or not, before anything else is looked at; a
refused one stores nothing and its retry (same nonce) is judged again. If the storage
cannot be reached the command goes ahead, logged: a Redis hiccup must not stop a meeting.
"""

from __future__ import annotations

from functools import cache

from flask import current_app
from limits import RateLimitItem, parse_many

from meetcoord.extensions import limiter

CHAIR_ROLES = frozenset({"staff", "chair", "minute_taker"})


@cache
def _limits(spec: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(spec))


def budget(role: str) -> tuple[RateLimitItem, ...]:
    """The limits that apply to a connection with ``role`` (``presence.Connection.role``)."""
    config = current_app.config
    key = "LIVE_CHAIR_RATE_LIMIT" if role in CHAIR_ROLES else "LIVE_RATE_LIMIT"
    return _limits(config[key])


def allow(user_id: int | None, invitation_id: int | None, role: str) -> bool:
    """Count one command of this actor; False when it is over its budget."""
    if not limiter.enabled:
        return True
    who = f"user-{user_id}" if user_id is not None else f"invitation-{invitation_id}"
    deployment = current_app.config["DEPLOYMENT_ID"]
    try:
        strategy = limiter.limiter
        return all(strategy.hit(item, "live", deployment, who) for item in budget(role))
    except Exception:  # the storage is away for a moment
        current_app.logger.warning("live: rate-limit storage unavailable", exc_info=True)
        return True
