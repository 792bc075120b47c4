"""Create, edit and delete pages, the same for every directory entity.

Organizations, people, forums and venues are edited the same way: one form page for new and
existing records whose refusals come back beside the fields, and a confirmation page before
a delete that the service may refuse with the reason. Each entity declares what differs
(form, service, wording, where to go next) in an :class:`Editing`, and
:func:`register_editing` adds its three routes to the blueprint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission
from meetcoord.core.errors import Conflict
from meetcoord.core.forms import current_actor, save_form
from meetcoord.directory import services
from meetcoord.directory.forms import ConfirmForm, DirectoryForm
from meetcoord.directory.views_support import actor, bp, require_editor

FORM = "form.html"
CONFIRM = "directory/confirm_delete.html"


@dataclass(frozen=True)
class Editing:
    name: str  # endpoint prefix: "venue" → directory.venue_new, _edit, _delete
    path: str  # URL segment: "venues"
    id_arg: str  # URL argument for the record's id: "venue_id"
    model: type
    form: type[DirectoryForm]
    save: Callable[..., Any]  # services.save_<entity>(actor, data, existing)
    title_new: Any
    title_edit: Any
    saved: Callable[[Any], str]  # flash message after a save
    deleted: Callable[[Any], str]  # flash message after a delete
    after_save: Callable[[Any], str]  # URL to go to after a save
    home: Callable[[Any | None], str]  # the page a record is seen on (cancel, refused delete)
    prepare: Callable[[DirectoryForm, Any | None], None] = lambda form, obj: None
    # Hints under fields, by field name, from the saved record (what the directory found).
    hints: Callable[[Any | None], dict[str, str]] = lambda obj: {}


def _form_page(spec: Editing, obj: Any | None) -> Any:
    require_editor()
    form = spec.form(obj=obj)
    spec.prepare(form, obj)
    status, message, loose = 200, None, []
    if form.is_submitted():
        saved, message, loose, status = save_form(form, spec.save, obj)
        if saved is not None:
            flash(spec.saved(saved), "success")
            return redirect(spec.after_save(saved))
    delete_url = url_for(f"directory.{spec.name}_delete", **{spec.id_arg: obj.id}) if obj else None
    page = render_template(
        FORM,
        form=form,
        title=spec.title_edit if obj else spec.title_new,
        message=message,
        loose_errors=loose,
        cancel_url=spec.home(obj),
        delete_url=delete_url,
        hints=spec.hints(obj),
    )
    return page, status


def _delete_page(spec: Editing, obj: Any) -> Any:
    """GET asks for confirmation (works without JavaScript); POST deletes or says why not."""
    require_editor()
    if request.method == "POST":
        try:
            services.delete_record(actor(), obj)
        except Conflict as exc:
            flash(str(exc.message), "error")
            return redirect(spec.home(obj))
        flash(spec.deleted(obj), "success")
        return redirect(spec.home(None))
    return render_template(CONFIRM, obj=obj, form=ConfirmForm(), cancel_url=spec.home(obj))


def register_editing(spec: Editing) -> None:
    @requires(Permission.DIRECTORY_EDIT)
    def new() -> Any:
        return _form_page(spec, None)

    @requires(Permission.DIRECTORY_EDIT)
    def edit(**ids: int) -> Any:
        return _form_page(spec, services.get_record(spec.model, ids[spec.id_arg], current_actor()))

    @requires(Permission.DIRECTORY_EDIT)
    def delete(**ids: int) -> Any:
        return _delete_page(
            spec, services.get_record(spec.model, ids[spec.id_arg], current_actor())
        )

    both = ["GET", "POST"]
    item = f"/{spec.path}/<int:{spec.id_arg}>"
    bp.add_url_rule(
        f"/{spec.path}/new",
        f"{spec.name}_new",
        new,
        methods=both,
    )
    bp.add_url_rule(f"{item}/edit", f"{spec.name}_edit", edit, methods=both)
    bp.add_url_rule(
        f"{item}/delete",
        f"{spec.name}_delete",
        delete,
        methods=both,
    )
