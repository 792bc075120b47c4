"""Bulk create of organizations and people: one request, a result per row.

Per row, not all or nothing: an integrator synchronising 300 agencies from e-Musrenbang
wants the 297 good rows in and the 3 bad ones named, then sends those three again. Each
row goes through the very service a single create uses (same cleaning, same rules, same
audit, its own commit), so a row created here is the row ``POST /people`` would create.

A row whose natural key is already in the directory (an organization's name, as
:func:`name_key` folds it; a person's e-mail) is not created again: it answers
``exists`` with the id, whatever its other fields say (bulk create never updates). That
also makes a retried batch safe: the rows the first attempt created come back ``exists``.
A person without an e-mail has no natural key; send an ``Idempotency-Key`` to retry one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from meetcoord.accounts.models import User
from meetcoord.core.cleaning import name_key
from meetcoord.core.errors import Conflict, ServiceError, ValidationError
from meetcoord.core.validation import normalise_email
from meetcoord.directory.models import Organization, Person
from meetcoord.directory.services import require_editor, save_organization, save_person
from meetcoord.extensions import db

BULK_MAX = 500  # rows per request: a province's agencies fit, a whole register is paged

CREATED, EXISTS, ERROR = "created", "exists", "error"

Loader = Callable[[Any], Mapping[str, Any]]
"""Turns one raw row into service input, raising ``ValidationError`` for a wrong shape."""


@dataclass
class RowResult:
    index: int
    status: str
    id: int | None = None
    detail: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class BulkReport:
    results: list[RowResult]

    def count(self, status: str) -> int:
        return sum(1 for row in self.results if row.status == status)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def exists(self) -> int:
        return self.count(EXISTS)

    @property
    def failed(self) -> int:
        return self.count(ERROR)


def _existing_organization(data: Mapping[str, Any]) -> int | None:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    return db.session.scalar(select(Organization.id).where(Organization.name_key == name_key(name)))


def _existing_person(data: Mapping[str, Any]) -> int | None:
    email = data.get("email")
    if not isinstance(email, str) or not email.strip():
        return None
    try:
        address = normalise_email(email)
    except ValidationError:
        return None  # the service names the bad address in the row's errors
    return db.session.scalar(select(Person.id).where(func.lower(Person.email) == address))


SAVERS: dict[type, tuple[Callable[..., Any], Callable[[Mapping[str, Any]], int | None]]] = {
    Organization: (save_organization, _existing_organization),
    Person: (save_person, _existing_person),
}


def _failure(index: int, exc: ServiceError) -> RowResult:
    errors = {key: [str(message) for message in values] for key, values in exc.errors.items()}
    return RowResult(index=index, status=ERROR, detail=str(exc.message), errors=errors)


def bulk_create(actor: User | None, model: type, rows: Sequence[Any], load: Loader) -> BulkReport:
    """Create each row that is valid and new; report every row in the order sent.

    The actor's right to edit is checked once, before any row: without it nothing is
    created and the whole request is refused (403), as a single create would be.
    """
    require_editor(actor)
    save, existing_of = SAVERS[model]
    results: list[RowResult] = []
    for index, raw in enumerate(rows):
        try:
            data = load(raw)
            existing = existing_of(data)
            if existing is not None:
                results.append(RowResult(index=index, status=EXISTS, id=existing))
                continue
            obj = save(actor, data)
        except Conflict as exc:
            if "existing_id" in exc.extra:  # created by someone else since the look-up
                results.append(RowResult(index=index, status=EXISTS, id=exc.extra["existing_id"]))
            else:
                results.append(_failure(index, exc))
            continue
        except ValidationError as exc:
            results.append(_failure(index, exc))
            continue
        results.append(RowResult(index=index, status=CREATED, id=obj.id))
    return BulkReport(results=results)
