"""WSGI entry point for gunicorn/uWSGI: ``gunicorn -k gevent wsgi:app``.

Importing :mod:`meetcoord.server` first applies the eventlet/gevent monkey-patching chosen
by ``MEETCOORD_ASYNC_MODE`` before Flask or anything else is imported.
"""

import meetcoord.server
from meetcoord import create_app

app = create_app()

if __name__ == "__main__":
    meetcoord.server.main()
