"""The directory as JSON under ``/api/v1``: organizations, people, forums and venues.

Handlers parse with the schemas, call one service, and return; every rule (who may edit,
what is valid, what may be deleted) lives in ``services`` so the HTML pages and this API
cannot drift apart. The four entities share one shape (list, create, read, update,
delete), so a single factory builds their blueprints; people add CSV import and forums
their members on top.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import marshmallow
from flask import current_app, url_for
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from marshmallow import Schema

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.api.lists import page_args_schema, page_of
from meetcoord.api.schemas import ApiBlueprint, page_schema, problems
from meetcoord.core.errors import NotFound, ValidationError
from meetcoord.core.forms import current_actor
from meetcoord.core.pagination import Page
from meetcoord.directory import schemas as s
from meetcoord.directory.bulk import BULK_MAX, BulkReport, bulk_create
from meetcoord.directory.csvimport import ImportReport, import_people
from meetcoord.directory.listing import FILTERS
from meetcoord.directory.models import Forum, ForumMember, ForumRole, Organization, Person, Venue
from meetcoord.directory.services import (
    ListQuery,
    add_forum_member,
    delete_record,
    get_record,
    list_records,
    remove_forum_member,
    save_forum,
    save_organization,
    save_person,
    save_venue,
)

LOCATION_HEADER = {
    "Location": {"description": "URL data yang baru dibuat.", "schema": {"type": "string"}}
}

Saver = Callable[..., Any]


_actor = resolve.account  # the staff account acting (access.resolve)


def _list_query(model: type, args: Mapping[str, Any]) -> ListQuery:
    return ListQuery(
        q=args["q"],
        sort=args["sort"],
        descending=args["order"] == "desc",
        page=args["page"],
        per_page=args["per_page"],
        filters={key: args[key] for key in FILTERS[model] if args.get(key) is not None},
    )


def crud_blueprint(
    name: str,
    label: str,
    model: type,
    schema: type[Schema],
    patch_schema: type[Schema],
    list_args: type[Schema],
    save: Saver,
) -> ApiBlueprint:
    """List/create on ``/<name>``, read/update/delete on ``/<name>/{id}``."""
    blp = ApiBlueprint(name, __name__, url_prefix=f"/{name}", description=f"Direktori: {label}.")
    item_endpoint = f"{name}.{name.title()}Item"

    def location(obj: Any) -> dict[str, str]:
        return {"Location": url_for(item_endpoint, id=obj.id)}

    class Collection(MethodView):
        @requires(Permission.DIRECTORY_VIEW)
        @blp.doc(summary=f"Daftar {label}", description="Cari, saring, urutkan, per halaman.")
        @blp.arguments(list_args, location="query")
        @blp.response(200, page_schema(schema))
        @problems(blp, 401, 422)
        def get(self, args: dict[str, Any]) -> Page[Any]:
            return list_records(model, _list_query(model, args), current_actor())

        @requires(Permission.DIRECTORY_EDIT)
        @blp.doc(summary=f"Tambah {label}")
        @blp.arguments(schema)
        @blp.response(201, schema, headers=LOCATION_HEADER)
        @problems(blp, 400, 401, 403, 409, 422)
        def post(self, data: dict[str, Any]) -> tuple[Any, dict[str, str]]:
            obj = save(_actor(), data)
            return obj, location(obj)

    class Item(MethodView):
        @requires(Permission.DIRECTORY_VIEW)
        @blp.doc(summary=f"Satu {label}")
        @blp.response(200, schema)
        @problems(blp, 401, 404)
        def get(self, id: int) -> Any:
            return get_record(model, id, current_actor())

        @requires(Permission.DIRECTORY_EDIT)
        @blp.doc(summary=f"Ubah {label}", description="Hanya kolom yang dikirim yang diubah.")
        @blp.arguments(patch_schema(partial=True))
        @blp.response(200, schema)
        @problems(blp, 400, 401, 403, 404, 409, 422)
        def patch(self, data: dict[str, Any], id: int) -> Any:
            return save(_actor(), data, get_record(model, id, current_actor()))

        @requires(Permission.DIRECTORY_EDIT)
        @blp.doc(
            summary=f"Hapus {label}",
            description="Ditolak (409) bila masih dirujuk data lain; pesannya menyebut apa.",
        )
        @blp.response(204)
        @problems(blp, 400, 401, 403, 404, 409)
        def delete(self, id: int) -> None:
            delete_record(_actor(), get_record(model, id, current_actor()))

    # Endpoint names come from the class names, so give each blueprint its own.
    Collection.__name__ = f"{name.title()}Collection"
    Item.__name__ = f"{name.title()}Item"
    blp.route("")(Collection)
    blp.route("/<int:id>")(Item)
    return blp


organizations = crud_blueprint(
    "organizations",
    "organisasi",
    Organization,
    s.OrganizationSchema,
    s.OrganizationPatchSchema,
    s.OrganizationListArgs,
    save_organization,
)
people = crud_blueprint(
    "people",
    "orang",
    Person,
    s.PersonSchema,
    s.PersonPatchSchema,
    s.PersonListArgs,
    save_person,
)
forums = crud_blueprint(
    "forums",
    "forum",
    Forum,
    s.ForumSchema,
    s.ForumPatchSchema,
    s.ForumListArgs,
    save_forum,
)
venues = crud_blueprint(
    "venues",
    "tempat",
    Venue,
    s.VenueSchema,
    s.VenuePatchSchema,
    s.VenueListArgs,
    save_venue,
)


@people.route("/import")
class PeopleImport(MethodView):
    @requires(Permission.DIRECTORY_EDIT)
    @people.doc(
        summary="Impor orang dari CSV",
        description="Semua baris atau tidak sama sekali: satu baris salah membatalkan impor "
        "dan 422 memuat kesalahan per baris ('row N.kolom').",
    )
    @people.arguments(s.PeopleImportSchema, location="files")
    @people.response(200, s.ImportResultSchema)
    @problems(people, 400, 401, 403, 409, 413, 422)
    def post(self, files: dict[str, Any]) -> ImportReport:
        # The whole body is already bounded by MAX_CONTENT_LENGTH; the service applies the
        # (smaller) CSV limit and reports the real size.
        raw = files["file"].read()
        return import_people(
            _actor(),
            raw,
            max_bytes=current_app.config["CSV_MAX_BYTES"],
            max_rows=current_app.config["CSV_MAX_ROWS"],
        )


def _bulk(model: type, schema: type[Schema], rows: list[Any]) -> BulkReport:
    def load(raw: Any) -> dict[str, Any]:
        try:
            return schema().load(raw)
        except marshmallow.ValidationError as exc:
            messages = exc.normalized_messages()
            raise ValidationError(
                _l("Data tidak valid."),
                errors={key: _as_list(value) for key, value in messages.items()},
            ) from None

    return bulk_create(_actor(), model, rows, load)


def _as_list(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


BULK_DESCRIPTION = (
    "Per baris, bukan semua-atau-tidak-sama-sekali: setiap baris yang valid dan baru dibuat "
    "(dengan aturan yang sama seperti membuat satu data); baris yang kunci alaminya sudah "
    "ada ({key}) menjawab `exists` dengan id-nya dan tidak diubah; baris yang salah "
    "menjawab `error` dengan `errors` per kolom. Jawaban 200 memuat hasil tiap baris "
    "sesuai urutan kirim. Lebih dari {max} baris: 422 tanpa satu pun dibuat."
)


@organizations.route("/bulk")
class OrganizationsBulk(MethodView):
    @requires(Permission.DIRECTORY_EDIT)
    @organizations.doc(
        summary="Tambah banyak organisasi",
        description=BULK_DESCRIPTION.format(key="nama organisasi", max=BULK_MAX),
    )
    @organizations.arguments(s.OrganizationBulkSchema)
    @organizations.response(200, s.DirectoryBulkResultSchema)
    @problems(organizations, 400, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> BulkReport:
        return _bulk(Organization, s.OrganizationSchema, data["items"])


@people.route("/bulk")
class PeopleBulk(MethodView):
    @requires(Permission.DIRECTORY_EDIT)
    @people.doc(
        summary="Tambah banyak orang",
        description=BULK_DESCRIPTION.format(key="email", max=BULK_MAX),
    )
    @people.arguments(s.PersonBulkSchema)
    @people.response(200, s.DirectoryBulkResultSchema)
    @problems(people, 400, 401, 403, 422)
    def post(self, data: dict[str, Any]) -> BulkReport:
        return _bulk(Person, s.PersonSchema, data["items"])


# A forum's members in the order they were added (as the SK lists them) unless another
# sort is asked; by role, the chair comes first.
ROLE_ORDER = {role: rank for rank, role in enumerate(ForumRole)}
MEMBER_SORTS: dict[str, Any] = {
    "id": lambda member: member.id,
    "role": lambda member: ROLE_ORDER.get(member.role, len(ROLE_ORDER)),
    "person_name": lambda member: member.person.name,
    "position": lambda member: member.person.position,
    "organization_name": lambda member: (
        member.person.organization.name if member.person.organization else None
    ),
}
ForumMemberListArgs = page_args_schema("ForumMember", list(MEMBER_SORTS), "id")


@forums.route("/<int:id>/members")
class ForumMembers(MethodView):
    @requires(Permission.DIRECTORY_VIEW)
    @forums.doc(
        summary="Anggota forum",
        description="Per halaman; bawaan urut sesuai SK (urutan ditambahkan).",
    )
    @forums.arguments(ForumMemberListArgs, location="query")
    @forums.response(200, page_schema(s.ForumMemberSchema))
    @problems(forums, 401, 404, 422)
    def get(self, args: dict[str, Any], id: int) -> Page[ForumMember]:
        members = get_record(Forum, id, current_actor()).members
        return page_of(members, args, MEMBER_SORTS)

    @requires(Permission.DIRECTORY_EDIT)
    @forums.doc(summary="Tambah anggota forum")
    @forums.arguments(s.ForumMemberSchema)
    @forums.response(201, s.ForumMemberSchema, headers=LOCATION_HEADER)
    @problems(forums, 400, 401, 403, 404, 409, 422)
    def post(self, data: dict[str, Any], id: int) -> tuple[ForumMember, dict[str, str]]:
        member = add_forum_member(_actor(), get_record(Forum, id, current_actor()), **data)
        url = url_for("forums.ForumMemberItem", id=id, member_id=member.id)
        return member, {"Location": url}


@forums.route("/<int:id>/members/<int:member_id>")
class ForumMemberItem(MethodView):
    @requires(Permission.DIRECTORY_EDIT)
    @forums.doc(summary="Keluarkan anggota forum")
    @forums.response(204)
    @problems(forums, 400, 401, 403, 404)
    def delete(self, id: int, member_id: int) -> None:
        member = _member_of(id, member_id)
        remove_forum_member(_actor(), member)


def _member_of(forum_id: int, member_id: int) -> ForumMember:
    """The membership, only when it belongs to the forum in the URL."""
    member = get_record(ForumMember, member_id, current_actor())  # type: ignore[type-var]
    if member.forum_id != forum_id:
        raise NotFound(_l("Data tidak ditemukan."))
    return member


blueprints: list[ApiBlueprint] = [organizations, people, forums, venues]
