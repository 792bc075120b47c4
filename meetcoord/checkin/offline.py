"""Scans a desk made while offline, uploaded when its connection came back.

The desk verified each credential itself and queued it with the time of the scan. The
server answers every queued scan as if it had been sent live (same nonce rules), with one
difference: the earliest scan of a person wins, even across sites, and the other is kept
as a conflict for the secretariat to review (``admission.admit_earliest``, which the desk's
own path reaches for an offline scan).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from meetcoord.access.actors import Actor
from meetcoord.checkin.admission import CheckinResult
from meetcoord.checkin.desk import redeem_credential
from meetcoord.core.errors import ValidationError
from meetcoord.meetings.models import MeetingSite


def upload_offline(
    desk: Actor, site: MeetingSite, scans: list[Mapping[str, Any]]
) -> list[CheckinResult]:
    """A desk back online sends what it queued; each scan is answered as if sent live."""
    results = []
    for scan in scans:
        at = scan.get("scanned_at")
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at)
            except ValueError:
                at = None
        if not isinstance(at, datetime) or at.tzinfo is None:
            raise ValidationError(
                _("Waktu pindai tidak valid."),
                errors={"scanned_at": [_("Harus waktu lengkap dengan zona.")]},
            )
        results.append(
            redeem_credential(
                desk,
                site,
                str(scan.get("credential") or ""),
                str(scan.get("nonce") or ""),
                scanned_at=at,
                offline=True,
            )
        )
    return results


def offline_answers(
    scans: list[Mapping[str, Any]], results: list[CheckinResult]
) -> dict[str, list[dict[str, Any]]]:
    """The upload's answer: each result carries its scan's nonce so a desk drops it.

    One body for the API and the desk's page, built here so the two cannot drift.
    """
    return {
        "results": [
            {**result.as_dict(), "nonce": str(scan.get("nonce") or "")}
            for scan, result in zip(scans, results, strict=True)
        ]
    }
