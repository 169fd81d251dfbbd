#!/bin/sh
# The Debian packages the gateway needs at run time: Chromium for the wwebjs engine, fonts so
# pages render every script (CJK, emoji), tini to reap Chromium's children in a container.
# Used by the Dockerfile and by .ci/run, so both install exactly the same thing.
set -eu
packages="chromium fonts-liberation fonts-noto-cjk fonts-noto-color-emoji tini ca-certificates"
missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi
