"""Request and response shapes of the check-in API (documented in OpenAPI)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.api.schemas import (
    COMMON_MESSAGES,
    ApiSchema,
    Bool,
    File,
    IndonesianMessages,
    Int,
    ListArgsSchema,
    QueryInt,
    Text,
    choice_of,
)
from meetcoord.checkin.models import CheckinMethod
from meetcoord.directory.models import Gender, StakeholderCategory

STATUSES = ["checked_in", "already", "refused", "checked_out"]


class Moment(IndonesianMessages, fields.AwareDateTime):
    """An ISO 8601 instant that must carry its offset (a desk's clock, in its zone)."""

    default_error_messages = {
        **COMMON_MESSAGES,
        "invalid": _l(
            "Waktu tidak valid; gunakan ISO 8601 dengan zona, mis. 2024-03-15T09:05+08:00."
        ),
        "invalid_awareness": _l("Waktu harus menyertakan zona (offset)."),
        "format": _l("Waktu tidak bisa diformat."),
    }


# --- requests ---------------------------------------------------------------------------


class RedeemSchema(ApiSchema):
    credential = Text(
        required=True, metadata={"description": "Isi QR pribadi dari surat undangan."}
    )
    nonce = Text(
        required=True,
        validate=validate.Length(min=1, max=64, error=_l("Antara 1 dan 64 karakter.")),
        metadata={"description": "Dari klien; permintaan ulang dengan nonce sama → jawaban sama."},
    )
    scanned_at = Moment(
        load_default=None,
        allow_none=True,
        metadata={"description": "Waktu pindai di meja (opsional), dengan zona."},
    )


class OfflineScanSchema(ApiSchema):
    credential = Text(required=True)
    nonce = Text(
        required=True,
        validate=validate.Length(min=1, max=64, error=_l("Antara 1 dan 64 karakter.")),
    )
    scanned_at = Moment(required=True, metadata={"description": "Waktu pindai saat luring."})


class OfflineUploadSchema(ApiSchema):
    scans = fields.List(
        fields.Nested(OfflineScanSchema),
        required=True,
        validate=validate.Length(max=1000, error=_l("Paling banyak 1000 pindaian.")),
    )


class CheckoutSchema(ApiSchema):
    credential = Text(required=True)
    nonce = Text(
        required=True,
        validate=validate.Length(min=1, max=64, error=_l("Antara 1 dan 64 karakter.")),
    )


MODES = ["in_person", "online"]
ROW_SORTS = ["number", "name", "checked_in_at", "site_name", "organization"]


class AttendanceArgs(ListArgsSchema):
    """The attendance records of one meeting: filters, sort and page."""

    sort = Text(
        load_default="number",
        validate=validate.OneOf(ROW_SORTS, error=_l("Kolom pengurutan tidak dikenal.")),
        metadata={"enum": ROW_SORTS, "description": "number: urutan kedatangan (bawaan)."},
    )
    site_id = QueryInt(
        load_default=None,
        metadata={"description": "Satu lokasi rapat (nomor urut per lokasi); tanpa ini: semua."},
    )
    mode = Text(
        load_default=None,
        validate=validate.OneOf(MODES, error=_l("Pilih in_person atau online.")),
        metadata={"enum": MODES, "description": "Hadir di lokasi atau daring."},
    )
    method = Text(
        load_default=None,
        validate=validate.OneOf(
            [m.value for m in CheckinMethod], error=_l("Cara registrasi tidak dikenal.")
        ),
        metadata={"enum": [m.value for m in CheckinMethod], "description": "Cara registrasi."},
    )


class ConflictArgs(ListArgsSchema):
    sort = Text(
        load_default="created_at",
        validate=validate.OneOf(["created_at"], error=_l("Kolom pengurutan tidak dikenal.")),
        metadata={"enum": ["created_at"]},
    )
    resolved = Bool(
        load_default=None,
        allow_none=True,
        truthy={True, "true", "1"},
        falsy={False, "false", "0"},
        metadata={"description": "true: yang sudah ditandai selesai; false: yang terbuka."},
    )


class AttendanceExportArgs(ApiSchema):
    format = Text(
        load_default="csv",
        validate=validate.OneOf(["csv", "xlsx", "pdf"], error=_l("Pilih csv, xlsx atau pdf.")),
        metadata={"enum": ["csv", "xlsx", "pdf"], "description": "Berkas daftar hadir."},
    )
    site_id = QueryInt(
        load_default=None, metadata={"description": "Satu lokasi; tanpa ini: gabungan."}
    )
    mode = Text(
        load_default=None,
        validate=validate.OneOf(["online"], error=_l("Hanya online.")),
        metadata={"enum": ["online"], "description": "online: daftar peserta daring."},
    )


class ManualCheckinSchema(ApiSchema):
    site_id = Int(
        required=True,
        allow_none=True,
        metadata={"description": "Lokasi rapat ini tempat hadir; null: daring."},
    )
    nonce = Text(
        required=True,
        validate=validate.Length(min=1, max=64, error=_l("Antara 1 dan 64 karakter.")),
        metadata={"description": "Dari klien; permintaan ulang dengan nonce sama → jawaban sama."},
    )


class WalkInSchema(ApiSchema):
    """Someone not invited, registered at a site: a new person, flagged for review."""

    site_id = Int(required=True, metadata={"description": "Lokasi rapat ini."})
    nonce = Text(
        required=True,
        validate=validate.Length(min=1, max=64, error=_l("Antara 1 dan 64 karakter.")),
    )
    name = Text(required=True)
    organization = Text(allow_none=True)
    position = Text(allow_none=True)
    category = choice_of([c.value for c in StakeholderCategory], required=True)
    gender = choice_of([g.value for g in Gender], allow_none=True)
    phone = Text(allow_none=True)


class StandInSchema(ApiSchema):
    """Who attends instead (diwakili oleh); the assignment letter is the proof."""

    stand_in_name = Text(required=True, metadata={"description": "Nama wakil."})
    stand_in_position = Text(allow_none=True, metadata={"description": "Jabatan wakil."})
    letter = File(
        required=True,
        metadata={"description": "Surat tugas: PDF, PNG atau JPEG (batas unggah instalasi)."},
    )


# --- responses --------------------------------------------------------------------------


class ExportArgs(ApiSchema):
    format = Text(
        load_default="csv",
        validate=validate.OneOf(["csv", "xlsx"], error=_l("Pilih csv atau xlsx.")),
        metadata={"enum": ["csv", "xlsx"], "description": "csv (UTF-8, `;`) atau xlsx."},
    )


class PersonCardSchema(ApiSchema):
    name = fields.String()
    organization = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    invitation_id = fields.Integer(allow_none=True)


class CheckinResultSchema(ApiSchema):
    """An answer to a scan: a refusal is an answer too (status ``refused`` with a reason)."""

    status = fields.String(required=True, metadata={"enum": STATUSES})
    reason = fields.String(
        allow_none=True,
        metadata={
            "description": "Kode mesin: already_checked_in, malformed, bad_signature, "
            "wrong_meeting, withdrawn, not_invited, meeting_not_open, not_open_yet, "
            "checkin_closed, scan_in_future, not_checked_in, other_site, "
            "already_checked_out."
        },
    )
    message = fields.String(required=True, metadata={"description": "Untuk layar petugas."})
    person = fields.Nested(PersonCardSchema, allow_none=True)
    site = fields.String(allow_none=True)
    at = fields.String(allow_none=True, metadata={"format": "date-time"})
    attendance_id = fields.Integer(allow_none=True)
    extra = fields.Dict(metadata={"description": 'Mis. {"walk_in": true}.'})


class OfflineResultSchema(CheckinResultSchema):
    nonce = fields.String(metadata={"description": "Nonce pindaian yang dijawab."})


class OfflineResultsSchema(ApiSchema):
    results = fields.List(fields.Nested(OfflineResultSchema), required=True)


class AttendanceRowSchema(ApiSchema):
    number = fields.Integer()
    attendance_id = fields.Integer()
    person_id = fields.Integer()
    invitation_id = fields.Integer(allow_none=True)
    name = fields.String()
    organization = fields.String(allow_none=True)
    position = fields.String(allow_none=True)
    category = fields.String()
    category_label = fields.String()
    gender = fields.String(allow_none=True, metadata={"enum": ["male", "female", None]})
    gender_short = fields.String(metadata={"description": "L, P atau kosong."})
    has_disability = fields.Boolean()
    site_id = fields.Integer(allow_none=True)
    site_name = fields.String()
    zone = fields.String()
    checked_in_at = fields.String(metadata={"format": "date-time"})
    checked_out_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    time_in = fields.String(metadata={"example": "09.05 WITA"})
    time_out = fields.String(allow_none=True)
    method = fields.String()
    method_label = fields.String()
    is_walk_in = fields.Boolean()
    stand_in_name = fields.String(allow_none=True)
    stand_in_position = fields.String(allow_none=True)
    stand_in = fields.String(allow_none=True, metadata={"example": "diwakili oleh Drs. Umbu"})


class AttendanceSiteCountSchema(ApiSchema):
    site_id = fields.Integer(allow_none=True, metadata={"description": "null: daring."})
    name = fields.String(metadata={"description": 'Tempat; daring: "Daring"/"Online".'})
    count = fields.Integer()


class AttendanceProvinceCountSchema(ApiSchema):
    province = fields.String(
        allow_none=True, metadata={"description": "Nama baku huruf kecil; null: tak diketahui."}
    )
    name = fields.String()
    count = fields.Integer()


def _counts(keys: list[str], description: str) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(keys)),
        values=fields.Integer(),
        metadata={"description": description},
    )


GENDER_KEYS = [g.value for g in Gender] + ["unknown"]


class TotalsSchema(ApiSchema):
    """Everyone recorded present (those who have left included), counted every way."""

    total = fields.Integer()
    by_category = _counts([c.value for c in StakeholderCategory], "Setiap kategori, juga 0.")
    by_gender = _counts(GENDER_KEYS, "male, female, unknown.")
    by_site = fields.List(
        fields.Nested(AttendanceSiteCountSchema),
        metadata={"description": "Urutan lokasi rapat; daring terakhir (bila ada)."},
    )
    by_mode = _counts(["site", "online"], "Di lokasi atau daring.")
    by_province = fields.List(
        fields.Nested(AttendanceProvinceCountSchema),
        metadata={"description": "Terbanyak dulu; tak diketahui terakhir."},
    )
    disability = fields.Integer()
    walk_ins = fields.Integer()
    stand_ins = fields.Integer()
    checked_out = fields.Integer()


QUORUM_STATES = ["none", "met", "not_met"]


class StandingSchema(ApiSchema):
    """One quorum rule against real counts: invited members present now."""

    state = fields.String(
        metadata={"enum": QUORUM_STATES, "description": "none: tidak ada aturan kuorum."}
    )
    kind = fields.String(allow_none=True, metadata={"enum": ["people", "at_least", "more_than"]})
    value = fields.Integer(allow_none=True)
    rule_text = fields.String(metadata={"example": "lebih dari 50% undangan"})
    required = fields.Integer(allow_none=True, metadata={"description": "Orang yang diperlukan."})
    present = fields.Integer(metadata={"description": "Undangan yang hadir (tanpa walk-in)."})
    base = fields.Integer(metadata={"description": "Undangan (yang tidak ditarik)."})


class QuorumSchema(StandingSchema):
    """The meeting's rule; ``state`` and ``met`` also weigh every site's own rule."""

    rule = fields.Boolean(metadata={"description": "Ada aturan kuorum (rapat atau lokasi)."})
    met = fields.Boolean(allow_none=True, metadata={"description": "null: tanpa aturan."})


class SiteSummarySchema(ApiSchema):
    """One site (or online): who is invited and answered, who is here now, its quorum."""

    site_id = fields.Integer(allow_none=True, metadata={"description": "null: daring."})
    name = fields.String()
    code = fields.String(allow_none=True, metadata={"description": "Kode lokasi (meja, kios)."})
    invited = fields.Integer(metadata={"description": "Undangan yang tidak ditarik."})
    accepted = fields.Integer()
    declined = fields.Integer()
    seats = fields.Integer(allow_none=True)
    over_capacity = fields.Boolean()
    present = fields.Integer(metadata={"description": "Hadir sekarang, walk-in termasuk."})
    minimum = fields.Integer(allow_none=True, metadata={"description": "= quorum.required."})
    meets_minimum = fields.Boolean(allow_none=True)
    quorum = fields.Nested(StandingSchema)


class AttendanceSummarySchema(ApiSchema):
    present = fields.Integer(metadata={"description": "Hadir sekarang di semua lokasi dan daring."})
    quorum = fields.Nested(QuorumSchema)
    sites = fields.List(fields.Nested(SiteSummarySchema))
    totals = fields.Nested(
        TotalsSchema,
        metadata={
            "description": "Semua yang tercatat hadir (juga yang sudah keluar) per kategori, "
            "jenis kelamin, lokasi, cara hadir dan provinsi; `sites` hanya yang hadir sekarang."
        },
    )


class KioskCodeSchema(ApiSchema):
    """What a kiosk shows now; outside the check-in window no code, but why not."""

    open = fields.Boolean()
    message = fields.String(metadata={"description": "Saat tertutup: kapan dibuka."})
    url = fields.String(metadata={"description": "Isi QR kios (alamat yang dibuka ponsel)."})
    typed_code = fields.String(metadata={"description": "Kode pendek untuk diketik di /c."})
    expires_in = fields.Float(metadata={"description": "Detik sampai kode berganti."})


class CheckinConflictSchema(ApiSchema):
    """The same person scanned at two sites: the earliest scan won."""

    id = fields.Integer()
    person_id = fields.Integer()
    person_name = fields.Function(lambda c: c.person.name, metadata={"type": "string"})
    attendance_id = fields.Integer()
    site_id = fields.Function(
        lambda c: c.attendance.site_id, metadata={"type": "integer", "nullable": True}
    )
    site_name = fields.Function(
        lambda c: _site_name(c.attendance.site), metadata={"type": "string"}
    )
    checked_in_at = fields.Function(
        lambda c: c.attendance.checked_in_at.isoformat(),
        metadata={"type": "string", "format": "date-time"},
    )
    other_site_id = fields.Integer(allow_none=True)
    other_site_name = fields.Function(
        lambda c: _site_name(c.other_site), metadata={"type": "string"}
    )
    other_scanned_at = fields.DateTime()
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)


def _site_name(site: Any) -> str:
    return site.venue.name if site is not None else "Daring"
