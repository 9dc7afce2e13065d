#!/bin/sh
# `make eval`: measure talentd's ranking quality end to end on the judged
# development set.  A private PostgreSQL, the Airtable emulator loaded with
# $JUDGED_DEV/base.json (no rate limit, so it is quick), `talentd migrate`,
# `talentd sync all`, then `talentd match <atsId> --json` for every ATS record;
# the rankings go to ranking.json and are scored by $JUDGED_DEV/evaluate.py
# beside the BM25 baseline.  Everything it starts is stopped on exit.
#
# Environment (all optional):
#   JUDGED_DEV=../shared/data/judged-dev   the judged set (relative to the repository root)
#   BUILD=build                            where talentd and airtable-emulator are
#   EVAL_KEEP=path                         also copy ranking.json there
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
JUDGED_DEV=${JUDGED_DEV:-../shared/data/judged-dev}
case "$JUDGED_DEV" in /*) jd=$JUDGED_DEV ;; *) jd=$root/$JUDGED_DEV ;; esac
[ -d "$jd" ] && jd=$(cd "$jd" && pwd)

for f in base.json evaluate.py judgements.json; do
  [ -f "$jd/$f" ] || {
    echo "eval: the judged development set was not found: no $f in $jd" >&2
    echo "eval: set JUDGED_DEV to its directory (default ../shared/data/judged-dev, relative to $root)" >&2
    exit 2
  }
done
for b in talentd airtable-emulator; do
  [ -x "$BUILD/$b" ] || { echo "eval: $BUILD/$b is missing (run 'make build')" >&2; exit 2; }
done
command -v python3 >/dev/null 2>&1 || { echo "eval: python3 is required (run 'make deps')" >&2; exit 2; }

work=$(mktemp -d /tmp/talentd-eval.XXXXXX)
chmod 755 "$work"
pg_started=0 emu_pid="" ok=0

say() { printf '%s\n' "$@"; }
section() { printf '\n== %s\n' "$*"; }
fail() { say "" "eval FAILED: $*" >&2; exit 1; }

cleanup() {
  status=$?
  trap - EXIT INT TERM
  set +e
  if [ "$ok" != 1 ] && [ "$status" != 130 ] && [ "$status" != 143 ]; then
    for f in match.log sync.log migrate.log emulator.log; do
      [ -s "$work/$f" ] || continue
      say "" "---- last lines of $f ----" >&2
      tail -n 30 "$work/$f" >&2
    done
  fi
  if [ -n "$emu_pid" ]; then
    kill -TERM "$emu_pid" 2>/dev/null
    n=0; while kill -0 "$emu_pid" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    kill -KILL "$emu_pid" 2>/dev/null; wait "$emu_pid" 2>/dev/null
  fi
  [ "$pg_started" = 1 ] && sh tests/support/pg.sh stop "$work/pg"
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

base_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_id"])' "$jd/base.json")
ats_ids=$(python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
t = next(t for t in b["tables"] if t["name"] == "ATS")
print(" ".join(r["id"] for r in t["records"]))' "$jd/base.json")

say "talentd eval on the judged development set: $jd"
say "Today is $(date -u +%Y-%m-%d) (UTC); talentd counts \"present\" in CVs as the current year, $(date -u +%Y)."
say "The set is dated December 2026; figures on another year's date are not comparable."

section "Setting up"
pg_started=1
pgaddr=$(sh tests/support/pg.sh start "$work/pg") || fail "PostgreSQL did not start"
# shellcheck disable=SC2086  # "HOST PORT" on purpose
set -- $pgaddr
psql -X -q -h "$1" -p "$2" -U postgres -d postgres -c 'CREATE DATABASE talentd' >/dev/null
export DATABASE_URL="postgresql:///talentd?host=$1&port=$2&user=postgres"

"$BUILD/airtable-emulator" --fixture "$jd/base.json" --port 0 --rate-limit 0 \
  >"$work/emulator.out" 2>"$work/emulator.log" &
emu_pid=$!
n=0
until grep -q '^listening on ' "$work/emulator.out" 2>/dev/null; do
  kill -0 "$emu_pid" 2>/dev/null || { emu_pid=""; fail "the Airtable emulator did not start"; }
  [ $n -lt 100 ] || fail "the Airtable emulator printed no 'listening on' line in 10 s"
  sleep 0.1; n=$((n + 1))
done
EMU=http://127.0.0.1:$(sed -n 's/^listening on //p' "$work/emulator.out")

export AIRTABLE_API_URL="$EMU" AIRTABLE_TOKEN=patEVALtoken.local AIRTABLE_BASE_ID="$base_id"
export AIRTABLE_RATE_LIMIT_RPS=1000 TALENTD_RECONCILE_INTERVAL=0
unset TALENTD_FIELD_MAP TALENTD_TOP_N AIRTABLE_TALENT_TABLE_ID AIRTABLE_CUSTOMERS_TABLE_ID AIRTABLE_ATS_TABLE_ID 2>/dev/null || true
say "  PostgreSQL (private, $work/pg), Airtable emulator $EMU (no rate limit), base $base_id"
"$BUILD/talentd" migrate >"$work/migrate.out" 2>"$work/migrate.log" || fail "talentd migrate failed"
say "  $(cat "$work/migrate.out")"

section "talentd sync all"
"$BUILD/talentd" sync all >"$work/sync.out" 2>"$work/sync.log" || { cat "$work/sync.out"; fail "talentd sync all failed"; }
sed 's/^/  /' "$work/sync.out"

section "talentd match <atsId> --json"
: >"$work/match.log"
for id in $ats_ids; do
  "$BUILD/talentd" match "$id" --json >"$work/match-$id.json" 2>>"$work/match.log" \
    || fail "talentd match $id --json failed"
  python3 - "$work/match-$id.json" <<'PY' || fail "talentd match $id --json printed no usable ranking"
import json, sys
d = json.load(open(sys.argv[1]))
m = d.get("matches") or []
if not m:
    sys.exit(f"  {d.get('ats_record_id')}: no matches")
job = d.get("job") or {}
title = job.get("title") or job.get("name") or ""
print(f"  {d.get('ats_record_id')}  {title[:46]:<46} {len(m):>2} proposed of {d.get('candidates')}, "
      f"top {m[0].get('name')} ({m[0].get('percent')}%)")
PY
done
# shellcheck disable=SC2086  # one argument per id
python3 - "$work" $ats_ids >"$work/ranking.json" <<'PY'
import json, sys
work, ids = sys.argv[1], sys.argv[2:]
out = {}
for i in ids:
    d = json.load(open(f"{work}/match-{i}.json"))
    out[i] = [m["id"] for m in sorted(d["matches"], key=lambda m: m["rank"])]
json.dump(out, sys.stdout, indent=1)
PY
[ -z "${EVAL_KEEP:-}" ] || { cp "$work/ranking.json" "$EVAL_KEEP"; say "  ranking saved to $EVAL_KEEP"; }

section "talentd, scored by evaluate.py (BM25 baseline beside it)"
python3 "$jd/evaluate.py" --base "$jd/base.json" --judgements "$jd/judgements.json" "$work/ranking.json" \
  || fail "evaluate.py failed"

section "BM25 baseline (evaluate.py --bm25)"
python3 "$jd/evaluate.py" --base "$jd/base.json" --judgements "$jd/judgements.json" --bm25 \
  || fail "evaluate.py --bm25 failed"

ok=1
