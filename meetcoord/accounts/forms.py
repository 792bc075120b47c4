"""Account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(_l("Wajib diisi.")), Email(_l("Alamat email tidak valid."))],
    )
    password = PasswordField(
        _l("Kata sandi"), validators=[DataRequired(_l("Wajib diisi.")), Length(max=200)]
    )
    remember = BooleanField(_l("Ingat saya di perangkat ini"))
