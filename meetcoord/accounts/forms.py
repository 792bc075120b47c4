"""Account forms: signing in, one's own password, and the administrator's account pages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from meetcoord.core.forms import ServiceForm


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Wajib diisi.")), Email(_l("Alamat email tidak valid."))],
    )
    password = PasswordField(
        _l("Kata sandi"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=200)]
    )
    remember = BooleanField(_l("Ingat saya di perangkat ini"))


ROLE_LABELS = {
    "admin": _l("Administrator"),
    "secretariat": _l("Sekretariat"),
    "viewer": _l("Pemantau (hanya baca)"),
}


def _role_choices() -> list[tuple[str, Any]]:
    return list(ROLE_LABELS.items())


class UserCreateForm(ServiceForm):
    email = StringField(_l("Email"), render_kw={"type": "email", "maxlength": 254})
    name = StringField(_l("Nama"), render_kw={"maxlength": 200})
    role = SelectField(_l("Peran"), choices=_role_choices)
    password = PasswordField(
        _l("Kata sandi awal"), render_kw={"autocomplete": "new-password", "maxlength": 200}
    )


class UserEditForm(ServiceForm):
    name = StringField(_l("Nama"), render_kw={"maxlength": 200})
    role = SelectField(_l("Peran"), choices=_role_choices)
    is_active_account = BooleanField(_l("Akun aktif (boleh masuk)"))


class PasswordResetForm(ServiceForm):
    password = PasswordField(
        _l("Kata sandi baru"), render_kw={"autocomplete": "new-password", "maxlength": 200}
    )


class PasswordChangeForm(ServiceForm):
    current_password = PasswordField(
        _l("Kata sandi saat ini"),
        render_kw={"autocomplete": "current-password", "maxlength": 200},
    )
    new_password = PasswordField(
        _l("Kata sandi baru"), render_kw={"autocomplete": "new-password", "maxlength": 200}
    )
    confirm_password = PasswordField(
        _l("Ulangi kata sandi baru"),
        render_kw={"autocomplete": "new-password", "maxlength": 200},
    )


class TokenCreateForm(ServiceForm):
    name = StringField(
        _l("Untuk apa token ini"),
        render_kw={"maxlength": 100, "placeholder": _l("mis. sinkronisasi SIPD")},
    )
    days = StringField(
        _l("Berlaku (hari)"),
        render_kw={"inputmode": "numeric", "maxlength": 4},
        description=_l("Kosongkan untuk masa berlaku bawaan (MEETCOORD_API_TOKEN_DEFAULT_DAYS)."),
    )
