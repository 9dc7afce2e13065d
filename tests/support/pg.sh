#!/bin/sh
# Private PostgreSQL for tests and the demo: one cluster in a directory, on a
# Unix socket inside that directory, never on a shared port.
#   pg.sh start DIR [PORT]  -> prints the socket directory and port as "HOST PORT"
#   pg.sh stop DIR | pg.sh restart DIR | pg.sh status DIR
# PostgreSQL refuses to run as root, so as root the cluster belongs to the
# unprivileged "postgres" user (created by the postgresql-15 package).
set -eu
cmd=$1; dir=$2; port=${3:-}
PGBIN=/usr/lib/postgresql/15/bin
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 >"$dir/initdb.log" 2>&1
    [ -n "$port" ] || port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
    echo "$port" > "$dir/port"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/port"
    cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
idle_in_transaction_session_timeout = 60s
CONF
  fi
  port=$(cat "$dir/port")
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
  echo "$dir $port"
  ;;
stop)
  [ -f "$dir/data/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
restart)
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
  ;;
status)
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
  ;;
*) echo "usage: pg.sh start|stop|restart|status DIR [PORT]" >&2; exit 2 ;;
esac
