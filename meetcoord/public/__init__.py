"""Public pages of a meeting, a series or a forum: decisions and action progress, no people."""
