"""The mistakes people make (issue 11, point 11): withdrawing and correcting the record.

A mistaken decision could not be withdrawn and went into the signed minutes. Now the chair
and the minute-taker withdraw a decision or an action (with a reason, in the event log) and
correct them, during the meeting and after the room closes until the minutes are final;
the minutes leave withdrawn items out of their decisions and actions and list them, with
the reason, among what was withdrawn; a draft that already exists takes each correction;
once the minutes are final every correction is refused and points to the addendum.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from meetcoord.access.actors import Actor
from meetcoord.actions.models import Action
from meetcoord.documents import agreements, rules, workflow
from meetcoord.documents.models import Document
from meetcoord.documents.pdf.compose import MinutesData, compose_minutes
from meetcoord.documents.snapshot import from_json
from meetcoord.extensions import db
from meetcoord.live.models import Decision, MeetingEvent
from tests import factories
from tests.helpers import count
from tests.live_support import (
    LiveRakor,
    assert_unchanged,
    command,
    connect,
    events,
    fingerprint,
)


class Scene:
    """Rakor Pangan, open, with two decisions (the first a vote with an action) and a
    third with an action of its own; the chair's console and a phone connected."""

    def __init__(self, app: Any) -> None:
        self.rakor = rakor = LiveRakor()
        self.items = [i.id for i in rakor.add_items("Pembukaan", "Ketahanan pangan")]
        self.chair = connect(app, rakor.chair)
        self.minute_taker = connect(app, rakor.minute_taker)
        self.phone = connect(app, rakor.participant, last_seq=0)
        assert command(self.chair, "open")["ok"]
        assert command(self.chair, "item.activate", item_id=self.items[1])["ok"]
        self.agency = factories.organization(name="Dinas Pangan (uji koreksi)")
        self.other_agency = factories.organization(name="Dinas Sosial (uji koreksi)")
        self.mistake = self.decide(
            "Beras cadangan dibagikan ke semua desa",
            kind="vote",
            tallies=[{"site_id": rakor.site.id, "for": 9, "against": 2}],
        )
        self.mistake_action = self.act(self.mistake, "Bagikan beras ke 173 desa")
        self.kept = self.decide("Data penerima dipadankan per desa")
        self.kept_action = self.act(self.kept, "Padankan data penerima", locus="Desa Kalena")
        events(self.phone)

    def decide(self, text: str, **data: Any) -> int:
        ack = command(self.chair, "decision.record", text=text, **data)
        assert ack["ok"], ack
        return ack["id"]

    def act(self, decision_id: int, title: str, **data: Any) -> int:
        ack = command(
            self.chair,
            "action.create",
            decision_id=decision_id,
            title=title,
            organization_id=self.agency.id,
            **data,
        )
        assert ack["ok"], ack
        return ack["id"]

    @property
    def meeting_id(self) -> int:
        return self.rakor.meeting.id


@pytest.fixture
def scene(app: Any) -> Scene:
    return Scene(app)


def refused(ack: dict[str, Any], code: str, fragment: str = "") -> dict[str, Any]:
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == code, ack
    assert fragment in ack["error"]["message"], ack
    return ack["error"]


def snapshot_of(scene: Scene) -> dict[str, Any]:
    return fingerprint(scene.meeting_id)["snapshot"]


# --- during the meeting -------------------------------------------------------------------


def test_a_decision_is_withdrawn_with_its_reason_and_its_actions_go_with_it(scene: Scene):
    before = fingerprint(scene.meeting_id)
    error = refused(
        command(scene.minute_taker, "decision.withdraw", decision_id=scene.mistake, reason=" "),
        "validation_error",
    )
    assert "Alasan pencabutan wajib diisi" in error["fields"]["reason"][0]
    assert_unchanged(scene.meeting_id, before)

    reason = "Salah catat: yang disepakati hanya desa rawan pangan"
    ack = command(scene.minute_taker, "decision.withdraw", decision_id=scene.mistake, reason=reason)
    assert ack["ok"], ack
    got = events(scene.phone)
    assert [e["type"] for e in got] == ["decision.withdrawn", "action.withdrawn"]
    assert ack["seq"] == got[-1]["seq"]  # one command, its events in one commit
    withdrawn = got[0]["data"]["decision"]["withdrawn"]
    assert (withdrawn["by"], withdrawn["reason"]) == ("Maria Kaka", reason)
    assert withdrawn["at"].endswith("Z")
    assert got[1]["data"]["action"]["id"] == scene.mistake_action
    assert got[1]["data"]["action"]["withdrawn"]["reason"] == reason

    # Kept, struck through: the snapshot a late phone gets says the same.
    snap = snapshot_of(scene)
    decisions = {d["id"]: d for d in snap["decisions"]}
    assert decisions[scene.mistake]["withdrawn"]["reason"] == reason
    assert decisions[scene.mistake]["text"] == "Beras cadangan dibagikan ke semua desa"
    assert decisions[scene.kept]["withdrawn"] is None
    actions = {a["id"]: a for a in snap["actions"]}
    assert actions[scene.mistake_action]["withdrawn"]["reason"] == reason
    assert actions[scene.kept_action]["withdrawn"] is None
    assert db.session.get(Decision, scene.mistake).withdrawn_by == "Maria Kaka"

    # A withdrawn decision takes nothing more; the others go on.
    before = fingerprint(scene.meeting_id)
    for name, data in [
        ("decision.withdraw", {"decision_id": scene.mistake, "reason": "Lagi"}),
        ("decision.amend", {"decision_id": scene.mistake, "text": "x", "base_version": 1}),
        ("decision.tally", {"decision_id": scene.mistake, "site_id": scene.rakor.site.id}),
        ("action.create", {"decision_id": scene.mistake, "title": "x", "organization_id": 1}),
        ("action.withdraw", {"action_id": scene.mistake_action, "reason": "Lagi"}),
        ("action.update", {"action_id": scene.mistake_action, "base_version": 1, "title": "x"}),
    ]:
        refused(command(scene.chair, name, **data), "conflict", "dicabut")
    assert_unchanged(scene.meeting_id, before)
    assert command(
        scene.chair,
        "action.create",
        decision_id=scene.kept,
        title="Lanjut",
        organization_id=scene.agency.id,
    )["ok"]


def test_an_action_is_corrected_field_by_field_and_a_stale_edit_is_refused(scene: Scene):
    person = factories.person(
        name="Kepala Bidang Distribusi", organization_id=scene.other_agency.id
    )
    ack = command(
        scene.minute_taker,
        "action.update",
        action_id=scene.kept_action,
        base_version=1,
        organization_id=str(scene.other_agency.id),  # as the console's select sends it
        person_id=person.id,
        due_on="2026-12-31",
    )
    assert ack["ok"], ack
    [updated] = [e["data"]["action"] for e in events(scene.phone) if e["type"] == "action.updated"]
    assert updated["version"] == 2
    assert updated["organization"] == "Dinas Sosial (uji koreksi)"
    assert updated["person"] == person.name
    assert (updated["locus"], updated["due_on"]) == ("Desa Kalena", "2026-12-31")  # kept
    assert updated["title"] == "Padankan data penerima"
    # The tracker's history shows the correction, field by field.
    [row] = db.session.get(Action, scene.kept_action).updates
    assert row.kind.value == "fields"
    assert set(row.changes) == {"organization_id", "person_id", "due_on"}
    assert row.changes["organization_id"][1] == scene.other_agency.id
    assert row.changes["due_on"][1] == "2026-12-31"

    # A console still holding version 1 cannot overwrite version 2.
    before = fingerprint(scene.meeting_id)
    refused(
        command(
            scene.chair, "action.update", action_id=scene.kept_action, base_version=1, title="Timpa"
        ),
        "conflict",
        "versi 2",
    )
    assert_unchanged(scene.meeting_id, before)
    # An empty value clears an optional field; nothing sent changes nothing and is refused.
    ack = command(
        scene.chair,
        "action.update",
        action_id=scene.kept_action,
        base_version=2,
        person_id="",
        locus="",
    )
    assert ack["ok"], ack
    action = db.session.get(Action, scene.kept_action)
    db.session.refresh(action)
    assert (action.person_id, action.locus, action.due_on) == (None, None, date(2026, 12, 31))
    refused(
        command(scene.chair, "action.update", action_id=scene.kept_action, base_version=3),
        "validation_error",
        "Tidak ada yang diubah",
    )

    ack = command(scene.chair, "action.withdraw", action_id=scene.kept_action, reason="Ganda")
    assert ack["ok"], ack
    assert db.session.get(Action, scene.kept_action).withdrawn_reason == "Ganda"
    assert db.session.get(Decision, scene.kept).withdrawn_at is None  # the decision stands


# --- after the room closes, until the minutes are final -----------------------------------


def test_corrections_after_close_reach_the_minutes_until_they_are_final(app, scene: Scene):
    assert command(scene.chair, "close")["ok"]
    staff = Actor(user=scene.rakor.staff)

    # Amending after close was refused ("Rapat sudah ditutup."); now it is a correction.
    ack = command(
        scene.minute_taker,
        "decision.amend",
        decision_id=scene.kept,
        text="Data penerima dipadankan per desa sebelum Juni",
        base_version=1,
    )
    assert ack["ok"], ack
    assert command(
        scene.chair,
        "decision.tally",
        decision_id=scene.mistake,
        site_id=scene.rakor.site.id,
        **{"for": 10, "against": 1},
    )["ok"]
    # Recording goes on being refused, and a site coordinator's tally ends with the meeting.
    refused(command(scene.chair, "decision.record", text="Baru"), "conflict")
    coordinator = connect(app, scene.rakor.coordinator)
    refused(
        command(
            coordinator,
            "decision.tally",
            decision_id=scene.mistake,
            site_id=scene.rakor.other_site.id,
        ),
        "forbidden",
    )

    reason = "Keputusan ini tidak pernah disepakati"
    assert command(scene.chair, "decision.withdraw", decision_id=scene.mistake, reason=reason)["ok"]

    # The draft is composed without the withdrawn decision and its action, and lists them.
    draft = workflow.start_minutes(staff, scene.rakor.meeting)
    content = draft.content
    assert [d["text"] for d in content["decisions"]] == [
        "Data penerima dipadankan per desa sebelum Juni"
    ]
    assert [a["title"] for a in content["actions"]] == ["Padankan data penerima"]
    assert [(w["kind"], w["number"], w["reason"]) for w in content["withdrawn"]] == [
        ("decision", 1, reason),
        ("action", None, reason),
    ]
    document = compose_minutes(from_json(MinutesData, content))
    assert [d.number for d in document.decisions] == [2]
    heading = document.withdrawn[0].heading
    assert heading.startswith("Kesepakatan 1 dicabut oleh Ir. Yohanes Bili, M.Si., ")
    assert heading.endswith("WITA")  # the host site's zone, labelled
    assert agreements.default_points(scene.rakor.meeting) == [
        "Data penerima dipadankan per desa sebelum Juni"
    ]

    # With the draft there, and the minute-taker's notes in it, a correction reaches it.
    workflow.edit_minutes(staff, draft, {"notes": {"2": "Stok aman 3 bulan."}, "version": 1})
    version = draft.version
    ack = command(
        scene.minute_taker,
        "action.withdraw",
        action_id=scene.kept_action,
        reason="Sudah dikerjakan Dinas Sosial",
    )
    assert ack["ok"], ack
    db.session.refresh(draft)
    assert draft.content["actions"] == []
    assert draft.content["withdrawn"][-1]["text"] == "Padankan data penerima"
    assert draft.content["agenda"][1]["notes"] == "Stok aman 3 bulan."  # the draft's own
    assert draft.version == version + 1  # an editor on the old version is told to reload
    assert draft.steps[-1].step == "room_corrected"
    assert draft.steps[-1].detail == {
        "action": scene.kept_action,
        "withdrawn": "Sudah dikerjakan Dinas Sosial",
    }

    # Final: every correction is refused and the addendum is named; nothing changes.
    rules.freeze(draft, [], staff)
    db.session.commit()
    before = fingerprint(scene.meeting_id)
    for name, data in [
        ("decision.withdraw", {"decision_id": scene.kept, "reason": "Terlambat"}),
        ("decision.amend", {"decision_id": scene.kept, "text": "x", "base_version": 2}),
        ("decision.tally", {"decision_id": scene.kept, "site_id": scene.rakor.site.id}),
    ]:
        refused(command(scene.chair, name, **data), "conflict", "adendum")
    assert_unchanged(scene.meeting_id, before)
    db.session.refresh(draft)
    assert draft.version == version + 1


def test_corrections_are_in_the_hash_chained_log(scene: Scene, runner: Any) -> None:
    command(scene.chair, "decision.withdraw", decision_id=scene.mistake, reason="Salah catat")
    command(scene.chair, "close")
    command(scene.chair, "decision.amend", decision_id=scene.kept, text="Diubah", base_version=1)
    types = [
        e.type
        for e in db.session.query(MeetingEvent)
        .filter_by(meeting_id=scene.meeting_id)
        .order_by(MeetingEvent.seq)
    ]
    assert types[-4:] == [
        "decision.withdrawn",
        "action.withdrawn",
        "meeting.closed",
        "decision.amended",
    ]
    result = runner.invoke(args=["audit", "verify", str(scene.meeting_id)])
    assert result.exit_code == 0
    assert "chain intact" in result.output
    assert count(Document, Document.meeting_id == scene.meeting_id) == 0
