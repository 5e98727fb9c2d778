#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests: loopback only, a free port, a fresh cluster in a temporary
# directory, a random password. Never touches the system's clusters or configuration.
#   eval "$(Scripts/start-postgres.sh)"        start; exports INTERACTION_MONITOR_TEST_POSTGRES (the URL),
#                                              INTERACTION_MONITOR_TEST_PG_BIN (pg_dump, psql) and IM_TEST_PG_DIR
#   Scripts/start-postgres.sh --stop DIR       stop the server started in DIR and delete DIR
# Installs Debian's postgresql packages through apt-get when no initdb is found (as root; CI=true, no stdin).
# IM_PG_DURABLE=0 turns fsync off (faster tests); benchmarks keep the default, durable commits.
set -euo pipefail
find_bin() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/bin /usr/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    return 1
}
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$OWNER" -- "$@"; else "$@"; fi; }

if [ "${1:-}" = "--stop" ]; then
    DIR="${2:?usage: start-postgres.sh --stop DIR}"
    BIN="$(find_bin)"
    OWNER="$(stat -c %U "$DIR/data" 2>/dev/null || id -un)"
    [ -d "$DIR/data" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    exit 0
fi

if ! BIN="$(find_bin)"; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "start-postgres: PostgreSQL is not installed; run as root or: sudo apt-get install -y postgresql" >&2
        exit 2
    fi
    echo "start-postgres: installing Debian's postgresql packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    # The package's own cluster is not needed: policy-rc.d keeps apt from starting it.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d.im && chmod +x /usr/sbin/policy-rc.d.im
    [ -e /usr/sbin/policy-rc.d ] || { cp /usr/sbin/policy-rc.d.im /usr/sbin/policy-rc.d; REMOVE_POLICY=1; }
    (apt-get install -y -qq postgresql >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }) </dev/null
    [ "${REMOVE_POLICY:-0}" = 1 ] && rm -f /usr/sbin/policy-rc.d
    rm -f /usr/sbin/policy-rc.d.im
    BIN="$(find_bin)"
fi

OWNER="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root: the server runs as an unprivileged account.
    OWNER=postgres
    id -u "$OWNER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$OWNER"
fi

DIR="$(mktemp -d /tmp/im-pg.XXXXXX)"
chmod 0755 "$DIR"
PASSWORD="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" >"$DIR/pwfile"
chown -R "$OWNER" "$DIR" 2>/dev/null || true
chmod 0600 "$DIR/pwfile"
as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --pwfile="$DIR/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
rm -f "$DIR/pwfile"

free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    else
        echo $((20000 + RANDOM % 40000))
    fi
}
EXTRA=()
[ "${IM_PG_DURABLE:-1}" = 0 ] && EXTRA=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
for attempt in 1 2 3 4 5; do
    PORT="$(free_port)"
    if as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c max_connections=200 ${EXTRA[*]}" \
        start >/dev/null 2>&1; then
        break
    fi
    [ "$attempt" = 5 ] && { echo "start-postgres: server did not start:" >&2; tail -20 "$DIR/server.log" >&2; exit 1; }
done
as_owner "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -qAt -c "CREATE DATABASE im_test" >/dev/null
echo "export INTERACTION_MONITOR_TEST_POSTGRES='postgres://postgres:$PASSWORD@127.0.0.1:$PORT/im_test'"
echo "export INTERACTION_MONITOR_TEST_PG_BIN='$BIN'"
echo "export IM_TEST_PG_DIR='$DIR'"
echo "start-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, data in $DIR" >&2
