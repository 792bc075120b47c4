"""The live meeting room: one event log per meeting, broadcast to every site (DESIGN §5)."""
