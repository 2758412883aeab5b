# Sourced by scripts/test: starts a throwaway PostgreSQL 15 cluster on a loopback port and
# exports TRAGUARDI_TEST_POSTGRES_URL; the cluster is removed when the calling script exits.
# Without PostgreSQL binaries it returns 1 (scripts/test then skips, or fails under CI=true).

pg_bin() {
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

start_postgres() {
    local bin port dir as
    if ! bin=$(pg_bin); then
        if [ "${CI:-}" = "true" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "== installing PostgreSQL"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
            bin=$(pg_bin) || return 1
        else
            return 1
        fi
    fi
    port=${TRAGUARDI_TEST_PG_PORT:-55432}
    dir=$(mktemp -d /tmp/traguardi-pg.XXXXXX)
    # PostgreSQL refuses to run as root: use the postgres account when we are root.
    as=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log"; return 1; }
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
        || { cat "$dir/server.log"; return 1; }
    export TRAGUARDI_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop)
    PG_DIR=$dir
    echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
    if [ -n "${PG_DIR:-}" ]; then
        "${PG_STOP[@]}" >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}
