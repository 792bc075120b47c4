"""A running rakor with an agenda item for the question tests."""

from __future__ import annotations

from typing import Any

from tests.live_support import LiveRakor, command, connect, events


def running(app: Any) -> tuple[LiveRakor, Any]:
    """The meeting opened by the chair, its first item under way; the chair's client."""
    rakor = LiveRakor()
    rakor.items = rakor.add_items("Paparan praktik baik", "Diskusi")
    chair = connect(app, rakor.chair)
    assert command(chair, "open")["ok"]
    assert command(chair, "item.activate", item_id=rakor.items[0].id)["ok"]
    events(chair)
    return rakor, chair


def question_events(client: Any) -> list[dict[str, Any]]:
    return [e for e in events(client) if e["type"].startswith("question.")]
