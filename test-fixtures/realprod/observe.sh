#!/usr/bin/env bash
# Records what each running real-product variant answers to read-only GETs (realprod.sh up first).
#
#   observe.sh OUTDIR [ID-VARIANT...]     default: every variant in `realprod.sh list`
#   OBSERVE_SSE=1 observe.sh ...          also, for the MCP servers (mcp-everything-*, mcp-supergateway-*),
#                                         one bounded GET /sse (curl -N --max-time 3), research only: what
#                                         it answers and when, and what the product logs and spawns meanwhile
#
# One file per variant, OUTDIR/<id>-<variant>.txt: the header OUTDIR/headers/<id>-<variant>.hdr (product,
# version, how started, the source lines of its routes; written by hand) when there is one, then per
# request the request lines curl sent and the raw response: status line, headers, the first 3000 bytes of
# the body (favicon: headers only). Every request is a GET with curl's own headers, --max-time 5, made
# inside the variant's namespace - except, for Flowise only, one POST /api/v1/auth/resolve (read-only in
# effect: it counts organizations), the only request that tells a fresh Flowise from a set-up one.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:?usage: observe.sh OUTDIR [ID-VARIANT...]}"; shift
mkdir -p "$OUT"
COMMON="/ /favicon.ico /info /v1/models /api/version /openapi.json /mcp /messages/ /message /.well-known/agent-card.json
/.well-known/agent.json /config /health /api/v1/ping"

# Routes read from each product's installed source (file:line in the .hdr files) that identify it,
# give its version or tell whether auth is on / it is set up. Nothing here changes state.
extra() {
  case "$1" in
    flowise-*) echo "/api/v1/auth/resolve /api/v1/version /api/v1/settings /api/v1/loginmethod/default /api/v1/user/test /api/v1/ip /api/v1/chatflows
/api/v1/apikey /api/v1/organization /api/v1/auth/permissions/ORGANIZATION /api/v1/pricing /signin /organization-setup /manifest.json" ;;
    openclaw-*) echo "/healthz /readyz /ready /startupz /__openclaw__/control-ui-config.json /__openclaw/control-ui-config.json
/v1/responses /v1/chat/completions /tools/invoke /api/channels /manifest.webmanifest /favicon.svg" ;;
    mcp-everything-*|mcp-supergateway-*) echo "/healthz" ;;
    mcp-inspector-0.22-proxy-*) echo "/sandbox" ;;
    mcp-inspector-0.22-client-*) echo "/index.html /mcp.svg" ;;
    mcp-inspector-2.12-*) echo "/healthz /api/config /api/servers /api/import-source /api/storage/settings" ;;
    portkey-gateway-*) echo "/public/ /public /public/logs /v1/chat/completions /v1/files" ;;
    promptfoo-*) echo "/api/version /api/user/email /api/user/id /api/user/cloud-config /api/results /api/configs
/api/providers/config-status /api/datasets /api/prompts /api/history /api/redteam/status /api/model-audit/scans" ;;
    genkit-dev-ui) echo "/api/__health /api/getGenkitEnvironment /api/getCurrentRuntime /api/getActiveRuntimes
/api/getAppProcessStatus" ;;
    genkit-telemetry-api) echo "/api/__health /api/traces /api/logs" ;;
    node-red-*) echo "/settings /auth/login /flows /nodes /diagnostics /red/about /red/keymap.json /icons /theme
/locales/editor /plugins /debug/view/view.html" ;;
    llama-cpp-*) echo "/props /health /slots /metrics" ;;
    chroma-*) echo "/api/v2/heartbeat /api/v2/version /api/v2/auth/identity /docs" ;;
    n8n-*) echo "/healthz /rest/settings /rest/login /signin /setup" ;;
    a2a-*) echo "/listCommands /tasks/metadata /.well-known/agent-card.json /v1/card" ;;
  esac
}

probe() { # ns addr port path [headers-only]
  local ns="$1" addr="$2" port="$3" path="$4" headonly="${5:-}" t rc=0
  t="$(mktemp -d)"
  ip netns exec "$ns" curl -sS -v --max-time 5 -D "$t/h" -o "$t/b" "http://$addr:$port$path" 2>"$t/v" || rc=$?
  echo "=================================================================="
  echo "### GET $path   (ip netns exec $ns curl -sS -i --max-time 5 http://$addr:$port$path)"
  grep '^> ' "$t/v" | tr -d '\r'
  [ "$rc" = 0 ] || echo "!!! curl exit $rc: $(grep -m1 '^curl:' "$t/v" || tail -1 "$t/v")"
  tr -d '\r' <"$t/h" | sed 's/^/< /'
  local n; n=$(stat -c %s "$t/b" 2>/dev/null || echo 0)
  if [ -n "$headonly" ]; then
    echo "[body: $n bytes, not shown]"
  else
    head -c 3000 "$t/b"; echo
    [ "$n" -le 3000 ] || echo "[... body: $n bytes in all, first 3000 shown]"
  fi
  rm -rf "$t"
}

sse_probe() { # ns addr port variant-log: one bounded GET /sse and what the product did meanwhile
  local ns="$1" addr="$2" port="$3" L="$4" n0 t cp rc=0
  pids() { ip netns pids "$ns" | xargs -r ps -o pid=,ppid=,rss=,args= -p | grep -v tcpdump | cut -c1-170; }
  echo "=================================================================="
  echo "### GET /sse (research only)   ip netns exec $ns curl -sS -i -N --max-time 3 http://$addr:$port/sse"
  echo "--- processes in $ns before (pid ppid rss-KB args):"; pids
  n0=$(wc -l <"$L"); t="$(mktemp)"
  ip netns exec "$ns" curl -sS -i -N --max-time 3 -w '\n[curl: first byte after %{time_starttransfer} s, total %{time_total} s]\n' \
    "http://$addr:$port/sse" >"$t" 2>&1 &
  cp=$!; sleep 1.5
  echo "--- product log 1.5 s into the request (client still connected):"; tail -n +$((n0 + 1)) "$L" | head -20
  echo "--- processes 1.5 s into the request:"; pids
  wait "$cp" || rc=$?
  echo "--- the response:"; tr -d '\r' <"$t" | head -c 3000; echo "[curl exit $rc]"
  sleep 2
  echo "--- product log from the request until 2 s after the client closed:"; tail -n +$((n0 + 1)) "$L" | head -30
  echo "--- processes 2 s after the client closed:"; pids
  rm -f "$t"
}

"$HERE/realprod.sh" list | while read -r ns addr port id variant; do
  key="$id-$variant"
  if [ $# -gt 0 ]; then case " $* " in *" $key "*) ;; *) continue ;; esac; fi
  {
    if [ -f "$OUT/headers/$key.hdr" ]; then cat "$OUT/headers/$key.hdr"; fi
    echo "# observed $(date -u +%Y-%m-%dT%H:%M:%SZ) at $ns $addr:$port"
    for p in $COMMON $(extra "$key"); do
      case "$p" in
        /favicon.ico) probe "$ns" "$addr" "$port" "$p" headers-only ;;
        *) probe "$ns" "$addr" "$port" "$p" ;;
      esac
    done
    case "$key" in
      flowise-*)
        echo "=================================================================="
        echo "### POST /api/v1/auth/resolve (NOT a GET; read-only in effect; what the UI asks first)   (ip netns exec $ns curl -sS -i -X POST --max-time 5 http://$addr:$port/api/v1/auth/resolve)"
        ip netns exec "$ns" curl -sS -i -X POST --max-time 5 "http://$addr:$port/api/v1/auth/resolve" | tr -d '\r' | head -c 3000; echo ;;
    esac
    if [ -n "${OBSERVE_SSE:-}" ]; then
      case "$key" in
        mcp-everything-*|mcp-supergateway-*) sse_probe "$ns" "$addr" "$port" "$("$HERE/realprod.sh" logdir)/${key#mcp-}.log" ;;
      esac
    fi
  } >"$OUT/$key.txt" 2>&1
  echo "$OUT/$key.txt"
done
