#!/bin/sh
# Install the Debian 12 packages talentd builds, tests and runs with, only
# when one is missing.  `apt-get update` runs once, before the first install,
# because a fresh machine has empty package lists.
set -eu
PKGS="build-essential pkg-config ca-certificates libmicrohttpd-dev libcurl4-openssl-dev libcjson-dev
libpq-dev libsodium-dev libcmocka-dev libpoppler-glib-dev postgresql-15 postgresql-client-15
python3 nodejs wrk curl procps"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing packages:$missing (run 'make deps' as root)" >&2
  exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
