#!/bin/sh
# make bench driver: runs every benchmark section in turn and prints its
# figures under a heading.  Benchmarks never fail the build on timing; a
# section that crashes or cannot run is reported and the rest still run.
#
# To add a section: write a function sec_<name> below and add <name> to
# SECTIONS.  `sh tests/bench/run.sh match` runs only the named sections.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}

SECTIONS="match hooks"

sec_match() { # matchmaking engine: ms per job at 10k/100k vs the memory floor
  "$BUILD/bench/bench_match"
}

sec_hooks() { # webhook intake: signed events/s into serve vs pgbench single-row INSERT
  TD_BUILD="$BUILD" sh tests/bench/hooks.sh
}

want=${*:-$SECTIONS}
problems=""
for s in $want; do
  echo
  echo "=============================================================="
  echo " bench: $s"
  echo "=============================================================="
  if ! command -v "sec_$s" >/dev/null 2>&1; then
    echo "  (no such section)"; problems="$problems $s"; continue
  fi
  if ! "sec_$s"; then
    echo "  (section $s did not complete)"; problems="$problems $s"
  fi
done
echo
[ -n "$problems" ] && echo "bench sections with problems:$problems"
exit 0
