"""The notice a person gets at their old address when the secretariat changes it.

A person's address is where their invitations, personal links and signing codes go, and
staff can edit it. A change nobody asked for is how a staff account would take over
someone's mail, so the old address is told at once — who changed it, to what, and when
(in the person's own zone) — through the outbox, in the same transaction as the change.
"""

from __future__ import annotations

from flask import current_app

from meetcoord.core import outbox
from meetcoord.core.db import utcnow
from meetcoord.core.timezones import format_long_date, format_time_in_zone
from meetcoord.directory.models import Person

DEFAULT_ZONE = "Asia/Jakarta"


def queue_address_changed(person: Person, old: str, new: str | None, by: str) -> None:
    """Tell ``old`` that ``person``'s address became ``new`` (None: removed), by ``by``."""
    zone = person.zone or current_app.config.get("HOME_TIMEZONE") or DEFAULT_ZONE
    now = utcnow()
    when = f"{format_long_date(now, zone)} pukul {format_time_in_zone(now, zone)}"
    body = (
        f"Yth. {person.name},\n\n"
        f"Alamat surel Anda di layanan rapat {current_app.config['INSTITUTION_NAME']} "
        f"diubah oleh {by} pada {when}:\n\n"
        f"    dari  {old}\n"
        f"    ke    {new or '(dikosongkan)'}\n\n"
        "Undangan, tautan pribadi, dan kode tanda tangan berikutnya dikirim ke alamat "
        "yang baru. Kode tanda tangan untuk dokumen yang sudah difinalkan tetap dikirim ke "
        "alamat lama Anda.\n\n"
        "Bila perubahan ini bukan atas permintaan Anda, segera hubungi sekretariat.\n"
    )
    message = outbox.text_message(old, person.name, "Alamat surel Anda diubah", body)
    outbox.enqueue(
        kind="address_changed",
        recipient=old,
        subject=str(message["Subject"]),
        message=message.as_bytes(),
        ref_type="person",
        ref_id=person.id,
    )
