#!/bin/sh
# The README's entry point on a machine that may not even have `make`:
#   sh run.sh demo   -> make demo
#   sh run.sh test   -> make test
# Installs make with apt-get when it is missing (as root), then hands over
# to the Makefile, whose `deps` target installs everything else.
set -eu
cd "$(dirname "$0")"
if ! command -v make >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "run.sh: make is not installed; run as root, or install it first" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends make >/dev/null
fi
exec make "${@:-test}"
