#!/bin/bash
# Peak RSS of copse while it refuses a 1 GiB upload and accepts a 19 MiB one (a fresh server
# each): `docs/bench/upload_rss.sh` from the workspace, after `cargo build -p copse` (BIN= for another binary).
set -e
BIN=${BIN:-target/debug/copse}
measure() {
  local what=$1; shift
  local dir=$(mktemp -d); local port=$((9300 + RANDOM % 500))
  echo -n 'rss-test-password-1' | $BIN admin create-user --data-dir $dir --email rss@example.org --handle rss --name Rss >/dev/null
  $BIN serve --data-dir $dir --listen 127.0.0.1:$port >/dev/null 2>&1 & local pid=$!
  sleep 2
  local token=$(curl -s -X POST -H 'content-type: application/json' -d '{"email":"rss@example.org","password":"rss-test-password-1"}' http://127.0.0.1:$port/api/v1/auth/tokens | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  # Warm up: one small upload, so the baseline includes what every upload loads.
  printf '%%PDF-1.4\n%%%%EOF\n' | curl -s -o /dev/null -X POST -H "authorization: Bearer $token" --data-binary @- "http://127.0.0.1:$port/api/v1/files?name=warm.pdf"
  local base=$(grep VmHWM /proc/$pid/status | awk '{print $2}')
  local status=$("$@" | curl -s -o /tmp/rss.body -w '%{http_code}' -X POST -H "authorization: Bearer $token" -H 'content-type: application/octet-stream' -H 'Expect:' -T - "http://127.0.0.1:$port/api/v1/files?name=$what" || true)
  local peak=$(grep VmHWM /proc/$pid/status | awk '{print $2}')
  echo "$what: HTTP $status, peak RSS before $((base/1024)) MiB, after $((peak/1024)) MiB — $(head -c 120 /tmp/rss.body)"
  kill $pid; wait $pid 2>/dev/null || true; rm -rf $dir
}
measure huge.txt bash -c 'yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -c 1073741824'
measure minutes.pdf bash -c 'printf "%%PDF-1.4\n"; head -c 19922944 /dev/urandom'
