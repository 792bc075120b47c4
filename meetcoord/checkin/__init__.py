"""Attendance at every site: kiosk codes, signed personal credentials, desks, lists."""
