"""JSON shapes of meetings: what the API reads and writes, and what the document shows.

As in the directory, schemas declare *types* (a wrong type is refused before any service
runs) and the services keep every rule (required values, known venues, end after start,
sites of this meeting). Instants are written as ISO 8601 text: with an offset they are
taken as they are, without one they are read in the host venue's zone — the service does
that, so the schema passes the text through. Instants are returned in UTC, plus the same
instant at each site as a labelled local time ("WIB", "WITA", "WIT"), because a reader in
Tambolaka must not have to do the arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.api.schemas import (
    ApiSchema,
    Bool,
    Int,
    QueryInt,
    Text,
    choice_of,
    domain_check,
    list_args_schema,
)
from meetcoord.core.timezones import get_zone, to_zone, zone_label
from meetcoord.meetings.cleaning import clean_meeting
from meetcoord.meetings.conflicts import find_conflicts
from meetcoord.meetings.invitations import site_counts
from meetcoord.meetings.mailing import WEST_TO_EAST
from meetcoord.meetings.models import (
    AGENDA_MINUTES_MAX,
    AgendaItem,
    AgendaKind,
    InviteeRole,
    Meeting,
    MeetingKind,
    MeetingSite,
    MeetingStatus,
    QuorumKind,
    Rsvp,
)
from meetcoord.meetings.services import zone_for
from meetcoord.meetings.zones import DEFAULT_ZONE


def enum_values(enum_cls: Any) -> list[str]:
    return [member.value for member in enum_cls]


def derived(func: Callable[[Any], Any], type_: str, *, nullable: bool = False) -> fields.Function:
    """A read-only value computed from the row (names of related rows, local times)."""
    metadata: dict[str, Any] = {"type": type_}
    if nullable:
        metadata["nullable"] = True
    return fields.Function(func, dump_only=True, metadata=metadata)


def _optional_text(**metadata: Any) -> Text:
    return Text(allow_none=True, metadata=metadata)


class QuorumFields(ApiSchema):
    """A quorum rule, sent together: ``quorum_kind`` null clears it (meetings.quorum)."""

    quorum_kind = choice_of(
        enum_values(QuorumKind),
        allow_none=True,
        metadata={
            "description": "people: paling sedikit N orang hadir; at_least: paling sedikit "
            "N% undangan; more_than: lebih dari N% undangan (50 = 50% + 1)."
        },
    )
    quorum_value = Int(allow_none=True, metadata={"minimum": 1, "description": "N."})


class Moment(Text):
    """An instant in, as text (the service reads it); out, as ISO 8601 in UTC."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        return super()._serialize(value, attr, obj, **kwargs)


def _moment(description: str, **kwargs: Any) -> Moment:
    metadata = {
        "format": "date-time",
        "description": description
        + " Dengan offset (2024-03-15T09:00+08:00) diambil apa adanya; tanpa offset "
        "(2024-03-15T09:00) dibaca di zona tempat tuan rumah.",
        "example": "2024-03-15T09:00:00+08:00",
    }
    return Moment(metadata=metadata, **kwargs)


# --- local times ------------------------------------------------------------------------


class LocalTimeSchema(ApiSchema):
    """One instant at one zone, labelled: what people at that site read on their clocks."""

    zone = fields.String(required=True, metadata={"example": "Asia/Jakarta"})
    label = fields.String(required=True, metadata={"example": "WIB"})
    local = fields.String(required=True, metadata={"example": "2024-03-15T09:00:00+07:00"})


def site_zones(meeting: Meeting) -> list[str]:
    """The zones of a meeting's sites (and host), west to east, each once."""
    zones = {site.venue.timezone for site in meeting.sites}
    if meeting.host_venue is not None:
        zones.add(meeting.host_venue.timezone)
    return sorted(zones, key=lambda zone: (WEST_TO_EAST.get(zone, 9), zone))


def local_times(moment: datetime, zones: list[str]) -> list[dict[str, str]]:
    return [
        {
            "zone": zone,
            "label": zone_label(zone, moment),
            "local": to_zone(moment, zone).isoformat(),
        }
        for zone in zones
    ]


class Computed(fields.List):
    """A read-only list computed from the row, documented as a list of ``inner``.

    ``fields.Function`` would hide the items' shape from the document; this keeps the
    nested schema (so it gets its own component) while the value comes from ``func``.
    """

    def __init__(self, func: Callable[[Any], Any], inner: fields.Field, **kwargs: Any):
        super().__init__(inner, dump_only=True, **kwargs)
        self.func = func

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return self.func(obj)


class ComputedOne(fields.Nested):
    """A read-only nested object computed from the row (see :class:`Computed`)."""

    def __init__(self, func: Callable[[Any], Any], nested: Any, **kwargs: Any):
        super().__init__(nested, dump_only=True, **kwargs)
        self.func = func

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return self.func(obj)


def _times(field: str) -> Computed:
    return Computed(
        lambda meeting: local_times(getattr(meeting, field), site_zones(meeting)),
        fields.Nested(LocalTimeSchema),
        metadata={"description": "Waktu yang sama di zona tiap lokasi, barat ke timur."},
    )


# --- sites ------------------------------------------------------------------------------


class SiteSchema(QuorumFields):
    id = fields.Integer(dump_only=True)
    venue_id = Int(required=True, metadata={"description": "Tempat; satu lokasi per tempat."})
    venue_name = derived(lambda site: site.venue.name, "string")
    timezone = derived(lambda site: site.venue.timezone, "string")
    zone_label = derived(lambda site: zone_label(site.venue.timezone), "string")
    coordinator_id = Int(allow_none=True, metadata={"description": "Koordinator lokasi."})
    coordinator_name = derived(
        lambda site: site.coordinator.name if site.coordinator else None, "string", nullable=True
    )
    capacity = Int(
        allow_none=True,
        metadata={"minimum": 1, "description": "Kursi untuk rapat ini; kosong: kapasitas tempat."},
    )
    seats = fields.Integer(dump_only=True, allow_none=True)
    local_start = derived(
        lambda site: to_zone(site.meeting.start_at, site.venue.timezone).isoformat(), "string"
    )
    is_host = derived(lambda site: site.venue_id == site.meeting.host_venue_id, "boolean")
    code = fields.String(
        dump_only=True,
        metadata={
            "description": "Kode lokasi untuk registrasi: meja /desk/{code}, kios "
            "/kiosk/{code}, API /checkin/sites/{code}/… (kode kios yang berganti: "
            "GET /checkin/sites/{code}/kiosk-code)."
        },
    )


class SitePatchSchema(SiteSchema):
    """Coordinator and seats; a site is its venue, so ``venue_id`` cannot change."""

    class Meta:
        exclude = ("venue_id",)


# --- agenda -----------------------------------------------------------------------------


def _slot_start(item: AgendaItem) -> datetime:
    """Planned start: the meeting's start plus every earlier item's minutes."""
    before = sum(
        other.planned_minutes for other in item.meeting.agenda if other.position < item.position
    )
    return item.meeting.start_at + timedelta(minutes=before)


class AgendaItemSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    position = fields.Integer(dump_only=True, metadata={"description": "Urutan, mulai 1."})
    title = Text(required=True, metadata={"example": "Paparan capaian RKPD 2024"})
    presenter = _optional_text(example="Kepala Bappeda")
    planned_minutes = Int(required=True, metadata={"minimum": 1, "maximum": AGENDA_MINUTES_MAX})
    kind = choice_of(enum_values(AgendaKind), required=True)
    planned_start = derived(lambda item: _slot_start(item).isoformat(), "string")
    planned_end = derived(
        lambda item: (_slot_start(item) + timedelta(minutes=item.planned_minutes)).isoformat(),
        "string",
    )
    planned_times = Computed(
        lambda item: local_times(_slot_start(item), site_zones(item.meeting)),
        fields.Nested(LocalTimeSchema),
        metadata={"description": "Mulai yang direncanakan, di zona tiap lokasi."},
    )


class AgendaItemPatchSchema(AgendaItemSchema):
    """Only the fields sent are changed."""


class AgendaOrderSchema(ApiSchema):
    ids = fields.List(
        Int(),
        required=True,
        metadata={"description": "Setiap id butir agenda tepat sekali, dalam urutan baru."},
    )


# --- invitations and counts -------------------------------------------------------------


def attendance_key(invitation: Any) -> str:
    return "online" if invitation.site_id is None else str(invitation.site_id)


class InvitationSchema(ApiSchema):
    """An invitation as the secretariat sees it; the personal token is never shown."""

    id = fields.Integer(dump_only=True)
    person_id = fields.Integer(dump_only=True)
    person_name = derived(lambda inv: inv.person.name, "string")
    position = derived(lambda inv: inv.person.position, "string", nullable=True)
    organization_name = derived(
        lambda inv: inv.person.organization.name if inv.person.organization else None,
        "string",
        nullable=True,
    )
    email = derived(lambda inv: inv.person.email, "string", nullable=True)
    role = choice_of(enum_values(InviteeRole))
    site_id = Int(allow_none=True, metadata={"description": "Lokasi; null: hadir daring."})
    site_name = derived(
        lambda inv: inv.site.venue.name if inv.site else None, "string", nullable=True
    )
    rsvp = fields.String(dump_only=True, metadata={"enum": enum_values(Rsvp)})
    rsvp_at = fields.DateTime(dump_only=True, allow_none=True)
    stand_in_name = fields.String(dump_only=True, allow_none=True)
    stand_in_position = fields.String(dump_only=True, allow_none=True)
    has_stand_in_letter = derived(lambda inv: bool(inv.stand_in_letter), "boolean")
    invited_at = fields.DateTime(dump_only=True)
    sent_at = fields.DateTime(
        dump_only=True, allow_none=True, metadata={"description": "Surel undangan dikirim."}
    )


class InvitationPatchSchema(InvitationSchema):
    """Role and site; a site change sends an update to that person only."""


# The most people one request names: a national webinar's whole list, and a bound on what a
# body makes the server load and check before anything is written.
ROWS_MAX = 5000


def _at_most_rows() -> validate.Length:
    return validate.Length(
        min=1, max=ROWS_MAX, error=_l("Antara {min} dan {max} baris per permintaan.")
    )


class InviteRowSchema(ApiSchema):
    """One person with their own role and site."""

    person_id = Int(required=True)
    role = choice_of(enum_values(InviteeRole), metadata={"description": "Bawaan: participant."})
    site_id = Int(allow_none=True, metadata={"description": "Lokasi; null atau kosong: daring."})


class InviteSchema(ApiSchema):
    """Whom to invite: ``rows`` (each with its role and site), or one of ``person_ids``,
    ``organization_id`` or ``forum_id`` (all with the same role and site)."""

    rows = fields.List(
        fields.Nested(InviteRowSchema),
        validate=_at_most_rows(),
        metadata={"description": "Orang satu per satu, masing-masing dengan peran dan lokasi."},
    )

    person_ids = fields.List(
        Int(), validate=_at_most_rows(), metadata={"description": "Orang satu per satu."}
    )
    organization_id = Int(metadata={"description": "Semua orang di organisasi ini."})
    forum_id = Int(metadata={"description": "Semua anggota forum ini."})
    role = choice_of(enum_values(InviteeRole), metadata={"description": "Bawaan: participant."})
    site_id = Int(allow_none=True, metadata={"description": "Lokasi; null atau kosong: daring."})


class InviteRowResultSchema(ApiSchema):
    person_id = fields.Integer(required=True)
    id = fields.Integer(required=True, metadata={"description": "Id undangan."})
    status = fields.String(required=True, metadata={"enum": ["created", "already_invited"]})


class InviteResultSchema(ApiSchema):
    created = fields.Integer(required=True, metadata={"description": "Undangan baru."})
    rows = fields.List(
        fields.Nested(InviteRowResultSchema),
        required=True,
        metadata={"description": "Per orang, urut seperti dikirim: id undangan dan hasilnya."},
    )
    ids = fields.List(fields.Integer(), required=True)
    already_invited = fields.Integer(required=True, metadata={"description": "Sudah diundang."})


class SiteCountSchema(ApiSchema):
    site_id = fields.Integer(allow_none=True, metadata={"description": "null: daring."})
    venue_name = fields.String(allow_none=True)
    invited = fields.Integer(required=True)
    accepted = fields.Integer(required=True)
    declined = fields.Integer(required=True)
    seats = fields.Integer(allow_none=True)
    over_capacity = fields.Boolean(required=True)


def counts_of(meeting: Meeting) -> list[dict[str, Any]]:
    out = []
    for count in site_counts(meeting):
        site: MeetingSite | None = count.site
        out.append(
            {
                "site_id": site.id if site else None,
                "venue_name": site.venue.name if site else None,
                "invited": count.invited,
                "accepted": count.accepted,
                "declined": count.declined,
                "seats": count.seats,
                "over_capacity": count.over_capacity,
            }
        )
    return out


class ConflictSchema(ApiSchema):
    """A double booking: a warning, never a refusal."""

    kind = fields.String(required=True, metadata={"enum": ["venue", "chair", "invitee"]})
    subject = fields.String(required=True, metadata={"description": "Nama tempat atau orang."})
    other_id = fields.Integer(required=True)
    other_title = fields.String(required=True)
    other_start_at = fields.DateTime(required=True)


# --- meetings ---------------------------------------------------------------------------


class MeetingSchema(QuorumFields):
    id = fields.Integer(dump_only=True)
    uid = fields.String(dump_only=True, metadata={"description": "UID iCalendar."})
    title = Text(required=True, metadata={"example": "Rapat Koordinasi Evaluasi RKPD"})
    purpose = _optional_text(description="Maksud dan tujuan.")
    kind = choice_of(enum_values(MeetingKind), required=True)
    status = fields.String(dump_only=True, metadata={"enum": enum_values(MeetingStatus)})
    start_at = _moment("Mulai.", required=True)
    end_at = _moment("Selesai; harus setelah mulai.", required=True)
    host_venue_id = Int(required=True, metadata={"description": "Tempat tuan rumah."})
    host_venue_name = derived(
        lambda m: m.host_venue.name if m.host_venue else None, "string", nullable=True
    )
    online_url = _optional_text(format="uri", example="https://zoom.us/j/123")
    forum_id = Int(allow_none=True, metadata={"description": "Forum penyelenggara."})
    institution_id = Int(
        metadata={
            "description": "Lembaga penyelenggara. Bawaan: lembaga Anda; wajib bila Anda "
            "sekretariat lebih dari satu lembaga."
        }
    )
    cohost_institution_id = Int(
        allow_none=True, metadata={"description": "Penyelenggara bersama (lembaga lain)."}
    )
    series_id = fields.Integer(dump_only=True, allow_none=True)
    is_series_exception = fields.Boolean(dump_only=True)
    sequence = fields.Integer(dump_only=True, metadata={"description": "SEQUENCE iCalendar."})
    times = _times("start_at")
    end_times = _times("end_at")
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class MeetingPatchSchema(MeetingSchema):
    """Only the fields sent are changed; a new time or place updates everyone invited."""


class MeetingDetailSchema(MeetingSchema):
    """One meeting with what a secretariat checks before sending: sites, agenda, counts."""

    sites = fields.List(fields.Nested(SiteSchema), dump_only=True)
    agenda = fields.List(fields.Nested(AgendaItemSchema), dump_only=True)
    counts = Computed(counts_of, fields.Nested(SiteCountSchema))
    conflicts = Computed(
        find_conflicts,
        fields.Nested(ConflictSchema),
        metadata={"description": "Peringatan bentrok jadwal (tidak menolak)."},
    )


class CloneSchema(ApiSchema):
    start_at = _moment("Mulai salinan.", required=True)


class SeriesCreateSchema(ApiSchema):
    rrule = Text(
        required=True,
        metadata={
            "description": "Aturan RFC 5545 dengan COUNT atau UNTIL, dibaca di zona tuan rumah.",
            "example": "FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU;COUNT=4",
        },
    )


class SeriesSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    rrule = fields.String(dump_only=True)
    timezone = fields.String(dump_only=True)
    forum_id = fields.Integer(dump_only=True, allow_none=True)
    institution_id = fields.Integer(dump_only=True)
    meeting_ids = fields.List(
        fields.Integer(), dump_only=True, metadata={"description": "Kejadian, urut waktu."}
    )
    updated_ids = fields.List(
        fields.Integer(),
        dump_only=True,
        metadata={"description": "Hanya pada PATCH: rapat yang ikut diubah."},
    )


class SeriesPatchSchema(MeetingSchema):
    """Applied to every later occurrence not edited on its own; a new start shifts them."""


# --- list arguments ---------------------------------------------------------------------


class QueryInstant(Text):
    """``starts_after``/``starts_before``: a date (that day from 00:00 WIB, Asia/Jakarta) or
    an ISO 8601 date-time (with an offset as it is; without one, read in WIB)."""

    default_error_messages = {
        **Text.default_error_messages,
        "instant": _l("Gunakan tanggal TTTT-BB-HH atau waktu ISO 8601."),
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        text = str(super()._deserialize(value, attr, data, **kwargs)).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise self.make_error("instant") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=get_zone(DEFAULT_ZONE))
        return moment.astimezone(UTC)


def _many(values: list[str], description: str) -> fields.List:
    """One value or several (``?status=draft&status=scheduled``)."""
    return fields.List(
        Text(validate=validate.OneOf(values, error=_l("Pilih salah satu: {choices}."))),
        metadata={"description": description, "items": {"enum": values}},
    )


def _sort(sorts: list[str], default: str) -> Text:
    return Text(
        load_default=default,
        validate=validate.OneOf(sorts, error=_l("Kolom pengurutan tidak dikenal.")),
        metadata={"enum": sorts},
    )


MEETING_SORTS = ["start_at", "end_at", "title", "status", "kind", "created_at"]
MeetingListArgs = list_args_schema(
    "Meeting",
    MEETING_SORTS,
    {
        "sort": _sort(MEETING_SORTS, "start_at"),
        "status": _many(enum_values(MeetingStatus), "Satu status atau lebih (diulang)."),
        "kind": _many(enum_values(MeetingKind), "Satu jenis atau lebih (diulang)."),
        "forum_id": QueryInt(),
        "institution_id": QueryInt(
            metadata={"description": "Lembaga penyelenggara atau penyelenggara bersama."}
        ),
        "starts_after": QueryInstant(
            metadata={
                "description": "Mulai pada atau setelah ini. Tanggal (2024-03-15: pukul 00.00 "
                "WIB) atau waktu ISO 8601 (tanpa offset dibaca dalam WIB).",
                "example": "2024-03-15",
            }
        ),
        "starts_before": QueryInstant(
            metadata={
                "description": "Mulai sebelum ini (tidak termasuk); format seperti "
                "starts_after. starts_before=2024-03-16 memuat seluruh 15 Maret (WIB).",
                "example": "2024-04-01T00:00:00+07:00",
            }
        ),
        "upcoming": Bool(
            truthy={"true", "1", True},
            falsy={"false", "0", False},
            metadata={"description": "Hanya rapat yang belum berakhir."},
        ),
    },
)

INVITATION_SORTS = ["id", "person_name", "role", "rsvp", "site_id", "invited_at", "sent_at"]
InvitationListArgs = list_args_schema(
    "MeetingInvitation",
    INVITATION_SORTS,
    {
        "sort": _sort(INVITATION_SORTS, "id"),
        "rsvp": _many(enum_values(Rsvp), "Jawaban: satu atau lebih (diulang)."),
        "role": _many(enum_values(InviteeRole), "Peran: satu atau lebih (diulang)."),
        "site_id": Text(
            metadata={"description": "Id lokasi, atau 'online' untuk yang hadir daring."}
        ),
        "sent": Bool(
            truthy={"true", "1", True},
            falsy={"false", "0", False},
            metadata={"description": "true: sudah dikirim; false: belum."},
        ),
    },
)
SITE_SORTS = ["id", "venue_name"]
SiteListArgs = list_args_schema("MeetingSite", SITE_SORTS, {"sort": _sort(SITE_SORTS, "id")})
AGENDA_SORTS = ["position", "title", "kind"]
AgendaListArgs = list_args_schema(
    "MeetingAgenda", AGENDA_SORTS, {"sort": _sort(AGENDA_SORTS, "position")}
)
CONFLICT_SORTS = ["other_start_at"]
ConflictListArgs = list_args_schema(
    "MeetingConflict", CONFLICT_SORTS, {"sort": _sort(CONFLICT_SORTS, "other_start_at")}
)


# --- scheduling and sending -------------------------------------------------------------


class ScheduleSchema(ApiSchema):
    send = Bool(
        load_default=True,
        metadata={
            "description": "false: dijadwalkan tanpa mengirim undangan (kirim nanti lewat "
            "/invitations/send). true (bawaan): dikirim; lebih dari 50 undangan dikirim di "
            "latar dan jawabannya 202 dengan pekerjaan di Location."
        },
    )


class SendSchema(ApiSchema):
    invitation_ids = fields.List(
        Int(),
        validate=_at_most_rows(),
        metadata={"description": "Hanya undangan ini; bawaan: semua yang belum dikirim."},
    )


def _check_meeting(data: Mapping[str, Any], partial: bool) -> None:
    """The services' rules on the fields that parsed. Without a usable host venue a
    wall-clock time is read in WIB: only its form is judged here; the zone is the venue's."""
    zone = zone_for(data, None) if data.get("host_venue_id") is not None else None
    clean_meeting(data, zone or "Asia/Jakarta", partial=partial)


domain_check(MeetingSchema, _check_meeting)
