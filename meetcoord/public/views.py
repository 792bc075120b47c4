"""Public pages ``/p/<slug>`` and the staff's switch that opens or closes them.

The public page needs no login and sets no cookie: its layout (``public/layout.html``)
has no form and no CSRF token, the language is chosen by ``?lang=en`` in the address
alone (Indonesian without it) so that a shared cache may keep it for five minutes, and a
slug never issued or a page turned off answer the same 404 body. It is rate limited per
address as the other public routes are.

The staff's switch (``/publication/<kind>/<id>``) is its own confirmation step: the
meeting, series and forum pages link to it, it says what turning on or off will do, and
only its form changes anything.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from meetcoord.access import resolve
from meetcoord.access.declare import requires
from meetcoord.access.permissions import Permission, allowed, require
from meetcoord.actions.queries import today
from meetcoord.core.errors import NotFound
from meetcoord.core.i18n import LANGUAGES
from meetcoord.extensions import limiter
from meetcoord.public import content, services
from meetcoord.public.models import Publication, SubjectType

bp = Blueprint("public", __name__)

PUBLIC_LIMIT = "60 per minute;600 per hour"
public_limit = limiter.limit(PUBLIC_LIMIT)
CACHE = {"Cache-Control": "public, max-age=300"}
NOT_FOUND_HEADERS = {"Cache-Control": "no-store"}
# Shown without ?lang: the public's default language.
DEFAULT_LANGUAGE = "id"
KIND_LABELS = {
    SubjectType.MEETING: _l("Rapat"),
    SubjectType.SERIES: _l("Seri rapat"),
    SubjectType.FORUM: _l("Forum"),
}


def public_language() -> str:
    """``?lang=en`` or Indonesian: the address alone decides (the page is cached)."""
    chosen = request.args.get("lang", DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


@bp.get("/p/<slug>")
@requires(Permission.PUBLIC)
@public_limit
def page(slug: str) -> Any:
    lang = public_language()
    with force_locale(lang):
        try:
            publication, subject = services.published(slug)
        except NotFound:
            return render_template("public/not_found.html", lang=lang), 404, NOT_FOUND_HEADERS
        shown = content.page(publication.subject_type.value, subject, today())
        html = render_template("public/page.html", page=shown, slug=slug, lang=lang)
    return html, 200, CACHE


# --- the staff's switch ------------------------------------------------------------------


def subject_url(kind: SubjectType, subject_id: int) -> str:
    """The staff page the switch belongs to: the meeting, the series, the forum."""
    if kind is SubjectType.MEETING:
        return url_for("meetings.detail", meeting_id=subject_id)
    if kind is SubjectType.SERIES:
        return url_for("meetings.edit_series", series_id=subject_id)
    return url_for("directory.forum_detail", forum_id=subject_id)


def public_url(publication: Publication | None) -> str | None:
    if publication is None or not publication.is_enabled:
        return None
    return url_for("public.page", slug=publication.slug, _external=True)


def manage(kind: SubjectType, subject_id: int) -> Any:
    actor = resolve.account()
    subject = services.subject_for(actor, kind, subject_id)
    state = request.form.get("state") if request.method == "POST" else None
    if state == "on":
        services.enable(actor, kind, subject)
        flash(_("Halaman publik dibuka."), "success")
        return redirect(request.path, 303)
    if state == "off":
        services.disable(actor, kind, subject)
        flash(_("Halaman publik ditutup."), "success")
        return redirect(request.path, 303)
    require(actor, services.MANAGE[kind], subject)
    publication = services.publication_of(kind, subject.id)
    refused = request.method == "POST"  # neither on nor off: say so, change nothing
    return render_template(
        "public/manage.html",
        kind=kind,
        kind_label=_(KIND_LABELS[kind]),
        subject=subject,
        name=getattr(subject, "title", None) or getattr(subject, "name", ""),
        publication=publication,
        url=public_url(publication),
        back_url=subject_url(kind, subject.id),
        message=_("Pilih membuka atau menutup halaman publik.") if refused else None,
    ), (400 if refused else 200)


def _switch(kind: SubjectType) -> Any:
    def view(subject_id: int) -> Any:
        return manage(kind, subject_id)

    view.__name__ = f"manage_{kind.value}"
    view.__qualname__ = view.__name__
    view.__doc__ = f"Open or close the public page of a {kind.value}."
    return view


for _kind in SubjectType:
    bp.add_url_rule(
        f"/publication/{_kind.value}/<int:subject_id>",
        view_func=requires(services.MANAGE[_kind])(_switch(_kind)),
        methods=["GET", "POST"],
    )


def publication_state(kind: str, subject_id: int) -> dict[str, Any]:
    """For the meeting, series and forum pages: whether the page is on, and may I switch it."""
    found = services.publication_of(kind, subject_id)
    return {
        "enabled": bool(found and found.is_enabled),
        "url": url_for(f"public.manage_{kind}", subject_id=subject_id),
    }


def may_publish(kind: str, subject: Any) -> bool:
    return allowed(resolve.account(), services.MANAGE[SubjectType(kind)], subject)


bp.add_app_template_global(publication_state, "publication_state")
bp.add_app_template_global(may_publish, "may_publish")
