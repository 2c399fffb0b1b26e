#!/usr/bin/env bash
# Run the database-facing tests against a throw-away PostgreSQL server on a loopback port.
# The server lives in a temporary directory and is stopped (and removed) whatever happens.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "pg_test: PostgreSQL server binaries not found (scripts/ensure_system.sh test)" >&2; exit 1; }
port=${PG_TEST_PORT:-54329}
tmp=$(mktemp -d /tmp/yingji-pg.XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then chown postgres "$tmp"; as=(runuser -u postgres --); fi
stop() {
  "${as[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT
"${as[@]}" "$pgbin/initdb" -D "$tmp/data" -U yingji --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
"${as[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U yingji yingji
echo "pg_test: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
cd "$root"
DATABASE_URL="postgres://yingji@127.0.0.1:$port/yingji" .venv/bin/pytest -m "db and not browser" -q "$@"
