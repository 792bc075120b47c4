"""Reminders: mail that goes out because time passed, not because someone clicked.

A reminder is a row with a unique key (:mod:`.models`), written in the same transaction
as its outbox message, so running the sender twice — cron and the in-process worker, or
two workers racing — never mails anyone twice. People mute reminders with one click from
the mail itself (RFC 8058, :mod:`.mute`).
"""
