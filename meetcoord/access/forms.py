"""Forms of the institutions' admin pages; their rules live in ``access.services``."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField

try:  # WTForms ≥ 3.3 wants option objects; older releases take (value, label) pairs
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3
    SelectChoice = None

from meetcoord.access.models import MemberRole
from meetcoord.core.forms import ServiceForm

MEMBER_ROLE_LABELS = {
    MemberRole.ADMIN.value: _l("Administrator"),
    MemberRole.SECRETARIAT.value: _l("Sekretariat"),
    MemberRole.VIEWER.value: _l("Pemantau (hanya baca)"),
}


def options(pairs: Any) -> list[Any]:
    """Select options in the form the installed WTForms expects."""
    if SelectChoice is None:  # pragma: no cover
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


ROLE_OPTIONS = list(MEMBER_ROLE_LABELS.items())


class InstitutionForm(ServiceForm):
    name = StringField(_l("Nama (kop surat)"), render_kw={"required": True, "maxlength": 200})
    short_name = StringField(_l("Singkatan"), render_kw={"maxlength": 60})
    address = StringField(_l("Alamat"), render_kw={"maxlength": 300})
    city = StringField(_l("Kota tempat surat dibuat"), render_kw={"maxlength": 120})
    logo_path = StringField(
        _l("Berkas logo di server (PNG/JPEG)"),
        render_kw={"maxlength": 500, "placeholder": "/srv/meetcoord/logo-bappeda.png"},
    )
    mail_sender_name = StringField(_l("Nama pengirim surel"), render_kw={"maxlength": 200})
    letter_number_pattern = StringField(
        _l("Pola nomor surat"),
        render_kw={"required": True, "maxlength": 120, "placeholder": "005/{seq}/BAPPEDA/{year}"},
    )
    letter_signer_name = StringField(_l("Nama penanda tangan surat"), render_kw={"maxlength": 200})
    letter_signer_position = StringField(
        _l("Jabatan penanda tangan surat"), render_kw={"maxlength": 200}
    )
    organization_id = SelectField(_l("Organisasi di direktori (opsional)"), choices=[])


class MemberForm(ServiceForm):
    user_id = SelectField(_l("Akun"), choices=[])
    role = SelectField(_l("Peran"), choices=options(ROLE_OPTIONS))


class MemberRoleForm(ServiceForm):
    role = SelectField(_l("Peran"), choices=options(ROLE_OPTIONS))
