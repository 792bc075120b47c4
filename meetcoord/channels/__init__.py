"""A meeting's online channels: its video meeting link, livestreams and recordings (issue 15)."""
