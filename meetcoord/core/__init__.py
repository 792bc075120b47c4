"""Mechanisms shared by every feature: storage base, time zones, tokens, errors, audit."""
