"""JSON shapes of the directory: what the API reads and writes, and what the document shows.

One schema per entity serves both directions: read-only fields (ids, derived labels,
timestamps) are ``dump_only``, so a client that sends them back gets "unknown field" rather
than silently changing nothing. Required fields are marked for the document and for a
clear 422; every other rule (lengths, aliases, valid zones, duplicates) is the service's.
PATCH bodies use a ``*PatchSchema`` subclass loaded with ``partial=True``: a separate
class, so the document names it separately instead of warning about a name clash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.api.lists import QueryBool
from meetcoord.api.schemas import (
    ApiSchema,
    Bool,
    Day,
    File,
    Int,
    QueryInt,
    Text,
    choice_of,
    domain_check,
    list_args_schema,
)
from meetcoord.core.timezones import PRIMARY_ZONES
from meetcoord.directory.bulk import BULK_MAX, CREATED, ERROR, EXISTS
from meetcoord.directory.cleaning import clean_organization, clean_person
from meetcoord.directory.listing import FILTERS, SORTS
from meetcoord.directory.models import (
    Forum,
    ForumRole,
    Gender,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    StakeholderCategory,
    Venue,
)
from meetcoord.directory.regions import PROVINCE_ZONES


def _values(enum_cls: Any) -> list[str]:
    return [member.value for member in enum_cls]


def _optional_text(**metadata: Any) -> Text:
    return Text(allow_none=True, metadata=metadata)


def _reference(description: str) -> Int:
    return Int(allow_none=True, metadata={"description": description})


def _derived(func: Callable[[Any], Any], type_: str, *, nullable: bool = False) -> fields.Function:
    """A read-only value computed from the row (names of related rows, counts)."""
    metadata: dict[str, Any] = {"type": type_}
    if nullable:
        metadata["nullable"] = True
    return fields.Function(func, dump_only=True, metadata=metadata)


def _name_of(related: Any) -> str | None:
    return related.name if related is not None else None


# --- organizations ----------------------------------------------------------------------


class OrganizationSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, metadata={"example": "Badan Perencanaan Pembangunan Daerah"})
    short_name = _optional_text(example="Bappeda")
    kind = choice_of(_values(OrgKind), required=True)
    level = choice_of(_values(OrgLevel), required=True)
    parent_id = _reference("Organisasi induk.")
    parent_name = _derived(lambda org: _name_of(org.parent), "string", nullable=True)
    region = _optional_text(example="Kabupaten Sumba Barat Daya")
    address = _optional_text()
    email = _optional_text(format="email")
    phone = _optional_text(example="0812-3456-7890")
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class OrganizationPatchSchema(OrganizationSchema):
    """Only the fields sent are changed."""


# --- people -----------------------------------------------------------------------------


class PersonSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, metadata={"example": "Yohanes Bili"})
    position = _optional_text(description="Jabatan.", example="Kepala Bidang Perencanaan")
    organization_id = _reference("Instansi tempat orang ini bekerja.")
    organization_name = _derived(
        lambda person: _name_of(person.organization), "string", nullable=True
    )
    email = _optional_text(format="email")
    phone = _optional_text(example="0812-3456-7890")
    gender = choice_of(_values(Gender), allow_none=True)
    category = choice_of(
        _values(StakeholderCategory), required=True, metadata={"description": "Unsur."}
    )
    has_disability = Bool()
    timezone = _optional_text(
        description="Zona waktu orang ini untuk rapat daring: nama IANA atau WIB/WITA/WIT; "
        "kosong (null) = zona wilayah organisasinya.",
        example="Asia/Jayapura",
    )
    # The zone they are shown times in: their own, else their organization's region's.
    zone = _derived(lambda person: person.zone, "string", nullable=True)
    zone_label = _derived(lambda person: person.zone_label, "string", nullable=True)
    region = _optional_text(
        description="Asal daerah (kabupaten/kota, provinsi) seperti ditulis orangnya; "
        "kosong (null) = wilayah organisasinya.",
        example="Kabupaten Poso, Sulawesi Tengah",
    )
    # Derived from their region, else their organization's (and its parents'): read-only.
    province = _derived(lambda person: person.province, "string", nullable=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class PersonPatchSchema(PersonSchema):
    """Only the fields sent are changed."""


class PeopleImportSchema(ApiSchema):
    file = File(
        required=True,
        metadata={
            "description": "CSV UTF-8 (pemisah , atau ;) dengan kolom nama, jabatan, "
            "organisasi, email, telepon, jenis_kelamin, kategori, disabilitas, zona "
            "(WIB/WITA/WIT atau nama IANA; kosong = zona wilayah organisasi), asal_daerah "
            "(kabupaten/kota, provinsi; paling banyak 120 karakter)."
        },
    )


class ImportResultSchema(ApiSchema):
    created = fields.Integer(required=True, metadata={"description": "Orang yang dibuat."})
    rows = fields.Integer(required=True, metadata={"description": "Baris data yang dibaca."})


# --- forums -----------------------------------------------------------------------------


class ForumSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, metadata={"example": "Forum BangKIT Sumba Barat Daya"})
    short_name = _optional_text(example="Forum BangKIT")
    decree_number = _optional_text(description="Nomor SK.", example="289/KEP/HK/2023")
    decree_date = Day(allow_none=True, metadata={"description": "Tanggal SK."})
    decree_issuer = _optional_text(example="Bupati Sumba Barat Daya")
    organization_id = _reference("Sekretariat forum.")
    organization_name = _derived(
        lambda forum: _name_of(forum.organization), "string", nullable=True
    )
    institution_id = Int(
        metadata={
            "description": "Lembaga pemilik forum. Bawaan: lembaga Anda; wajib bila Anda "
            "sekretariat lebih dari satu lembaga."
        }
    )
    description = _optional_text()
    member_count = _derived(lambda forum: len(forum.members), "integer")
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ForumPatchSchema(ForumSchema):
    """Only the fields sent are changed."""


class ForumMemberSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    person_id = Int(required=True)
    role = choice_of(_values(ForumRole), metadata={"description": "Bawaan: member."})
    person_name = _derived(lambda member: member.person.name, "string")
    position = _derived(lambda member: member.person.position, "string", nullable=True)
    organization_name = _derived(
        lambda member: _name_of(member.person.organization), "string", nullable=True
    )


# --- venues -----------------------------------------------------------------------------


class VenueSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, metadata={"example": "Aula Bappeda Kabupaten Sumba Barat Daya"})
    address = _optional_text()
    city = _optional_text(example="Tambolaka")
    timezone = Text(
        required=True,
        metadata={
            "description": "Nama zona IANA; di Indonesia "
            + ", ".join(PRIMARY_ZONES)
            + " (WIB, WITA, WIT).",
            "example": "Asia/Makassar",
        },
    )
    zone_label = fields.String(dump_only=True, metadata={"example": "WITA"})
    capacity = Int(allow_none=True, metadata={"minimum": 1})
    organization_id = _reference("Instansi pemilik tempat.")
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class VenuePatchSchema(VenueSchema):
    """Only the fields sent are changed."""


# --- list arguments ---------------------------------------------------------------------


# Text filters that compare whole values (not a search): what each one matches.
TEXT_FILTERS = {
    "email": "Email persis (tanpa beda huruf besar/kecil).",
    "phone": "Nomor telepon dalam bentuk apa pun (0812…, +62 812…); dibandingkan setelah "
    "dinormalkan.",
    "region": "Wilayah persis (tanpa beda huruf besar/kecil).",
}


def _filters(model: type) -> dict[str, fields.Field]:
    """Query fields for ``services.FILTERS[model]``; enum filters list their values."""
    enums = {
        "kind": OrgKind,
        "level": OrgLevel,
        "category": StakeholderCategory,
        "gender": Gender,
    }
    out: dict[str, fields.Field] = {}
    for key in FILTERS[model]:
        if key == "province":  # a person's province, derived: one of the 38 exact names
            allowed = list(PROVINCE_ZONES)
            out[key] = Text(
                validate=validate.OneOf(allowed, error=_l("Pilih salah satu: {choices}.")),
                metadata={"enum": allowed, "description": "Provinsi asal (nama huruf kecil)."},
            )
        elif key.endswith("_id"):
            out[key] = QueryInt()
        elif key in TEXT_FILTERS:
            out[key] = Text(
                validate=validate.Length(min=1, error=_l("Tidak boleh kosong.")),
                metadata={"description": TEXT_FILTERS[key]},
            )
        elif key == "disability":
            out[key] = QueryBool(metadata={"description": "true: penyandang disabilitas saja."})
        elif key in enums:
            allowed = _values(enums[key])
            out[key] = Text(
                validate=validate.OneOf(allowed, error=_l("Pilih salah satu: {choices}.")),
                metadata={"enum": allowed},
            )
        else:
            out[key] = Text()
    return out


OrganizationListArgs = list_args_schema(
    "Organization", list(SORTS[Organization]), _filters(Organization)
)
PersonListArgs = list_args_schema("Person", list(SORTS[Person]), _filters(Person))
ForumListArgs = list_args_schema("Forum", list(SORTS[Forum]), _filters(Forum))
VenueListArgs = list_args_schema("Venue", list(SORTS[Venue]), _filters(Venue))


# --- bulk create ------------------------------------------------------------------------


def _bulk_schema(name: str, entity: str) -> type[ApiSchema]:
    """``{"items": [...]}``: each item is loaded apart (one bad row does not refuse the
    others), with the entity's own schema, so the document names it only in words."""
    items = fields.List(
        fields.Raw(metadata={"type": "object"}),
        required=True,
        validate=validate.Length(
            min=1, max=BULK_MAX, error=_l("Antara {min} dan {max} baris per permintaan.")
        ),
        metadata={
            "description": f"Paling banyak {BULK_MAX} baris; tiap baris berbentuk {entity} "
            "seperti pada pembuatan satu data."
        },
    )
    return type(f"{name}BulkSchema", (ApiSchema,), {"items": items})


OrganizationBulkSchema = _bulk_schema("Organization", "OrganizationSchema")
PersonBulkSchema = _bulk_schema("Person", "PersonSchema")


class DirectoryBulkRowSchema(ApiSchema):
    index = fields.Integer(required=True, metadata={"description": "Urutan baris (dari 0)."})
    status = fields.String(
        required=True,
        metadata={
            "enum": [CREATED, EXISTS, ERROR],
            "description": "created: dibuat; exists: sudah ada (nama organisasi atau email "
            "orang), tidak diubah; error: tidak dibuat, lihat errors.",
        },
    )
    id = fields.Integer(allow_none=True, metadata={"description": "Id data dibuat/yang ada."})
    detail = fields.String(allow_none=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Pesan per kolom baris ini (kosong bila berhasil)."},
    )


class DirectoryBulkResultSchema(ApiSchema):
    results = fields.List(fields.Nested(DirectoryBulkRowSchema), required=True)
    created = fields.Integer(required=True)
    exists = fields.Integer(required=True)
    failed = fields.Integer(required=True, metadata={"description": "Baris berstatus error."})


# A refused body also names what the services' rules refuse in the fields that parsed.
domain_check(OrganizationSchema, lambda data, partial: clean_organization(data, partial=partial))
domain_check(PersonSchema, lambda data, partial: clean_person(data, partial=partial))
