"""Moderated questions per agenda item (issue 15, point 4): see :mod:`.live`."""
