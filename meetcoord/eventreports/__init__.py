"""The event report (laporan kegiatan) of a meeting, its PDF and DOCX, and a series' book."""
