"""The steps every kind of document shares, routed to the kind's own service.

The pages and the API both say "edit this document" or "finalise it"; which service does
it depends on the kind (minutes and addenda in ``workflow``, agreements in
``agreements``; an invitation letter is frozen from the start). One table here, so a new
kind is added in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meetcoord.access.actors import Actor
from meetcoord.core.errors import Conflict
from meetcoord.documents import agreements, workflow
from meetcoord.documents.models import Document, DocumentKind
from meetcoord.documents.rules import FROZEN_REFUSAL

# What an edit may change, per kind (besides ``version``), and the service that does it.
EDITORS: dict[DocumentKind, tuple[frozenset[str], Callable[..., Document]]] = {
    DocumentKind.MINUTES: (frozenset({"notes", "refresh"}), workflow.edit_minutes),
    DocumentKind.ADDENDUM: (frozenset({"corrections"}), workflow.edit_addendum),
    DocumentKind.AGREEMENT: (frozenset({"points", "parties"}), agreements.edit_agreement),
}


def editable_fields(document: Document) -> frozenset[str]:
    """The fields an edit of this document may carry; none for a letter."""
    entry = EDITORS.get(document.kind)
    return entry[0] | {"version"} if entry is not None else frozenset()


def edit(actor: Actor, document: Document, data: dict[str, Any]) -> Document:
    entry = EDITORS.get(document.kind)
    if entry is None:
        raise Conflict(FROZEN_REFUSAL)
    return entry[1](actor, document, data)


def finalise(
    actor: Actor, document: Document, version: Any = None, early_close: Any = None
) -> Document:
    """``early_close``: the secretariat's reason to end the comment round before its time."""
    if document.kind is DocumentKind.AGREEMENT:
        return agreements.finalise_agreement(actor, document, version)
    return workflow.finalise(actor, document, version, early_close)  # refuses other kinds
