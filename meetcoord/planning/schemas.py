"""The proposals API's bodies: list arguments, a proposal, its marks, the changes, the
bulk import and its answer.

Types only: the rules for a proposal's values (budget as whole Rupiah, the fund source by
code or name, the village by name or id) are :mod:`.importing`'s, so the API refuses what
the form and the spreadsheet import refuse, with the same words.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from meetcoord.api.schemas import ApiSchema, File, ListArgsSchema, QueryInt, Text, choice_of
from meetcoord.planning.importing import TARGETS
from meetcoord.planning.models import (
    FundSource,
    ProposalField,
    ProposalStatus,
    ProposerKind,
)
from meetcoord.planning.proposals import SORTS

FIELDS = [m.value for m in ProposalField]
SOURCES = [m.value for m in FundSource]
STATUSES = [m.value for m in ProposalStatus]
PROPOSERS = [m.value for m in ProposerKind]
DECISIONS = ["skip", "import"]
AMOUNT = {"description": 'Rupiah utuh: angka atau teks ("Rp 1.250.000").'}


def _id(description: str) -> QueryInt:
    return QueryInt(
        validate=validate.Range(min=1, error=_l("Paling kecil 1.")),
        metadata={"description": description},
    )


def _one_of(values: list[str]) -> Text:
    return Text(
        validate=validate.OneOf(values, error=_l("Nilai tidak dikenal.")),
        metadata={"enum": values},
    )


class ProposalListArgs(ListArgsSchema):
    sort = Text(
        load_default="priority_score",
        validate=validate.OneOf(list(SORTS), error=_l("Kolom pengurutan tidak dikenal.")),
        metadata={"description": ", ".join(SORTS)},
    )
    order = Text(
        load_default="desc",
        validate=validate.OneOf(["asc", "desc"], error=_l("Pilih asc atau desc.")),
    )
    institution_id = _id("Lembaga pemilik usulan.")
    village_id = _id("Desa (lokus).")
    field = _one_of(FIELDS)
    fund_source = _one_of(SOURCES)
    status = _one_of(STATUSES)
    plan_year = QueryInt(
        validate=validate.Range(min=2000, max=2100, error=_l("Antara 2000 dan 2100."))
    )


class ProposalMarkHistorySchema(ApiSchema):
    id = fields.Integer()
    meeting_id = fields.Integer()
    meeting_title = fields.Function(lambda m: m.meeting.title)
    outcome = fields.Function(lambda m: m.outcome.value if m.outcome else None)
    organization_id = fields.Integer(allow_none=True)
    programme = fields.String(allow_none=True)
    activity = fields.String(allow_none=True)
    plan_document = fields.String(allow_none=True)
    plan_year = fields.Integer(allow_none=True)
    amount = fields.Integer(allow_none=True)
    carried_to = fields.Function(lambda m: m.carried_to.value if m.carried_to else None)
    merged_with_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    confirmation = fields.Function(lambda m: m.confirmation.value)
    marked_at = fields.DateTime(allow_none=True)


class ProposalSchema(ApiSchema):
    id = fields.Integer()
    institution_id = fields.Integer()
    external_ref = fields.String(allow_none=True)
    title = fields.String()
    proposer_kind = fields.Function(lambda p: p.proposer_kind.value, metadata={"enum": PROPOSERS})
    proposer_name = fields.String()
    village_id = fields.Integer(allow_none=True)
    village_name = fields.Function(lambda p: p.village.name if p.village else None)
    field = fields.Function(lambda p: p.field.value, metadata={"enum": FIELDS})
    sector = fields.String(allow_none=True)
    budget = fields.Integer(allow_none=True, metadata={"description": "Rupiah utuh."})
    fund_source = fields.Function(lambda p: p.fund_source.value, metadata={"enum": SOURCES})
    source_document = fields.String(allow_none=True)
    plan_year = fields.Integer()
    priority_score = fields.Decimal(as_string=True, allow_none=True)
    status = fields.Function(lambda p: p.status.value, metadata={"enum": STATUSES})
    merged_into_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ProposalDetailSchema(ProposalSchema):
    marks = fields.List(fields.Nested(ProposalMarkHistorySchema))


class ProposalPatchSchema(ApiSchema):
    """Fields as the import reads them: ``village`` by name or ``village_id``; ``budget``
    as a number or text ("Rp 1.250.000"); ``field`` and ``fund_source`` by code or name."""

    title = Text()
    village = Text(metadata={"description": "Nama desa (dicocokkan tanpa beda huruf)."})
    village_id = QueryInt()
    region = Text(metadata={"description": "Kabupaten/kota desa, bila ada nama kembar."})
    field = choice_of(FIELDS)
    fund_source = choice_of(SOURCES)
    plan_year = fields.Raw(metadata={"type": "integer"})
    budget = fields.Raw(allow_none=True, metadata=AMOUNT)
    priority_score = fields.Raw(
        allow_none=True, metadata={"description": "Angka atau teks (85,5)."}
    )
    sector = Text(allow_none=True)
    proposer_kind = choice_of(PROPOSERS)
    proposer_name = Text(allow_none=True)
    source_document = Text(allow_none=True)
    external_ref = Text(allow_none=True)


class ProposalNewSchema(ProposalPatchSchema):
    institution_id = QueryInt(
        metadata={"description": "Wajib bila akun bekerja untuk lebih dari satu lembaga."}
    )


class ProposalMergeSchema(ApiSchema):
    into_id = QueryInt(required=True, metadata={"description": "Usulan yang dilanjutkan."})


def _row_metadata() -> dict[str, object]:
    return {"description": "Satu usulan; kolom: " + ", ".join(TARGETS) + "."}


class ProposalBulkImportSchema(ApiSchema):
    institution_id = QueryInt()
    region = Text(load_default="", metadata={"description": "Hanya desa di kabupaten/kota ini."})
    rows = fields.List(
        fields.Dict(keys=fields.String(), metadata=_row_metadata()),
        required=True,
        validate=validate.Length(min=1, max=20_000, error=_l("Antara 1 dan 20.000 baris.")),
    )
    duplicates = fields.Dict(
        keys=fields.String(),
        values=_one_of(DECISIONS),
        load_default=dict,
        metadata={"description": "Nomor baris → skip atau import, untuk yang mirip."},
    )
    on_duplicate = _one_of(DECISIONS)


class ProposalImportUploadSchema(ApiSchema):
    file = File(required=True, metadata={"description": "CSV (UTF-8) atau XLSX."})


class ProposalImportFormSchema(ApiSchema):
    """The text parts of an upload (multipart/form-data)."""

    institution_id = QueryInt()
    region = Text(load_default="")
    mapping = Text(
        metadata={
            "description": "JSON: isian → judul kolom atau indeks (0-based), misalnya "
            '{"title": "Nama Kegiatan", "budget": "Pagu"}; yang tidak disebut ditebak '
            "dari judul kolom."
        }
    )
    duplicates = Text(metadata={"description": 'JSON: {"5": "skip", "9": "import"}.'})
    on_duplicate = _one_of(DECISIONS)


class ProposalImportMultipartSchema(ProposalImportFormSchema, ProposalImportUploadSchema):
    """The whole multipart body, for the document."""


class ProposalImportResultSchema(ApiSchema):
    created = fields.Integer(required=True)
    skipped = fields.Integer(required=True)
