"""The audit trail in words: what was done ("create", "registration.accept") and to what
("meetings", "people") as a secretariat reads them, in Indonesian or English.

The codes stay in the database (they are what a filter or an export matches on); only the
page speaks. A code no one named yet reads as itself: the test
``tests/accounts/test_audit_labels.py`` fails on any code the source records and this table
does not name, so that fallback is a safety net, not the rule.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

ACTION_LABELS: dict[str, Any] = {
    "create": _l("membuat"),
    "update": _l("mengubah"),
    "delete": _l("menghapus"),
    "import": _l("mengimpor"),
    "replace": _l("mengganti"),
    "upload": _l("mengunggah"),
    "retry": _l("mengirim ulang"),
    "revoke": _l("mencabut"),
    "rotate_secret": _l("mengganti rahasia"),
    "send_invitations": _l("mengirim undangan"),
    "dismiss": _l("mengabaikan"),
    "match": _l("mencocokkan"),
    "confirm": _l("mengonfirmasi"),
    "close": _l("menutup"),
    "end": _l("mengakhiri"),
    "cancel": _l("membatalkan"),
    "clone": _l("menyalin"),
    "schedule": _l("mengirim undangan"),
    "invite": _l("mengundang"),
    "rsvp": _l("menjawab undangan"),
    "stand_in": _l("menunjuk wakil"),
    "finalize": _l("memfinalkan"),
    "role": _l("mengubah peran"),
    "change_password": _l("mengganti kata sandi"),
    "reset_password": _l("mengatur ulang kata sandi"),
    "end_sessions": _l("mengakhiri semua sesi masuk"),
    "resend_link": _l("mengirim ulang tautan pribadi"),
    "create_series": _l("membuat seri rapat"),
    "update_series": _l("mengubah seri rapat"),
    "add_site": _l("menambah lokasi"),
    "update_site": _l("mengubah lokasi"),
    "remove_site": _l("menghapus lokasi"),
    "add_agenda": _l("menambah agenda"),
    "update_agenda": _l("mengubah agenda"),
    "remove_agenda": _l("menghapus agenda"),
    "reorder_agenda": _l("mengurutkan agenda"),
    "add_channel": _l("menambah saluran daring"),
    "update_channel": _l("mengubah saluran daring"),
    "remove_channel": _l("menghapus saluran daring"),
    "add_member": _l("menambah anggota"),
    "remove_member": _l("mengeluarkan anggota"),
    "update_invitation": _l("mengubah undangan"),
    "withdraw_invitation": _l("menarik undangan"),
    "agency_link.issue": _l("menerbitkan tautan instansi"),
    "agency_link.revoke": _l("mencabut tautan instansi"),
    "speaker_link.issue": _l("menerbitkan tautan pembicara"),
    "speaker_link.revoke": _l("mencabut tautan pembicara"),
    "material.upload": _l("mengunggah bahan"),
    "material.delete": _l("menghapus bahan"),
    "proposal.create": _l("membuat usulan"),
    "proposal.update": _l("mengubah usulan"),
    "proposal.import": _l("mengimpor usulan"),
    "proposal.merge": _l("menggabungkan usulan"),
    "proposal_tracking.enable": _l("membuka pelacakan usulan"),
    "proposal_tracking.disable": _l("menutup pelacakan usulan"),
    "publication.enable": _l("menerbitkan halaman publik"),
    "publication.disable": _l("menutup halaman publik"),
    "registration.enable": _l("membuka pendaftaran"),
    "registration.disable": _l("menutup pendaftaran"),
    "registration.settings": _l("mengubah pengaturan pendaftaran"),
    "registration.accept": _l("menerima pendaftar"),
    "registration.move_up": _l("menaikkan pendaftar dari daftar tunggu"),
    "registration.pending": _l("mengembalikan pendaftar ke antrean"),
    "registration.accepted": _l("menerima pendaftar"),
    "registration.waitlisted": _l("memasukkan pendaftar ke daftar tunggu"),
    "registration.rejected": _l("menolak pendaftar"),
    "registration.cancelled": _l("membatalkan pendaftaran"),
    "reminder_settings.update": _l("mengubah pengaturan pengingat"),
    "sync_mark.action": _l("menandai tindak lanjut"),
    "question.approve": _l("menyetujui pertanyaan"),
    "question.hide": _l("menyembunyikan pertanyaan"),
    "question.merge": _l("menggabungkan pertanyaan"),
    "question.pick": _l("memilih pertanyaan"),
    "question.answer": _l("menandai pertanyaan terjawab"),
}

ENTITY_LABELS: dict[str, Any] = {
    "action_evidence": _l("bukti tindak lanjut"),
    "action_updates": _l("laporan tindak lanjut"),
    "actions": _l("tindak lanjut"),
    "agency_links": _l("tautan instansi"),
    "agenda_items": _l("agenda"),
    "api_tokens": _l("token API"),
    "attendances": _l("kehadiran"),
    "decisions": _l("keputusan"),
    "documents": _l("dokumen"),
    "event_reports": _l("laporan kegiatan"),
    "forum_members": _l("anggota forum"),
    "forums": _l("forum"),
    "institution_memberships": _l("keanggotaan penyelenggara"),
    "institutions": _l("penyelenggara"),
    "invitations": _l("undangan"),
    "materials": _l("bahan rapat"),
    "meeting_channels": _l("saluran daring"),
    "meeting_series": _l("seri rapat"),
    "meeting_sites": _l("lokasi rapat"),
    "meetings": _l("rapat"),
    "organizations": _l("instansi"),
    "outbox_messages": _l("surat keluar"),
    "people": _l("orang"),
    "platform_imports": _l("impor platform daring"),
    "proposal_trackings": _l("pelacakan usulan"),
    "proposals": _l("usulan"),
    "publications": _l("halaman publik"),
    "questions": _l("pertanyaan"),
    "registration_settings": _l("pengaturan pendaftaran"),
    "registrations": _l("pendaftaran"),
    "reminder_settings": _l("pengaturan pengingat"),
    "speaker_links": _l("tautan pembicara"),
    "sync_marks": _l("tanda sinkronisasi"),
    "users": _l("akun staf"),
    "venues": _l("tempat"),
    "village_indexes": _l("indeks desa"),
}


def action_label(code: str) -> str:
    """What was done, in the reader's language; an unnamed code reads as itself."""
    return str(ACTION_LABELS.get(code, code))


def entity_label(table: str) -> str:
    """What was touched, in the reader's language; an unnamed table reads as itself."""
    return str(ENTITY_LABELS.get(table, table))
