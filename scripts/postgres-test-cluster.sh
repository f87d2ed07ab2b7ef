#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store's contract tests, assuming no system service:
#   scripts/postgres-test-cluster.sh start [DIR]   creates DIR (default: a new temporary directory), runs initdb in
#                                                  it, starts the server on a Unix socket in DIR only (no TCP port,
#                                                  so nothing else on the machine can reach it and no port can clash),
#                                                  creates the database pinn_test and prints its connection URL
#   scripts/postgres-test-cluster.sh stop DIR|URL  stops that server and deletes DIR
# initdb and postgres refuse to run as root, so as root they run as the `postgres` user (Debian's postgresql
# package creates it), which then owns DIR. Trust authentication is safe here: the socket's directory is 0700.
# Durability is switched off (fsync, synchronous_commit): the cluster lives for one test run.
set -euo pipefail

bindir="$(pg_config --bindir 2>/dev/null || true)"
if [ ! -x "$bindir/initdb" ]; then
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
fi
[ -x "$bindir/initdb" ] || { echo "postgres-test-cluster: initdb not found (install Debian's postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    dir="${2:-$(mktemp -d /tmp/pinn-pg.XXXXXX)}"
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "postgres-test-cluster: no postgres user (install Debian's postgresql)" >&2; exit 1; }
        chown postgres: "$dir"
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h "$dir" -U postgres pinn_test
    echo "postgresql:///pinn_test?host=$dir&user=postgres"
    ;;
stop)
    target="${2:?usage: $0 stop DIR|URL}"
    dir="$target"
    if [[ "$target" == postgres* ]]; then
        dir="$(sed -n 's/.*[?&]host=\([^&]*\).*/\1/p' <<<"$target")"
    fi
    [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "postgres-test-cluster: no cluster in '$dir'" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start [DIR] | stop DIR|URL" >&2
    exit 2
    ;;
esac
