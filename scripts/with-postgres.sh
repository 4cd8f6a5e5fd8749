#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL cluster on loopback and
# AKKOORD_TEST_DATABASE_URL pointing at it; the cluster is removed afterwards.
#
#   scripts/with-postgres.sh cargo test -p akkoord-server
#
# Installs Debian's postgresql package when it is missing (needs root and apt-get). Where it
# truly cannot be installed it says SKIP loudly and runs the command without the variable, so
# the PostgreSQL tests skip; CI runs as root and gets it installed.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN="$(find_bin)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "with-postgres: installing postgresql (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    BIN="$(find_bin)"
  fi
fi
if [ -z "$BIN" ]; then
  echo "*** SKIP PostgreSQL: the postgresql package is not installed and cannot be installed here (need root + apt-get). The PostgreSQL tests will skip. ***" >&2
  exec "$@"
fi

# A free loopback port: nothing answers on it.
PORT=""
for _ in $(seq 1 50); do
  candidate=$(( 20000 + RANDOM % 40000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    PORT="$candidate"
    break
  fi
done
[ -n "$PORT" ] || { echo "with-postgres: no free port" >&2; exit 1; }

# Always under /tmp: the postgres user must be able to reach it, whatever TMPDIR says.
DIR="$(mktemp -d /tmp/akkoord-pg.XXXXXX)"
# initdb refuses to run as root: run the cluster as the postgres user the package created.
RUN=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$DIR"
  RUN=(runuser -u postgres --)
fi

stop() {
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

"${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -U akkoord --auth=trust -E UTF8 --no-locale >/dev/null
"${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-k $DIR -p $PORT -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null

export AKKOORD_TEST_DATABASE_URL="postgres://akkoord@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
