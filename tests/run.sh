#!/bin/sh
# Test driver: starts one private PostgreSQL for the whole run (stopped on any
# exit), then runs every suite.  `make test` calls it with "all".
#   all   unit + integration + HTTP/e2e (python) + node, then unit + integration
#         again under ASan/UBSan (build-asan/)
#   fast  the same without the sanitizer pass
#   asan  only the sanitizer pass
set -u
mode=${1:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
TD_TEST_PGDIR=$(mktemp -d /tmp/talentd-test.XXXXXX)
export TD_TEST_PGDIR
chmod 755 "$TD_TEST_PGDIR"
cleanup() { sh tests/support/pg.sh stop "$TD_TEST_PGDIR/pg"; rm -rf "$TD_TEST_PGDIR"; }
trap cleanup EXIT INT TERM
set -- $(sh tests/support/pg.sh start "$TD_TEST_PGDIR/pg")
export TD_TEST_PGHOST=$1 TD_TEST_PGPORT=$2
export PGHOST=$1 PGPORT=$2 PGUSER=postgres
fails=0; passed=0; failed_list=""

newdb() { # newdb NAME -> prints a DATABASE_URL for a fresh database
  psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null
  echo "postgresql:///$1?host=$TD_TEST_PGHOST&port=$TD_TEST_PGPORT&user=postgres"
}

run() { # run NAME CMD...
  name=$1; shift
  log="$TD_TEST_PGDIR/$(echo "$name" | tr '/ ' '__').log"
  start=$(date +%s)
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1)); echo "PASS $name ($(( $(date +%s) - start ))s)"
  else
    fails=$((fails + 1)); failed_list="$failed_list $name"
    echo "FAIL $name ($(( $(date +%s) - start ))s)"; tail -n 60 "$log" | sed 's/^/    /'
  fi
}

suite_c() { # suite_c BUILD_DIR LABEL
  for t in "$1"/tests/test_*; do
    [ -x "$t" ] || continue
    run "$2unit/$(basename "$t")" "$t"
  done
  for t in "$1"/tests/itest_*; do
    [ -x "$t" ] || continue
    db=$(newdb "$(basename "$t" | tr -c 'a-z0-9_\n' '_')")
    run "$2integration/$(basename "$t")" env DATABASE_URL="$db" TD_BUILD="$1" "$t"
  done
}

if [ "$mode" != asan ]; then
  export TD_BUILD=build
  suite_c build ""
  for f in tests/http/test_*.py tests/e2e/test_*.py; do
    [ -f "$f" ] || continue
    run "$f" python3 "$f"
  done
  if command -v node >/dev/null 2>&1; then
    for f in deploy/airtable/test/*.test.js tests/emulator/*.test.js; do
      [ -f "$f" ] || continue
      run "$f" node --test "$f"
    done
  fi
fi
if [ "$mode" != fast ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  suite_c build-asan "asan/"
  # The server paths too: talentd and the emulator built with the sanitizers
  # under the HTTP and end-to-end suites (a sanitizer report aborts the
  # process, which fails the test).  Leak checks stay with the C suites:
  # a killed or timed-out server is not a leak.
  for f in tests/http/test_hooks.py tests/e2e/test_match.py tests/e2e/test_status.py \
           tests/e2e/test_feedback.py tests/e2e/test_sync.py; do
    [ -f "$f" ] || continue
    run "asan/$f" env TD_BUILD=build-asan ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 python3 "$f"
  done
fi
echo "tests: $passed passed, $fails failed${failed_list:+ ($failed_list )}"
if [ "$passed" -eq 0 ]; then
  echo "tests: nothing ran (were the test binaries built?)" >&2
  exit 1
fi
[ "$fails" -eq 0 ]
