#!/bin/sh
# What the tests need beyond `npm ci`, installed idempotently (present things are skipped):
# Debian's python3-toml (Streamlit's own TOML parser, the oracle of the differential tests), neovim
# (the LSP client of the npm package's server in test/cli) and pre-commit (runs our hook), then
# everything the VS Code extension suite needs (test/vscode/install-deps.sh: Chromium, the pinned
# code-server runtimes, …). Runs automatically as `pretest`.
set -eu
cd "$(dirname "$0")/.."

if ! /usr/bin/python3 -c 'import toml' 2>/dev/null || ! command -v nvim >/dev/null || ! command -v pre-commit >/dev/null; then
  echo "installing Debian packages python3-toml neovim pre-commit"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y python3 python3-toml neovim pre-commit
fi

sh test/vscode/install-deps.sh
