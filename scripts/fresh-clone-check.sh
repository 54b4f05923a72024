#!/usr/bin/env bash
# The README's two commands, run the way a newcomer runs them: in a fresh clone of this repository's
# committed HEAD, inside an empty private folder (mode 0700, like /root or many home folders) with
# nothing beside it, so a test or script that reads outside the repository, or needs something a
# fresh machine lacks, fails here. `.ci/run` is this script.
#
#   scripts/fresh-clone-check.sh            npm ci && npm test, then npm start (the demo answers)
#   scripts/fresh-clone-check.sh --no-test  npm start only
#   --mode 755                              the empty folder open to all (default 700: private)
set -euo pipefail
source_repo=$(cd "$(dirname "$0")/.." && pwd)
run_tests=yes
mode=700
while [ $# -gt 0 ]; do
  case "$1" in
    --no-test) run_tests=no ;;
    --mode) shift; mode="${1:-}" ;;
    *) echo "usage: $0 [--no-test] [--mode 700|755]" >&2; exit 2 ;;
  esac
  shift
done
case "$mode" in 700|755) ;; *) echo "--mode: 700 or 755" >&2; exit 2 ;; esac
parent=$(mktemp -d)
chmod "$mode" "$parent"
clone="$parent/streamlit-secrets"
demo_pid=""
cleanup() {
  if [ -n "$demo_pid" ]; then kill -TERM -- "-$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; fi
  rm -rf "$parent"
}
trap cleanup EXIT

git clone --quiet --no-hardlinks "$source_repo" "$clone"
cd "$clone"
echo "fresh clone of $(git rev-parse --short HEAD) in an empty 0$mode folder: $clone"

if [ "$run_tests" = yes ]; then
  echo "== npm ci && npm test"
  npm ci --no-audit --no-fund
  npm test
fi

# npm start, exactly as written: it must install what it needs, print the address, and answer there.
echo "== npm start"
log="$parent/npm-start.log"
setsid npm start >"$log" 2>&1 </dev/null &
demo_pid=$!
address=""
for _ in $(seq 1 900); do
  address=$(grep -oE 'http://127\.0\.0\.1:[0-9]+/?[^ ]*' "$log" | head -n 1 || true)
  [ -n "$address" ] && break
  if ! kill -0 "$demo_pid" 2>/dev/null; then break; fi
  sleep 1
done
if [ -z "$address" ]; then
  echo "npm start printed no address; its output:"
  cat "$log"
  exit 1
fi
status=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 30 "$address")
case "$status" in
  2??|3??) echo "npm start: $address answers (HTTP $status)" ;;
  *) echo "npm start: $address answered HTTP $status"; cat "$log"; exit 1 ;;
esac
