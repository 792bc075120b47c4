"""Follow-up actions (tindak lanjut) owed by an agency after a decision."""
