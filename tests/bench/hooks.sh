#!/bin/sh
# Webhook intake throughput: signed events per second into `talentd serve`
# (each one an event + task committed in PostgreSQL), beside pgbench's rate
# for an equivalent single-row INSERT on the same private cluster.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
B=${TD_BUILD:-build}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-16}
dir=$(mktemp -d /tmp/talentd-bench.XXXXXX)
chmod 755 "$dir"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; sh tests/support/pg.sh stop "$dir/pg"; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
set -- $(sh tests/support/pg.sh start "$dir/pg")
PGHOST=$1 PGPORT=$2
export PGUSER=postgres
# a durable commit per event, as in production (the test cluster turns fsync off)
psql -q -h "$PGHOST" -p "$PGPORT" -d postgres -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
psql -q -h "$PGHOST" -p "$PGPORT" -d postgres -c "CREATE DATABASE bench" >/dev/null
export DATABASE_URL="postgresql:///bench?host=$PGHOST&port=$PGPORT&user=postgres"
export TALENTD_WEBHOOK_SECRET="whsec_$(printf 'bench-secret-0123456789abcdef' | base64)"
export AIRTABLE_TOKEN=patBENCH AIRTABLE_BASE_ID=appBENCH000000001 TALENTD_RECONCILE_INTERVAL=0
export TALENTD_LOG_LEVEL=warn TALENTD_WORKERS=1
port=$(( 30000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
export TALENTD_LISTEN=127.0.0.1:$port
"$B/talentd" migrate >/dev/null 2>&1
# workers would compete for the same CPUs; the intake alone is measured
psql -q -h "$PGHOST" -p "$PGPORT" -d bench -c "SELECT 1" >/dev/null
"$B/talentd" serve 2>"$dir/serve.log" &
pid=$!
for i in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
out=$("$B/bench/bench_hooks" 127.0.0.1 "$port" "$SECS" "$CONNS")
echo "$out"
hooks=$(echo "$out" | sed -n 's/.*= \([0-9]*\)\/s.*/\1/p')
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
psql -q -h "$PGHOST" -p "$PGPORT" -d bench -c "CREATE TABLE pgb (id text PRIMARY KEY, body jsonb, at timestamptz DEFAULT now())" >/dev/null
cat > "$dir/insert.sql" <<'SQL'
\set n random(1, 1000000000)
INSERT INTO pgb (id, body) VALUES ('msg_' || :n || '_' || :client_id || '_' || random(), '{"type":"talent.updated","base_id":"appBENCH000000001","table_id":"tblOkLOSo4Zjwp0yF","record_id":"recBENCH000000001","fields":{"Name":"Load Test"}}');
SQL
pgb=$(/usr/lib/postgresql/15/bin/pgbench -h "$PGHOST" -p "$PGPORT" -n -c "$CONNS" -j 2 -T "$SECS" -f "$dir/insert.sql" bench 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
echo "pgbench single-row INSERT (same cluster, $CONNS clients): ${pgb} tps"
awk -v h="$hooks" -v p="$pgb" 'BEGIN { if (p > 0) printf "ratio webhooks/pgbench: %.2f\n", h / p }'
exit 0
