#!/bin/sh
# What the tests need beyond `npm ci`, installed idempotently (present things are skipped):
# Debian's python3-toml (Streamlit's own TOML parser, the oracle of the differential tests), then
# everything the VS Code extension suite needs (test/vscode/install-deps.sh: Chromium, the pinned
# code-server runtimes, …). Runs automatically as `pretest`.
set -eu
cd "$(dirname "$0")/.."

if ! /usr/bin/python3 -c 'import toml' 2>/dev/null; then
  echo "installing Debian package python3-toml"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y python3 python3-toml
fi

sh test/vscode/install-deps.sh
