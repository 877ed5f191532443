#!/usr/bin/env bash
# Install Debian's Chromium (if missing) for the end-to-end tests; prints its path.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! command -v chromium >/dev/null; then
  echo "Installing Chromium (Debian package)…" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi
command -v chromium
