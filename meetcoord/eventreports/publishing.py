"""The event report on a meeting's public page (``public.content``), field by field.

Only a final report, and only what may be public: the written sections, the organizers,
the date and the times in the three zones, the speakers named on the agenda, attendance
as aggregate figures, and the decisions. No attendee's name (a question's asker included),
no material file, nothing from a person's record.
"""

from __future__ import annotations

from typing import Any

from meetcoord.eventreports.content import HEADINGS, SECTION_HEADINGS
from meetcoord.eventreports.models import SECTIONS
from meetcoord.eventreports.services import final_report

FIGURES = ("by_mode", "by_province", "by_category", "by_gender")


def public_report(meeting_id: int) -> dict[str, Any] | None:
    """The public view of the meeting's final report, or None (none, or still a draft)."""
    report = final_report(meeting_id)
    if report is None:
        return None
    facts = report.facts or {}
    stored = report.sections or {}
    attendance = facts.get("attendance") or {}
    agenda = facts.get("agenda") or []
    sessions = stored.get("sessions") or {}
    return {
        "sections": [
            {"key": key, "heading": SECTION_HEADINGS[key], "text": stored.get(key) or ""}
            for key in SECTIONS
            if key != "sessions"
        ],
        "sessions": [
            {
                "position": item["position"],
                "title": item["title"],
                "presenter": item["presenter"],
                "text": sessions.get(str(item["id"]), ""),
            }
            for item in agenda
        ],
        "organizers": list(facts.get("organizers") or []),
        "date": facts.get("date", ""),
        "times": [t["time"] for t in facts.get("times") or []],
        "speakers": [
            {"title": s["title"], "presenter": s["presenter"]} for s in facts.get("speakers") or []
        ],
        "present": attendance.get("present", 0),
        "figures": [
            {
                "heading": HEADINGS[key],
                "rows": [
                    {"label": r["label"], "count": r["count"]} for r in attendance.get(key, [])
                ],
            }
            for key in FIGURES
        ],
        "decisions": [d["text"] for d in facts.get("decisions") or []],
    }
