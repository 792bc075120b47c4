"""The secretariat's outbox: what each institution's mail is doing (pages over core.outbox)."""
