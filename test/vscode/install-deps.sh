#!/bin/sh
# Everything the VS Code integration tests, the UI tests and the demo need, installed idempotently
# (what is already there is skipped). Called by .ci/run before `node test/run.mjs vscode`.
#
#   test/vscode/install-deps.sh [min] [newest]     (runtimes to install; both by default)
#
# 1. Debian packages: chromium (the headless browser), libkrb5-dev (VS Code's native kerberos module
#    builds against it), ripgrep (VS Code 1.100's @vscode/ripgrep would download rg from GitHub),
#    a C/C++ toolchain + python3 for node-gyp (native modules build from source offline), and
#    tesseract-ocr (the UI tests read screenshots with OCR to prove no secret value is on screen).
# 2. The pinned VS Code runtimes (code-server from the npm registry, test/vscode/runtime/*) into
#    .vscode-test/runtime/, skipped when the cache matches the committed lock.
set -eu
cd "$(dirname "$0")/../.."

packages="chromium libkrb5-dev ripgrep build-essential python3 pkg-config git tesseract-ocr"
missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "installing Debian packages:$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y $missing
else
  echo "Debian packages present: $packages"
fi

# The repository's own dev dependencies (playwright-core, esbuild, mocha, @vscode/vsce, …).
[ -d node_modules/playwright-core ] || npm ci

node test/vscode/runtime.mjs "$@"
