"""Services for the SQLite pass when it runs beside the PostgreSQL pass (``make test``).

The SQLite pass has tests that need PostgreSQL and Redis too (two server processes on one
database through a real message queue). Run at the same time as the PostgreSQL pass, they
would empty the database the other pass is using (``reset_postgres``), so the SQLite pass
gets a database of its own next to the configured one (``<name>_sqlite_pass``, created when
missing) and the next Redis database number. Prints ``NAME=value`` lines for the shell.
"""

from __future__ import annotations

import os
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def side_database(url: str) -> str:
    """Create (once) and return a database beside ``url`` for the other pass."""
    parsed = make_url(url)
    name = f"{parsed.database}_sqlite_pass"
    admin = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def side_redis(url: str) -> str:
    """The Redis URL with the next database number (``/15`` → ``/14``)."""
    base, _, number = url.rpartition("/")
    if base.endswith(":/") or not number.isdigit():  # no database number given: 0 is used
        return url.rstrip("/") + "/1"
    return f"{base}/{(int(number) + 15) % 16}"


def main() -> int:
    database = os.environ.get("MEETCOORD_TEST_DATABASE_URL")
    redis = os.environ.get("MEETCOORD_TEST_REDIS_URL")
    if database:
        print(f"MEETCOORD_TEST_DATABASE_URL={side_database(database)}")
    if redis:
        print(f"MEETCOORD_TEST_REDIS_URL={side_redis(redis)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
