#!/bin/sh
# Offline tuning loop for the matcher: rank a judged base with build/tdrank
# (normalizer + match engine, no Airtable, no database) and score the
# ranking with the set's evaluate.py.  Extra arguments go to tdrank, e.g.
#   sh tests/support/eval_offline.sh --set role=0.8 --set text=0.3
# Environment: JUDGED_DIR (default ../shared/data/judged-dev beside the
# repository), REF_YEAR (default 2026, the year that set is dated),
# BUILD (default build), KEEP=path to keep the ranking file.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dir=${JUDGED_DIR:-$root/../shared/data/judged-dev}
BUILD=${BUILD:-build}
[ -x "$BUILD/tdrank" ] || { echo "eval_offline: $BUILD/tdrank missing (make build)" >&2; exit 2; }
[ -f "$dir/base.json" ] || { echo "eval_offline: no base.json in $dir (set JUDGED_DIR)" >&2; exit 2; }
out=${KEEP:-$(mktemp /tmp/tdrank.XXXXXX.json)}
"$BUILD/tdrank" --base "$dir/base.json" --ref-year "${REF_YEAR:-2026}" "$@" >"$out"
python3 "$dir/evaluate.py" --base "$dir/base.json" --judgements "$dir/judgements.json" "$out"
[ -n "${KEEP:-}" ] || rm -f "$out"
