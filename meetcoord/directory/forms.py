"""Directory forms: fields and CSRF only.

The rules (required fields, enum values, zones, unique names) live in ``cleaning`` and
``services`` so that a form, the JSON API and the CSV import refuse the same input with
the same message. That is why every field here is a plain text/select field without
validators: the raw value goes to the service, and the service's field map comes back
beside the fields. Field names equal the service/model field names on purpose.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField

from meetcoord.core.forms import ServiceForm
from meetcoord.core.timezones import zone_choices

try:  # WTForms ≥ 3.3 wants option objects; older releases take (value, label) pairs
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3
    SelectChoice = None
from meetcoord.directory.models import (
    ForumRole,
    Gender,
    OrgKind,
    OrgLevel,
    StakeholderCategory,
)

# Display names for enum values; the stored values stay English identifiers.
KIND_LABELS = {
    OrgKind.OPD: _l("OPD (perangkat daerah)"),
    OrgKind.NGO: _l("LSM / organisasi masyarakat sipil"),
    OrgKind.ACADEMIA: _l("Akademisi / perguruan tinggi"),
    OrgKind.RELIGIOUS: _l("Lembaga keagamaan"),
    OrgKind.COMMUNITY: _l("Kelompok masyarakat"),
    OrgKind.PRIVATE: _l("Swasta / perbankan"),
    OrgKind.MEDIA: _l("Media"),
    OrgKind.NATIONAL: _l("Instansi pusat"),
}
LEVEL_LABELS = {
    OrgLevel.NATIONAL: _l("Nasional"),
    OrgLevel.PROVINCE: _l("Provinsi"),
    OrgLevel.REGENCY: _l("Kabupaten/Kota"),
    OrgLevel.VILLAGE: _l("Desa"),
}
GENDER_LABELS = {Gender.MALE: _l("Laki-laki"), Gender.FEMALE: _l("Perempuan")}
CATEGORY_LABELS = {
    StakeholderCategory.GOVERNMENT: _l("Pemerintah"),
    StakeholderCategory.NGO: _l("LSM"),
    StakeholderCategory.ACADEMIA: _l("Akademisi"),
    StakeholderCategory.RELIGIOUS_LEADER: _l("Tokoh agama"),
    StakeholderCategory.WOMEN_LEADER: _l("Tokoh perempuan"),
    StakeholderCategory.YOUTH_LEADER: _l("Tokoh pemuda"),
    StakeholderCategory.COMMUNITY_LEADER: _l("Tokoh masyarakat"),
    StakeholderCategory.PRIVATE_SECTOR: _l("Swasta / perbankan"),
    StakeholderCategory.MEDIA: _l("Media"),
    StakeholderCategory.FACILITATOR: _l("Fasilitator"),
}
ROLE_LABELS = {
    ForumRole.CHAIR: _l("Ketua"),
    ForumRole.VICE_CHAIR: _l("Wakil ketua"),
    ForumRole.SECRETARY: _l("Sekretaris"),
    ForumRole.MEMBER: _l("Anggota"),
}


def option(value: str, label: Any) -> Any:
    """One select option in the form the installed WTForms expects."""
    return SelectChoice(value, label) if SelectChoice is not None else (value, label)


def options(pairs: Any) -> list[Any]:
    return [option(value, label) for value, label in pairs]


NONE_PAIR = ("", _l("— tidak ada —"))
PICK_PAIR = ("", _l("— pilih —"))
FROM_REGION_PAIR = ("", _l("— ikuti wilayah organisasi —"))


def enum_choices(labels: dict[Any, Any], *, blank: tuple[str, Any] | None = PICK_PAIR) -> list:
    """Select options for an enum, with a blank first so nothing is chosen by accident."""
    pairs = [(member.value, label) for member, label in labels.items()]
    return options(([blank] if blank else []) + pairs)


class DirectoryForm(ServiceForm):
    """Directory forms hand the service exactly the model fields, untouched."""


class OrganizationForm(DirectoryForm):
    name = StringField(_l("Nama"), render_kw={"required": True, "maxlength": 200})
    short_name = StringField(_l("Singkatan"), render_kw={"maxlength": 60})
    kind = SelectField(_l("Jenis"), choices=enum_choices(KIND_LABELS))
    level = SelectField(_l("Tingkat"), choices=enum_choices(LEVEL_LABELS))
    parent_id = SelectField(_l("Organisasi induk"), choices=options([NONE_PAIR]))
    region = StringField(_l("Wilayah"), render_kw={"maxlength": 120})
    address = StringField(_l("Alamat"), render_kw={"maxlength": 300})
    email = StringField(_l("Email"), render_kw={"type": "email", "maxlength": 254})
    phone = StringField(_l("Telepon"), render_kw={"type": "tel", "maxlength": 20})


class PersonForm(DirectoryForm):
    name = StringField(_l("Nama"), render_kw={"required": True, "maxlength": 200})
    position = StringField(_l("Jabatan"), render_kw={"maxlength": 200})
    organization_id = SelectField(_l("Organisasi"), choices=options([NONE_PAIR]))
    email = StringField(_l("Email"), render_kw={"type": "email", "maxlength": 254})
    phone = StringField(_l("Telepon"), render_kw={"type": "tel", "maxlength": 20})
    gender = SelectField(_l("Jenis kelamin"), choices=enum_choices(GENDER_LABELS))
    category = SelectField(
        _l("Kategori pemangku kepentingan"), choices=enum_choices(CATEGORY_LABELS)
    )
    has_disability = BooleanField(_l("Penyandang disabilitas"))
    # Where they come from, for attendance by province and their default zone.
    region = StringField(
        _l("Asal daerah (kabupaten/kota, provinsi)"),
        render_kw={"maxlength": 120, "placeholder": "Kabupaten Poso, Sulawesi Tengah"},
    )
    # For online attendance: the zone their meeting times are shown in.
    timezone = SelectField(_l("Zona waktu"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = options([FROM_REGION_PAIR, *zone_choices()])


class ForumForm(DirectoryForm):
    name = StringField(_l("Nama forum"), render_kw={"required": True, "maxlength": 200})
    short_name = StringField(_l("Singkatan"), render_kw={"maxlength": 60})
    decree_number = StringField(
        _l("Nomor SK"), render_kw={"maxlength": 80, "placeholder": "289/KEP/HK/2023"}
    )
    decree_date = StringField(_l("Tanggal SK"), render_kw={"type": "date"})
    decree_issuer = StringField(_l("Penerbit SK"), render_kw={"maxlength": 200})
    organization_id = SelectField(_l("Sekretariat (organisasi)"), choices=options([NONE_PAIR]))
    institution_id = SelectField(_l("Lembaga pemilik"), choices=[])
    description = TextAreaField(_l("Keterangan"), render_kw={"rows": 4})


class VenueForm(DirectoryForm):
    name = StringField(_l("Nama tempat"), render_kw={"required": True, "maxlength": 200})
    address = StringField(_l("Alamat"), render_kw={"maxlength": 300})
    city = StringField(_l("Kota/Kabupaten"), render_kw={"maxlength": 120})
    timezone = SelectField(_l("Zona waktu"), choices=[])
    capacity = StringField(
        _l("Kapasitas (orang)"), render_kw={"type": "number", "min": 1, "inputmode": "numeric"}
    )
    organization_id = SelectField(_l("Organisasi pengelola"), choices=options([NONE_PAIR]))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = options([PICK_PAIR, *zone_choices()])


class MemberForm(FlaskForm):
    """Add a person to a forum with a role."""

    person_id = SelectField(_l("Orang"), choices=options([PICK_PAIR]))
    role = SelectField(_l("Peran"), choices=enum_choices(ROLE_LABELS, blank=None), default="member")
    submit = SubmitField(_l("Tambah anggota"))


class ImportForm(FlaskForm):
    file = FileField(_l("Berkas CSV"), render_kw={"accept": ".csv,text/csv", "required": True})
    submit = SubmitField(_l("Impor"))


class ConfirmForm(FlaskForm):
    """A POST with only a CSRF token: delete and remove buttons."""


def organization_pairs(organizations: list[Any], *, exclude: int | None = None) -> list:
    """(id, name) for every organization but ``exclude`` (an organization is not its own parent)."""
    return [(str(org.id), org.name) for org in organizations if org.id != exclude]
