#!/usr/bin/env bash
# The tests, as CI runs them: installs what they use, starts a PostgreSQL cluster on a loopback
# port for them (Scripts/postgres.sh; stopped and removed on exit, whatever happens), builds and
# runs `swift test` with the arguments given (`bash Scripts/test.sh --filter PostgresConnection`).
# ALIGNTM_TEST_POSTGRES already set: that server is used and no cluster is started.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh --test
# What the tests' commands cache (compiled lexicons, PostgreSQL memories' indexes) goes to a folder
# of this run, removed on exit, not into ~/.cache: a run makes hundreds of test databases.
cleanup=()
trap 'for step in "${cleanup[@]}"; do eval "$step" || true; done' EXIT
if [ -z "${ALIGNTM_CACHE_DIR:-}" ]; then
  ALIGNTM_CACHE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aligntm-test-cache.XXXXXX")
  export ALIGNTM_CACHE_DIR
  cleanup+=("rm -rf '$ALIGNTM_CACHE_DIR'")
fi
if [ -z "${ALIGNTM_TEST_POSTGRES:-}" ]; then
  # A cluster of its own, so that a developer's running one (Scripts/postgres.sh start) is left alone.
  export ALIGNTM_PG_DIR=${ALIGNTM_TEST_PG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/aligntm-test-pg.XXXXXX")}
  export ALIGNTM_PG_PORT=${ALIGNTM_TEST_PG_PORT:-54339}
  cleanup=("bash Scripts/postgres.sh stop" "${cleanup[@]}")
  ALIGNTM_TEST_POSTGRES=$(bash Scripts/postgres.sh start)
  export ALIGNTM_TEST_POSTGRES
fi
swift build --build-tests
swift test "$@"
