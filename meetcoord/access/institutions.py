"""Which institution a staff member acts for, and the letterhead an institution prints.

Two questions every feature asks and none should answer by hand:

- *Whose is this new meeting, series or forum?* The actor's institution: their only one,
  or the one they chose when they work for several — and only one they work for
  (:func:`acting_institution`).
- *Whose letterhead, sender and numbers does this letter or mail carry?* Its meeting's
  institution (:func:`letterhead_for`); the ``MEETCOORD_INSTITUTION_*`` settings only
  where there is no meeting (a personal link sent again, the page footer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from meetcoord.access.models import WORKING_ROLES, Institution, MemberRole, Membership
from meetcoord.core.errors import PermissionDenied, ValidationError
from meetcoord.extensions import db

if TYPE_CHECKING:
    from meetcoord.accounts.models import User

NOT_A_MEMBER = _l("Anda bukan sekretariat penyelenggara ini.")
CHOOSE = _l("Pilih penyelenggara: Anda bekerja untuk lebih dari satu.")
NO_INSTITUTION = _l("Akun Anda belum menjadi sekretariat penyelenggara mana pun.")
UNKNOWN = _l("Penyelenggara tidak ditemukan.")


@dataclass(frozen=True)
class Letterhead:
    """What a letter, a PDF and a mail of one institution print about their sender."""

    name: str
    address: str | None
    logo: str | None
    city: str | None
    sender_name: str
    letter_number_pattern: str
    signer_name: str | None
    signer_position: str | None
    institution_id: int | None = None

    def header(self) -> dict[str, Any]:
        """The three values the PDF letterhead takes (``core.pdf.letterhead``)."""
        return {"institution": self.name, "address": self.address, "logo": self.logo}


def configured_letterhead() -> Letterhead:
    """The settings' letterhead: for what belongs to no meeting."""
    config = current_app.config
    return Letterhead(
        name=config["INSTITUTION_NAME"],
        address=config.get("INSTITUTION_ADDRESS") or None,
        logo=config.get("INSTITUTION_LOGO") or None,
        city=config.get("INSTITUTION_CITY") or None,
        sender_name=config["INSTITUTION_NAME"],
        letter_number_pattern=config["LETTER_NUMBER_PATTERN"],
        signer_name=config.get("LETTER_SIGNER_NAME") or None,
        signer_position=config.get("LETTER_SIGNER_POSITION") or None,
    )


def institution_letterhead(institution: Institution) -> Letterhead:
    return Letterhead(
        name=institution.name,
        address=institution.address,
        logo=institution.logo_path,
        city=institution.city,
        sender_name=institution.sender_name,
        letter_number_pattern=institution.letter_number_pattern,
        signer_name=institution.letter_signer_name,
        signer_position=institution.letter_signer_position,
        institution_id=institution.id,
    )


def letterhead_for(owner: Any | None) -> Letterhead:
    """The letterhead of a meeting or document (anything with ``institution``), or the
    settings' when there is none."""
    institution = getattr(owner, "institution", None) if owner is not None else None
    if institution is None:
        return configured_letterhead()
    return institution_letterhead(institution)


def memberships_of(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.user_id == user.id)
            .join(Membership.institution)
            .order_by(Institution.name)
        )
    )


def working_institutions(user: User) -> list[Institution]:
    """Where ``user`` may create and run work: as admin or secretariat of it, or every
    institution for an administrator of the installation."""
    if user.is_admin():
        return list(db.session.scalars(select(Institution).order_by(Institution.name)))
    return [m.institution for m in memberships_of(user) if m.role in WORKING_ROLES]


def institution_choices(user: User | None, current: int | None = None) -> list[tuple[str, str]]:
    """Select options for "whose is this": the actor's working institutions, and the
    record's present owner; with several, nothing is chosen for the actor."""
    mine = working_institutions(user) if user is not None else []
    if current is not None and all(inst.id != current for inst in mine):
        present = db.session.get(Institution, current)
        mine = [*mine, present] if present is not None else mine
    pairs = [(str(inst.id), inst.name) for inst in mine]
    return pairs if len(pairs) == 1 else [("", str(_l("— pilih —"))), *pairs]


def all_institution_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Institution.id, Institution.name).order_by(Institution.name))
    return [(str(row.id), row.name) for row in rows]


def acting_institution(
    user: User | None, chosen: int | None = None, *, field: str = "institution_id"
) -> Institution:
    """The institution new work of ``user`` belongs to.

    Their only working institution, or ``chosen`` when they have several; ``chosen`` must
    be one of theirs either way (a secretariat of NTB cannot file a meeting under SBD).
    """
    if user is None:
        raise PermissionDenied(NO_INSTITUTION)
    mine = working_institutions(user)
    if chosen is not None:
        match = next((inst for inst in mine if inst.id == chosen), None)
        if match is None:
            if db.session.get(Institution, chosen) is None:
                raise ValidationError(UNKNOWN, errors={field: [UNKNOWN]})
            raise ValidationError(NOT_A_MEMBER, errors={field: [NOT_A_MEMBER]})
        return match
    if not mine:
        raise PermissionDenied(NO_INSTITUTION)
    if len(mine) > 1:
        raise ValidationError(CHOOSE, errors={field: [CHOOSE]})
    return mine[0]


def require_existing(institution_id: int | None, field: str) -> Institution | None:
    """A referenced institution (a co-host), or the field's error."""
    if institution_id is None:
        return None
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        raise ValidationError(UNKNOWN, errors={field: [UNKNOWN]})
    return institution


def member_role_for(account_role: str) -> MemberRole:
    """An account's role as its role in an institution (admin, secretariat, else viewer)."""
    return {"admin": MemberRole.ADMIN, "secretariat": MemberRole.SECRETARIAT}.get(
        account_role, MemberRole.VIEWER
    )


def join_only_institution(user: User) -> Membership | None:
    """A new account in a one-institution installation joins it with its own role.

    In the common case (one Bappeda, one installation) nobody has to set memberships by
    hand; with several institutions, an administrator assigns them on the admin page.
    The caller commits.
    """
    institutions = list(db.session.scalars(select(Institution.id).limit(2)))
    if len(institutions) != 1:
        return None
    role = member_role_for(user.role.value)
    membership = Membership(user_id=user.id, institution_id=institutions[0], role=role)
    db.session.add(membership)
    return membership
