#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for the tests and for developers.
#   bash Scripts/postgres.sh start    initdb (first time) and start it; prints its URL
#   bash Scripts/postgres.sh url      prints the URL
#   bash Scripts/postgres.sh status   says whether it runs (exit status 0 when it does)
#   bash Scripts/postgres.sh stop     stops it and removes its folder
# The cluster lives in $ALIGNTM_PG_DIR (default ${TMPDIR:-/tmp}/aligntm-pg) and listens on
# 127.0.0.1:$ALIGNTM_PG_PORT (default 54329), trust authentication for the user aligntm. fsync stays
# on: the tests check crash safety. As root, the server runs as Debian's `postgres` user (initdb
# refuses root).
set -euo pipefail
dir=${ALIGNTM_PG_DIR:-${TMPDIR:-/tmp}/aligntm-pg}
port=${ALIGNTM_PG_PORT:-54329}
data=$dir/data
url="postgresql://aligntm@127.0.0.1:$port/postgres"

bin=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
    bin=$candidate
    break
  fi
done
if [ -z "$bin" ] && command -v pg_ctl >/dev/null 2>&1; then bin=$(dirname "$(command -v pg_ctl)"); fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  [ -n "$bin" ] && [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

need_binaries() {
  if [ -z "$bin" ]; then
    echo "postgres.sh: no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin;" \
      "install them with: bash Scripts/install-deps.sh --test" >&2
    exit 1
  fi
}

case "${1:-}" in
  start)
    need_binaries
    if running; then
      echo "$url"
      exit 0
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      if ! id postgres >/dev/null 2>&1; then
        echo "postgres.sh: running as root needs the postgres user (Debian's postgresql package makes it)" >&2
        exit 1
      fi
      chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$data"
      as_owner "$bin/initdb" -D "$data" -E UTF8 --locale=C.UTF-8 -U aligntm --auth=trust >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
      }
    fi
    # The log file stays outside the data folder, in the cluster folder (owned by the server's user).
    if ! as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c fsync=on" \
      start >/dev/null; then
      echo "postgres.sh: the server did not start; its log:" >&2
      tail -n 20 "$dir/server.log" >&2 || true
      exit 1
    fi
    echo "$url"
    ;;
  stop)
    if running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    rm -rf "$dir"
    ;;
  url)
    echo "$url"
    ;;
  status)
    if running; then
      echo "running: $url ($dir)"
    else
      echo "not running ($dir)"
      exit 1
    fi
    ;;
  *)
    echo "usage: bash Scripts/postgres.sh start|stop|url|status" >&2
    exit 2
    ;;
esac
