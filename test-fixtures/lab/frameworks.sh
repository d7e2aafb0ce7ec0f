#!/usr/bin/env bash
# Plain servers of the common frameworks, with nothing identifiable, and the OpenAI-compatible stub:
# what probe planning is measured on (a raw probe meant for another protocol must not cost them the
# exchange limit) and what a protocol detector must name. In namespace $NS, which holds only lo.
#
#   frameworks.sh up      build (Go), start them, wait until each answers
#   frameworks.sh down    stop them by pid, remove the namespace
#   frameworks.sh list    "PORT EXPECTED-ID EXPECTED-AUTH WHAT" per server
#   frameworks.sh truth   "open 127.0.0.1 PORT" per listening port, from ss in the namespace
#
# Ports: 8000-8009 ten uvicorn one-route ASGI apps (Debian's python3-uvicorn 0.17.6, h11) · 8010 Go
# net/http · 8011 Node http · 8012 nginx · 8013 the OpenAI-compatible stub, open · 8014 the stub with a key
# Needs: python3-uvicorn golang-go nodejs nginx (Debian packages).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/frameworks"
NS="${AISCAN_FW_NS:-aisfw}"
STATE="/run/aiscan-frameworks/$NS"
PY=/usr/bin/python3   # Debian's, where python3-uvicorn is

log() { echo "frameworks: $*" >&2; }
nsx() { ip netns exec "$NS" "$@"; }

list() {
  local p
  for p in $(seq 8000 8009); do echo "$p - - uvicorn"; done
  echo "8010 - - go-net-http"
  echo "8011 - - node-http"
  echo "8012 - - nginx"
  echo "8013 openai-compatible none openai-stub-open"
  echo "8014 openai-compatible required openai-stub-key"
}

start() { # name, command...
  local name="$1"; shift
  nsx setsid "$@" >"$STATE/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$STATE/pids"
}

up() {
  [ "$(id -u)" = 0 ] || { log "needs root (network namespaces)"; exit 1; }
  "$PY" -c 'import uvicorn' 2>/dev/null || { log "missing Debian's python3-uvicorn (apt-get install python3-uvicorn)"; exit 1; }
  for c in go node nginx; do command -v "$c" >/dev/null || { log "missing $c (apt-get install golang-go nodejs nginx)"; exit 1; }; done
  down quiet
  mkdir -p "$STATE/nginx"
  : >"$STATE/pids"
  (cd "$SRC" && GOCACHE="$STATE/gocache" GOPATH="$STATE/gopath" GO111MODULE=off go build -o "$STATE/goserver" server.go) \
    || { log "go build failed"; exit 1; }
  ip netns add "$NS"
  nsx ip link set lo up
  local p
  for p in $(seq 8000 8009); do
    start "uvicorn-$p" "$PY" -m uvicorn --app-dir "$SRC" app:app --host 127.0.0.1 --port "$p" --no-access-log
  done
  start go "$STATE/goserver" 127.0.0.1:8010
  start node node "$SRC/server.js" 127.0.0.1 8011
  cat >"$STATE/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $STATE/nginx/nginx.pid;
error_log $STATE/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $STATE/nginx; proxy_temp_path $STATE/nginx; fastcgi_temp_path $STATE/nginx;
  uwsgi_temp_path $STATE/nginx; scgi_temp_path $STATE/nginx;
  server { listen 127.0.0.1:8012; location / { return 200 "ok\n"; } }
}
CONF
  start nginx nginx -c "$STATE/nginx/nginx.conf"
  start stub-open "$PY" "$SRC/openai_stub.py" 127.0.0.1 8013 open
  start stub-key "$PY" "$SRC/openai_stub.py" 127.0.0.1 8014 key
  local i code
  for p in $(seq 8000 8014); do
    for i in $(seq 1 100); do
      code="$(nsx curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$p/" || true)"
      [ "$code" != "000" ] && [ -n "$code" ] && break
      sleep 0.1
    done
    [ "$code" != "000" ] || { log "127.0.0.1:$p does not answer; see $STATE/*.log"; exit 1; }
  done
  log "up in namespace $NS (loopback only): $(list | wc -l) servers"
}

down() {
  if [ -f "$STATE/pids" ]; then
    while read -r pid name; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done <"$STATE/pids"
    sleep 0.5
    while read -r pid name; do kill -KILL -- "-$pid" 2>/dev/null || true; done <"$STATE/pids"
    rm -f "$STATE/pids"
  fi
  if ip netns list | grep -q "^$NS\b"; then
    ip netns pids "$NS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$NS"
  fi
  [ -n "${1:-}" ] || log "down"
}

truth() {
  nsx ss -Htln | awk '{print $4}' | sed 's/.*://' | sort -un | sed 's/^/open 127.0.0.1 /'
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  list) list ;;
  truth) truth ;;
  *) echo "usage: $0 up|down|list|truth" >&2; exit 2 ;;
esac
