"""Public registration of a meeting (issue 15): settings, the public form, decisions."""
