#!/usr/bin/env bash
# `make test`'s suite: the SQLite pass and, when MEETCOORD_TEST_DATABASE_URL is set, the
# PostgreSQL pass (browser tests apart: they start their own SQLite server whatever the
# backend) side by side. Each takes ~30 minutes on one core; one after the other they filled
# most of CI's 90. Each writes its own log under test-artifacts/ (a line of progress every
# minute here), and the logs are printed when both are done; the exit code is a failure if
# either failed. Arguments go to both pytest runs.
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
mkdir -p test-artifacts

if [ -z "${MEETCOORD_TEST_DATABASE_URL:-}" ]; then
    echo "MEETCOORD_TEST_DATABASE_URL is not set: SQLite pass only"
    exec "$BIN/pytest" "$@"
fi

side_env=$("$BIN/python" -m tests.suites.side_services) || exit 1
echo "== SQLite pass and PostgreSQL pass side by side; logs in test-artifacts/"
(
    # shellcheck disable=SC2046  # the NAME=value lines are meant to split
    env $side_env "$BIN/pytest" --basetemp=test-artifacts/tmp-sqlite "$@" \
        >test-artifacts/sqlite.log 2>&1
) &
sqlite_pid=$!
MEETCOORD_TEST_BACKEND=postgres "$BIN/pytest" -m "not browser" \
    --basetemp=test-artifacts/tmp-postgres "$@" >test-artifacts/postgres.log 2>&1 &
postgres_pid=$!

while kill -0 "$sqlite_pid" 2>/dev/null || kill -0 "$postgres_pid" 2>/dev/null; do
    sleep 60
    for pass in sqlite postgres; do
        printf '%s: %s\n' "$pass" "$(tail -c 300 "test-artifacts/$pass.log" | tr '\n' ' ' | tail -c 90)"
    done
done
wait "$sqlite_pid"; sqlite_rc=$?
wait "$postgres_pid"; postgres_rc=$?

for pass in sqlite postgres; do
    echo "================================ $pass pass ================================"
    cat "test-artifacts/$pass.log"
done
echo "SQLite pass exit $sqlite_rc, PostgreSQL pass exit $postgres_rc"
[ "$sqlite_rc" -eq 0 ] && [ "$postgres_rc" -eq 0 ]
