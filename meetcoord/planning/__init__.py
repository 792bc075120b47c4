"""Planning synchronisation: proposals, the synchronisation matrix, villages under guidance."""
