"""Who still refers to a row: the reason a delete is refused.

The answer is read from the schema itself (every foreign key that points at the row's
table), so a feature added later — meetings pointing at venues, invitations pointing at
people — is covered without touching the directory code. Foreign keys declared
``ON DELETE CASCADE`` mark rows the target owns (forum memberships), which go with it and
do not block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, inspect, select

from meetcoord.extensions import db


@dataclass(frozen=True)
class Reference:
    table: str
    column: str
    count: int


def find_references(obj: Any) -> list[Reference]:
    mapper = inspect(obj).mapper
    target = mapper.local_table
    pk_value = inspect(obj).identity[0]
    found: list[Reference] = []
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not target or fk.ondelete in ("CASCADE", "SET NULL"):
                continue
            count = db.session.scalar(
                select(func.count()).select_from(table).where(fk.parent == pk_value)
            )
            if count:
                found.append(Reference(table.name, fk.parent.name, int(count)))
    return found


# Labels for tables that can hold references, by table name; features register their own.
_LABELS: dict[str, Any] = {}


def register_reference_label(table: str, label: Any) -> None:
    """``label`` is a lazy string with a ``%(n)d`` placeholder, e.g. "%(n)d orang"."""
    _LABELS[table] = label


def describe_references(references: list[Reference]) -> str:
    parts = []
    for ref in references:
        label = _LABELS.get(ref.table)
        parts.append(str(label % {"n": ref.count}) if label else f"{ref.count} {ref.table}")
    return ", ".join(parts)
