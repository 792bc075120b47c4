"""The words every screen showing a question needs (the projector's, the questions page's)."""

from __future__ import annotations

from flask_babel import gettext as _


def question_strings() -> dict[str, str]:
    return {
        "qa_anonymous": _("Anonim"),
        "qa_anonymous_room": _("anonim bagi peserta lain"),
        "qa_votes": _("%(n)s dukungan"),
    }
