#!/bin/sh
# `make demo`: talentd end to end on one machine, with nothing but this
# repository.  It starts a private PostgreSQL, generates an Airtable base with
# build/genbase, serves it with the Airtable emulator (rate limited to 5
# requests/s, like Airtable), backfills it with `talentd sync all`, starts
# `talentd serve`, moves one ATS job to "Sourcing" the way a recruiter would,
# sends the signed `ats.status_changed` event an Airtable automation would
# send, waits for the proposals to appear in the base and prints them.
# Everything it starts is stopped on exit (also on Ctrl-C), and its temporary
# directory is removed.
#
# Environment (all optional):
#   BUILD=build          where talentd, airtable-emulator and genbase are
#   DEMO_CANDIDATES=300  DEMO_COMPANIES=8  DEMO_SEED=7   the generated base
#   DEMO_ATS=rec...      the ATS job to move to Sourcing (default: picked)
#   DEMO_KEEP=1          keep the temporary directory (logs, base) on exit
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
CANDIDATES=${DEMO_CANDIDATES:-300}
COMPANIES=${DEMO_COMPANIES:-8}
SEED=${DEMO_SEED:-7}
BASE_ID=appDEMOtalentd001          # "app" + 14 letters or digits
RPS=5

for b in talentd airtable-emulator genbase; do
  [ -x "$BUILD/$b" ] || { echo "demo: $BUILD/$b is missing (run 'make build')" >&2; exit 2; }
done
for c in python3 curl; do
  command -v "$c" >/dev/null 2>&1 || { echo "demo: $c is required (run 'make deps')" >&2; exit 2; }
done

work=$(mktemp -d /tmp/talentd-demo.XXXXXX)
chmod 755 "$work"            # the postgres user must reach the cluster directory
pg_started=0 emu_pid="" serve_pid="" ok=0 stage_log=""

say() { printf '%s\n' "$@"; }
section() { printf '\n== %s\n' "$*"; }
fail() {
  say "" "demo FAILED: $*" >&2
  exit 1
}

# stop PID NAME SECONDS: SIGTERM, wait, SIGKILL if it is still there.
stop_pid() {
  kill -TERM "$1" 2>/dev/null || return 0
  n=0
  while kill -0 "$1" 2>/dev/null && [ $n -lt $(($3 * 10)) ]; do sleep 0.1; n=$((n + 1)); done
  if kill -0 "$1" 2>/dev/null; then
    say "  $2 did not stop after $3 s; killing it" >&2
    kill -KILL "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null && rc=0 || rc=$?
  return "$rc"
}

cleanup() {
  status=$?
  trap - EXIT INT TERM
  set +e
  if [ "$ok" != 1 ] && [ "$status" != 130 ] && [ "$status" != 143 ]; then
    # the log of the step that failed, and talentd serve's once it runs
    for f in $stage_log ${serve_pid:+talentd.log}; do
      [ -s "$work/$f" ] || continue
      say "" "---- last lines of $f ----" >&2
      tail -n 25 "$work/$f" >&2
    done
  fi
  section "Shutting down"
  if [ -n "$serve_pid" ]; then
    if stop_pid "$serve_pid" "talentd serve" 25; then say "  talentd serve      stopped (SIGTERM, clean shutdown)"
    else say "  talentd serve      stopped (exit status $?)"; fi
  fi
  if [ -n "$emu_pid" ]; then stop_pid "$emu_pid" "airtable-emulator" 10; say "  airtable-emulator  stopped"; fi
  if [ "$pg_started" = 1 ]; then sh tests/support/pg.sh stop "$work/pg"; say "  PostgreSQL         stopped"; fi
  if [ -n "${DEMO_KEEP:-}" ]; then say "  kept               $work"
  else rm -rf "$work"; say "  removed            $work"; fi
  if [ "$ok" = 1 ]; then say "" "demo finished."; else say "" "demo failed (exit status $status)."; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# JSON and reporting helpers, in Python (standard library only).
cat >"$work/demo.py" <<'PY'
import json, sys, time, urllib.request

def get(url, token=None):
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())

def table(base, name):
    return next(t for t in base["tables"] if t["name"] == name)

def field(rec, name, default=None):
    return rec["fields"].get(name, default)

cmd = sys.argv[1]

if cmd == "base-info":                       # base-info BASE.json
    base = json.load(open(sys.argv[2]))
    t, c, a = (table(base, n)["records"] for n in ("Talent", "Customers STT", "ATS"))
    pdfs = sum(1 for r in t if any(str(x.get("filename", "")).endswith(".pdf") or str(x.get("url", "")).endswith(".pdf")
                                   for x in field(r, "CV", [])))
    print(f"{len(t)} candidates, {len(c)} companies, {len(a)} ATS jobs; {pdfs} CVs are PDF attachments")

elif cmd == "pick-job":                      # pick-job BASE.json -> "recId<TAB>status"
    base = json.load(open(sys.argv[2]))
    ats = table(base, "ATS")["records"]
    # Not paused or closed, not already Sourcing (so there is a real
    # transition), and no AI proposals yet (so their appearance is the signal).
    skip = {"On Hold", "Position closed", "Disqualified", "Hired", "Sourcing"}
    prefer = ["Initial Recruiting", "Ongoing Recruiting", "Backlog"]
    ok = [r for r in ats if field(r, "Company") and field(r, "Job Status") not in skip
          and not field(r, "Potential Talent Fit AI")]
    if not ok:
        sys.exit("no ATS job with a company, an open status and no AI proposals")
    ok.sort(key=lambda r: prefer.index(field(r, "Job Status")) if field(r, "Job Status") in prefer else len(prefer))
    print(ok[0]["id"] + "\t" + field(ok[0], "Job Status", "(empty)"))

elif cmd == "job-info":                      # job-info EMU ATSID
    emu, ats_id = sys.argv[2:4]
    base = get(emu + "/_emu/dump")
    a = next((r for r in table(base, "ATS")["records"] if r["id"] == ats_id), None)
    if a is None:
        sys.exit(1)
    comps = {r["id"]: r for r in table(base, "Customers STT")["records"]}
    co = comps.get((field(a, "Company") or [""])[0])
    print(f"  job                {field(a, 'Open Position (Job Title)')}  ({ats_id})")
    if co:
        f = co["fields"]
        where = ", ".join(x for x in (f.get("(N) Location"), f.get("(N) Remote")) if x)
        print(f"  company            {f.get('Company')}" + (f"  ({where})" if where else ""))
    placed = sum(len(v) for k, v in a["fields"].items() if isinstance(v, list) and k != "Company")
    print(f"  already placed     {placed} candidate(s) in its stage columns (never proposed again)")

elif cmd == "wait":                          # wait EMU ATSID TIMEOUT TALENTD ADMIN TASKID -> seconds waited
    emu, ats_id, timeout, url, token, tid = sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5], sys.argv[6], int(sys.argv[7])
    t0 = time.time()
    finished_at = None
    while time.time() - t0 < timeout:
        base = get(emu + "/_emu/dump")
        a = next(r for r in table(base, "ATS")["records"] if r["id"] == ats_id)
        if field(a, "Potential Talent Fit AI"):
            print(f"{time.time() - t0:.2f}")
            sys.exit(0)
        if finished_at is None:
            for st in ("done", "dead"):
                d = get(f"{url}/admin/tasks?state={st}&limit=200", token)
                if any(int(t.get("id", -1)) == tid for t in d.get("tasks", [])):
                    finished_at, state = time.time(), st
        elif time.time() - finished_at > 2:
            sys.exit(f"task {tid} is {state}, but 'Potential Talent Fit AI' of {ats_id} is still empty")
        time.sleep(0.25)
    sys.exit(f"no 'Potential Talent Fit AI' on {ats_id} after {timeout:.0f} s")

elif cmd == "task-state":                    # task-state TALENTD ADMIN TASKID -> done|dead|retry|pending
    url, token, tid = sys.argv[2], sys.argv[3], int(sys.argv[4])
    for st in ("done", "dead", "retry"):
        d = get(f"{url}/admin/tasks?state={st}&limit=200", token)
        if any(int(t.get("id", -1)) == tid for t in d.get("tasks", [])):
            print(st); sys.exit(0)
    print("pending")

elif cmd == "field":                         # field KEY < json
    d = json.load(sys.stdin)
    for k in sys.argv[2].split("."):
        d = d[k]
    print(d)

elif cmd == "log-summary":                   # log-summary EMU [SINCE_SEQ]
    reqs = get(sys.argv[2] + "/_emu/log")["requests"]
    if not reqs:
        print("0 requests"); sys.exit(0)
    by = {}
    for r in reqs:
        by[r["method"]] = by.get(r["method"], 0) + 1
    n429 = sum(1 for r in reqs if r["status"] == 429)
    span = reqs[-1]["t"] - reqs[0]["t"]
    kinds = ", ".join(f"{m} {n}" for m, n in sorted(by.items()))
    print(f"{len(reqs)} requests ({kinds}), {n429} answered 429, over {span:.1f} s")

elif cmd == "log-list":                      # log-list EMU
    base_tables = {"tblOkLOSo4Zjwp0yF": "Talent", "tbl9KNjT3G08f6oXh": "Customers STT", "tblrbhITEIBOxwcQV": "ATS"}
    for r in get(sys.argv[2] + "/_emu/log")["requests"]:
        parts = r["path"].split("/")          # /v0/app/tbl[/rec]
        what = base_tables.get(parts[3], parts[3]) if len(parts) > 3 else r["path"]
        if len(parts) > 4:
            what += " " + parts[4]
        extra = ""
        if r["method"] in ("PATCH", "PUT", "POST") and r.get("body"):
            try:
                b = json.loads(r["body"])
                recs = b.get("records", [b])
                keys = sorted({k for x in recs for k in x.get("fields", {})})
                extra = f"  ({len(recs)} record(s): {', '.join(keys)})"
            except ValueError:
                pass
        print(f"    {r['method']:<6} {what:<32} -> {r['status']}{extra}")

elif cmd == "report":                        # report EMU TALENTD ADMIN ATSID
    emu, url, token, ats_id = sys.argv[2:6]
    base = get(emu + "/_emu/dump")
    a = next(r for r in table(base, "ATS")["records"] if r["id"] == ats_id)
    talent = {r["id"]: r for r in table(base, "Talent")["records"]}
    m = get(f"{url}/admin/ats/{ats_id}/matches", token)
    matches = m.get("matches", [])
    ptf = field(a, "Potential Talent Fit AI", [])
    print("\n== Proposed candidates: 'Potential Talent Fit AI', best first")
    print(f"  {'#':>2}  {'name':<26} {'score':>5}  {'title (from sync)':<34} location")
    for i, rid in enumerate(ptf, 1):
        mm = next((x for x in matches if x.get("id") == rid), {})
        t = talent.get(rid, {"fields": {}})
        name = field(t, "Name", mm.get("name", rid))
        title = field(t, "(N) Title") or field(t, "Current Title") or ""
        loc = field(t, "(N) Location") or field(t, "Location") or ""
        pct = f"{mm['percent']}%" if "percent" in mm else "?"
        print(f"  {i:>2}. {name:<26} {pct:>5}  {title[:34]:<34} {loc}")
    if [x.get("id") for x in matches] != ptf:
        print("  NOTE: the admin endpoint's ranking differs from the Airtable column")
    print(f"\n  AI PROPOSTED CANDIDATES = \"{field(a, 'AI PROPOSTED CANDIDATES', '')[:110]}...\"")
    print(f"  MATCHED CANDIDATES      = \"{field(a, 'MATCHED CANDIDATES', '')}\"")
    run = m.get("run") or {}
    if run:
        print(f"  run {run.get('id')}: trigger {run.get('trigger')}, {run.get('candidates')} candidates scored, "
              f"{run.get('proposed')} proposed, {run.get('duration_ms')} ms of matching")
    if not matches:
        sys.exit("GET /admin/ats/%s/matches returned no matches" % ats_id)
    top = matches[0]
    print(f"\n== Why #1 is {top.get('name')} ({top.get('percent')}%): GET /admin/ats/{ats_id}/matches")
    comps = top.get("components") or {}
    print("  components         " + "  ".join(
        f"{k} {'n/a' if v is None else f'{v:.2f}'}" for k, v in comps.items()))
    print(f"  score              {top.get('score')}")
    sk = top.get("skills") or {}
    print("  required, matched  " + (", ".join(sk.get("required_matched", [])) or "-"))
    print("  required, missing  " + (", ".join(sk.get("required_missing", [])) or "-"))
    print("  nice-to-have       " + (", ".join(sk.get("nice_matched", [])) or "-"))
    filt = top.get("filters") or {}
    if filt:
        print("  filters            " + ", ".join(f"{k} {v}" for k, v in filt.items()))
    fac = top.get("factors") or {}
    if fac:
        print("  factors            " + ", ".join(f"{k} {v}" for k, v in fac.items()))
PY
py() { python3 "$work/demo.py" "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

say "talentd demo: a recruiter moves a job to Sourcing; talentd proposes candidates."
say "Temporary directory: $work (removed at the end)"

# ---------------------------------------------------------------------------
section "1. Setting up"
pg_started=1 stage_log=pg/server.log
pgaddr=$(sh tests/support/pg.sh start "$work/pg") || fail "PostgreSQL did not start (see $work/pg/server.log)"
# shellcheck disable=SC2086  # "HOST PORT" on purpose
set -- $pgaddr
pghost=$1 pgport=$2
psql -X -q -h "$pghost" -p "$pgport" -U postgres -d postgres -c 'CREATE DATABASE talentd' >/dev/null
say "  PostgreSQL 15      private cluster, socket in $pghost, port $pgport"

mkdir "$work/files"
"$BUILD/genbase" --candidates "$CANDIDATES" --companies "$COMPANIES" --seed "$SEED" \
  --base-id "$BASE_ID" --pdf-dir "$work/files" >"$work/base.json"
say "  Airtable base      $(py base-info "$work/base.json") (build/genbase --seed $SEED)"

stage_log=emulator.log
"$BUILD/airtable-emulator" --fixture "$work/base.json" --port 0 --rate-limit "$RPS" \
  --files "$work/files" >"$work/emulator.out" 2>"$work/emulator.log" &
emu_pid=$!
n=0
until grep -q '^listening on ' "$work/emulator.out" 2>/dev/null; do
  kill -0 "$emu_pid" 2>/dev/null || { emu_pid=""; fail "the Airtable emulator did not start"; }
  [ $n -lt 100 ] || fail "the Airtable emulator printed no 'listening on' line in 10 s"
  sleep 0.1; n=$((n + 1))
done
emu_port=$(sed -n 's/^listening on //p' "$work/emulator.out")
EMU=http://127.0.0.1:$emu_port
say "  Airtable emulator  $EMU, rate limit $RPS requests/s per base (like Airtable)"

TD_PORT=$(free_port)
ADMIN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DATABASE_URL="postgresql:///talentd?host=$pghost&port=$pgport&user=postgres"
TALENTD_WEBHOOK_SECRET="whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
export TALENTD_WEBHOOK_SECRET
export TALENTD_ADMIN_TOKEN="$ADMIN"
export TALENTD_LISTEN="127.0.0.1:$TD_PORT"
export TALENTD_RECONCILE_INTERVAL=0
export AIRTABLE_API_URL="$EMU" AIRTABLE_TOKEN=patDEMOtoken.local AIRTABLE_BASE_ID="$BASE_ID"
export AIRTABLE_RATE_LIMIT_RPS="$RPS"
unset TALENTD_FIELD_MAP AIRTABLE_TALENT_TABLE_ID AIRTABLE_CUSTOMERS_TABLE_ID AIRTABLE_ATS_TABLE_ID 2>/dev/null || true

stage_log=migrate.log
"$BUILD/talentd" migrate >"$work/migrate.out" 2>"$work/migrate.log" || fail "talentd migrate failed"
say "  talentd migrate    $(cat "$work/migrate.out")"

# ---------------------------------------------------------------------------
section "2. Backfill: talentd sync all  (normalize every candidate and company, write the (N) fields)"
curl -fsS -X DELETE "$EMU/_emu/log" >/dev/null
t0=$(date +%s) stage_log=sync.log
"$BUILD/talentd" sync all >"$work/sync.out" 2>"$work/sync.log" || { cat "$work/sync.out"; fail "talentd sync all failed"; }
sed 's/^/  /' "$work/sync.out"
say "  Airtable traffic:  $(py log-summary "$EMU"), $(( $(date +%s) - t0 )) s in all"

# ---------------------------------------------------------------------------
section "3. talentd serve"
stage_log=""
"$BUILD/talentd" serve >"$work/talentd.log" 2>&1 &
serve_pid=$!
TD=http://127.0.0.1:$TD_PORT
n=0
until curl -fsS "$TD/readyz" >"$work/readyz.json" 2>/dev/null; do
  kill -0 "$serve_pid" 2>/dev/null || { wait "$serve_pid" || true; serve_pid=""; fail "talentd serve exited"; }
  [ $n -lt 200 ] || fail "talentd serve was not ready after 20 s"
  sleep 0.1; n=$((n + 1))
done
say "  listening on $TD, ready: $(cat "$work/readyz.json")"
say "  logs (JSON lines): $work/talentd.log"

# ---------------------------------------------------------------------------
section "4. A recruiter moves a job to Sourcing"
if [ -n "${DEMO_ATS:-}" ]; then ats=$DEMO_ATS; old="?"
else
  picked=$(py pick-job "$work/base.json") || fail "could not pick an ATS job"
  ats=$(printf '%s' "$picked" | cut -f1); old=$(printf '%s' "$picked" | cut -f2)
fi
py job-info "$EMU" "$ats" || fail "no ATS record $ats in the base"
curl -fsS -X PATCH "$EMU/_emu/records/ATS/$ats" -H 'Content-Type: application/json' \
  -d '{"fields":{"Job Status":"Sourcing"}}' >/dev/null || fail "could not change the record in the emulator"
say "  Job Status         $old -> Sourcing   (changed in the base, as in Airtable's UI)"

body=$(printf '{"type":"ats.status_changed","base_id":"%s","table_id":"tblrbhITEIBOxwcQV","record_id":"%s","fields":{"Job Status":"Sourcing"}}' "$BASE_ID" "$ats")
"$BUILD/talentd" sign "$body" >"$work/headers" || fail "talentd sign failed"
curl -fsS -X DELETE "$EMU/_emu/log" >/dev/null
code=$(curl -sS -o "$work/hook.json" -w '%{http_code}' -X POST "$TD/hooks/airtable" \
  -H 'Content-Type: application/json' -H @"$work/headers" --data-binary "$body") || fail "POST /hooks/airtable failed"
[ "$code" = 202 ] || { cat "$work/hook.json"; fail "POST /hooks/airtable answered $code, expected 202"; }
task_id=$(py field task_id <"$work/hook.json")
say "  automation event   POST /hooks/airtable  ats.status_changed, $(sed -n 's/^webhook-id: //p' "$work/headers")"
say "                     -> 202 $(cat "$work/hook.json")"
waited=$(py wait "$EMU" "$ats" 60 "$TD" "$ADMIN" "$task_id") || fail "the match run wrote nothing (see above)"
n=0
while st=$(py task-state "$TD" "$ADMIN" "$task_id") && [ "$st" = pending ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
say "  result             'Potential Talent Fit AI' written ${waited} s after the event; task $task_id $st"

py report "$EMU" "$TD" "$ADMIN" "$ats" || fail "could not read the results"

# ---------------------------------------------------------------------------
section "Airtable requests of the match run (emulator log)"
say "  $(py log-summary "$EMU")"
py log-list "$EMU"

ok=1
