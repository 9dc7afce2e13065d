#!/usr/bin/env bash
# sign-event.sh — sign a talentd record-change event (contract §4.1, Standard
# Webhooks) with a whsec_ secret and POST it with curl, or print the command.
#
# For operators: replay an event by hand, test a new deployment, check a
# secret.  Needs bash, openssl, base64 (coreutils) and curl.  The secret is
# read from a file or the environment, never from the command line (which
# other users can see in `ps`).
#
#   deploy/sign-event.sh [options] BODY.json      sign the file's exact bytes
#   deploy/sign-event.sh [options] -              body from stdin
#   deploy/sign-event.sh [options] -e TYPE RECORD_ID [TABLE_ID]
#                                                 build the body: base from $AIRTABLE_BASE_ID,
#                                                 table from the type (contract defaults)
# Options:
#   -u URL    talentd address (default $TALENTD_URL, else http://127.0.0.1:8080);
#             /hooks/airtable is appended unless already there
#   -s FILE   file holding the whsec_ secret (default $TALENTD_SIGN_SECRET_FILE; else
#             $TALENTD_SIGN_SECRET; else the first secret of $TALENTD_WEBHOOK_SECRET or
#             the file named by $TALENTD_WEBHOOK_SECRET_FILE)
#   -i ID     webhook-id (default: a fresh msg_manual_…); give the same id to resend
#             the same event (talentd answers 200 duplicate)
#   -t TS     webhook-timestamp, Unix seconds (default: now)
#   -p        print the curl command instead of running it
#   -h        this help
# Exit status: 0 on HTTP 200/202, 1 on any other answer, 2 on a usage error.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "sign-event: $*" >&2; exit 2; }

url=${TALENTD_URL:-http://127.0.0.1:8080}
secret_file=${TALENTD_SIGN_SECRET_FILE:-}
id=""
ts=""
print_only=0
event_mode=0
while getopts ":u:s:i:t:peh" opt; do
  case $opt in
    u) url=$OPTARG ;;
    s) secret_file=$OPTARG ;;
    i) id=$OPTARG ;;
    t) ts=$OPTARG ;;
    p) print_only=1 ;;
    e) event_mode=1 ;;
    h) usage 0 ;;
    :) die "-$OPTARG needs a value" ;;
    *) die "unknown option -$OPTARG (see -h)" ;;
  esac
done
shift $((OPTIND - 1))

for tool in openssl base64 od; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

# --- the secret -------------------------------------------------------------
if [ -n "$secret_file" ]; then
  [ -r "$secret_file" ] || die "cannot read secret file $secret_file"
  secret=$(head -c 4096 "$secret_file" | tr -d '\r\n')
elif [ -n "${TALENTD_SIGN_SECRET:-}" ]; then
  secret=$TALENTD_SIGN_SECRET
elif [ -n "${TALENTD_WEBHOOK_SECRET:-}" ]; then
  secret=${TALENTD_WEBHOOK_SECRET%% *}
elif [ -n "${TALENTD_WEBHOOK_SECRET_FILE:-}" ]; then
  secret=$(head -c 4096 "$TALENTD_WEBHOOK_SECRET_FILE" | tr -d '\r\n')
  secret=${secret%% *}
else
  die "no secret: use -s FILE or set TALENTD_SIGN_SECRET / TALENTD_WEBHOOK_SECRET"
fi
case $secret in
  whsec_?*) ;;
  *) die "the secret must look like whsec_<base64> (value not shown)" ;;
esac
keyhex=$(printf '%s' "${secret#whsec_}" | base64 -d 2>/dev/null | od -An -v -tx1 | tr -d ' \n') ||
  die "the secret is not whsec_ followed by valid base64 (value not shown)"
[ -n "$keyhex" ] || die "the secret decodes to nothing (value not shown)"

# --- the body ---------------------------------------------------------------
tmp=$(mktemp "${TMPDIR:-/tmp}/sign-event.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if [ "$event_mode" = 1 ]; then
  [ $# -ge 2 ] || die "-e needs TYPE RECORD_ID [TABLE_ID]"
  type=$1 record=$2 table=${3:-}
  base=${AIRTABLE_BASE_ID:-}
  [ -n "$base" ] || die "-e needs AIRTABLE_BASE_ID in the environment"
  if [ -z "$table" ]; then
    case $type in
      ats.status_changed | ats.stages_changed) table=${AIRTABLE_ATS_TABLE_ID:-tblrbhITEIBOxwcQV} ;;
      customer.start_matchmaking | customer.updated) table=${AIRTABLE_CUSTOMERS_TABLE_ID:-tbl9KNjT3G08f6oXh} ;;
      talent.updated) table=${AIRTABLE_TALENT_TABLE_ID:-tblOkLOSo4Zjwp0yF} ;;
      *) die "unknown type $type: give the TABLE_ID" ;;
    esac
  fi
  for v in "$type" "$record" "$table" "$base"; do
    case $v in *[!A-Za-z0-9._]*) die "unexpected character in '$v'" ;; esac
  done
  printf '{"type":"%s","base_id":"%s","table_id":"%s","record_id":"%s"}' \
    "$type" "$base" "$table" "$record" >"$tmp"
elif [ $# -eq 1 ] && [ "$1" = - ]; then
  cat >"$tmp"
elif [ $# -eq 1 ]; then
  [ -r "$1" ] || die "cannot read $1"
  cat -- "$1" >"$tmp"
else
  usage 2
fi

# --- sign -------------------------------------------------------------------
if [ -z "$id" ]; then
  id="msg_manual_$(date +%s)_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
fi
case $id in *.*) die "webhook-id must not contain '.'" ;; esac
[ -n "$ts" ] || ts=$(date +%s)
case $ts in '' | *[!0-9]*) die "webhook-timestamp must be Unix seconds" ;; esac

# HMAC over the exact bytes: id "." ts "." body (the file, byte for byte).
sig=$({ printf '%s.%s.' "$id" "$ts"; cat "$tmp"; } |
  openssl dgst -sha256 -mac HMAC -macopt "hexkey:$keyhex" -binary | base64 | tr -d '\n')

case $url in
  */hooks/airtable) ;;
  *) url="${url%/}/hooks/airtable" ;;
esac

if [ "$print_only" = 1 ]; then
  # Exact bytes (command substitution would drop trailing newlines); %q
  # quotes them for bash, e.g. $'...\n' for a final newline.
  body=$(cat "$tmp"; printf x)
  body=${body%x}
  q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
  printf 'curl -sS -X POST %s \\\n' "$(q "$url")"
  printf '  -H %s \\\n' "$(q 'Content-Type: application/json')"
  printf '  -H %s \\\n' "$(q "webhook-id: $id")"
  printf '  -H %s \\\n' "$(q "webhook-timestamp: $ts")"
  printf '  -H %s \\\n' "$(q "webhook-signature: v1,$sig")"
  printf '  --data-binary %q\n' "$body"
  printf '# a bash command; the timestamp must be within 300 s of talentd'"'"'s clock when it runs\n' >&2
  exit 0
fi

command -v curl >/dev/null || die "curl is required"
out=$(mktemp "${TMPDIR:-/tmp}/sign-event-out.XXXXXX")
trap 'rm -f "$tmp" "$out"' EXIT
code=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$url" \
  -H 'Content-Type: application/json' \
  -H "webhook-id: $id" \
  -H "webhook-timestamp: $ts" \
  -H "webhook-signature: v1,$sig" \
  --data-binary "@$tmp") || { echo "sign-event: curl failed" >&2; exit 1; }
cat "$out"
echo
echo "HTTP $code (webhook-id $id)" >&2
case $code in 200 | 202) exit 0 ;; *) exit 1 ;; esac
