"""The base for forms whose rules live in a service.

Forms carry fields and CSRF only: the raw values go to the service, and the service's
field map comes back beside the fields, so a form, the JSON API and a CSV import refuse the
same input with the same message. Field names equal the service's field names on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field, SubmitField

from meetcoord.core.errors import Conflict, ValidationError

SAVE = _l("Simpan")


class ServiceForm(FlaskForm):
    submit = SubmitField(SAVE)

    def values(self) -> dict[str, Any]:
        skip = {"csrf_token", "submit"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}

    def apply_errors(self, errors: dict[str, list[Any]]) -> list[str]:
        """Put a service's field map beside the fields; return what belongs to no field."""
        loose: list[str] = []
        for name, messages in errors.items():
            field: Field | None = self._fields.get(name)
            if field is None:
                loose.extend(f"{name}: {m}" for m in messages)
            else:
                field.errors = [str(m) for m in messages]
        return loose


def current_actor() -> Any:
    """The signed-in user as a plain object: services keep it past the request proxy."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def save_form(
    form: ServiceForm,
    save: Callable[..., Any],
    *args: Any,
) -> tuple[Any, str | None, list[str], int]:
    """Call ``save(actor, *args_before, values)``-style services; put refusals on the form.

    ``save`` receives the actor, the form's values, then ``args``. Returns (saved object or
    None, general message, errors that belong to no field, HTTP status). The service checks
    everything before it writes, so a refusal changes nothing.
    """
    try:
        return save(current_actor(), form.values(), *args), None, [], 200
    except (ValidationError, Conflict) as exc:
        loose = form.apply_errors(exc.errors)
        return None, str(exc.message), loose, exc.status
