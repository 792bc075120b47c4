"""Background jobs a request starts and a client polls (``/api/v1/jobs/<id>``)."""
