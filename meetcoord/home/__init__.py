"""The staff home page: what needs attention today across the actor's institutions."""
