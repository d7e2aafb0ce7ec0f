#!/usr/bin/env bash
# aiscan next to its peers on the namespace lab, in one run, judged against the lab's ground truth.
#
#   test-fixtures/lab/bench.sh [WORKLOAD...]        default: all of them
#
#   C1  connect: 198.18.1.0/24 (half dark) × the ai-default port set      aiscan --mode connect vs nmap -sT
#   C2  connect: 3 live hosts + 1 dark host × ports 1-65535              aiscan --mode connect vs nmap -sT
#   W1  SYN: 198.18.1.0/24 (half dark) × 8000,11434,8188,9090             aiscan vs nmap -sS, masscan, zmap
#   W2  SYN: 3 live hosts + 1 dark host × ports 1-65535                  aiscan vs nmap -sS, masscan
#   W4  SYN: 16,384 live addresses × port 7777, all open                 aiscan vs nmap -sS, masscan, zmap
#   W5  SYN, sender only: 2,097,152 probes into 198.19.128.0/17, which the lab's gateway drops
#   W6  SYN on the scanner's own LAN (l2lab.sh): 198.18.2.0/24 + 2001:2:0:2::/120 × the AI port set, 20 live
#       hosts on one bridge, no router, the scanner's own address inside the range   aiscan vs nmap -sS (v4, then -6)
#   F1  service identification on the lab's AI endpoints and real Debian services      aiscan vs nmap -sV
#   F2  the lab's /24 × the AI port set (+22, 6380, 8889) with 21 known services and ten hostile servers
#       (tarpit, drip, endless body, gzip bomb, …) on AI ports: whole scan, default options   aiscan vs nmap -sV
#   F3  plain framework servers with nothing identifiable (frameworks.sh: ten uvicorn apps, Go, Node, nginx)
#       and the OpenAI-compatible stub, 127.0.0.1:8000-8014 in a loopback-only namespace   aiscan vs nmap -sV
#
# Each variant runs REPS times (default 3; nmap's untuned defaults, which take minutes here, once); W1's
# and W6's aiscan and nmap variants run in rounds, one of each in turn, so that they meet the same machine.
# The table shows, for the median run by wall time: wall and CPU seconds, peak RSS, open ports found
# against the lab's ground truth (read with ss and iptables inside the namespaces) and false
# positives, and the packet rate on the scanner's interface while it was sending (mean, best 1 s).
# "vs aiscan" divides the variant's wall time by aiscan's best on the workload (W5: aiscan's rate by
# the variant's), so above 1 means aiscan is ahead. Needs root; installs nothing but checks that
# nmap, masscan, zmap and GNU time are there. Builds the lab, removes it at the end.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
AISCAN="$ROOT/scanner/aiscan"
REPS="${REPS:-3}"
OUT="${BENCH_OUT:-$ROOT/bench-results/$(date +%Y%m%d-%H%M%S)}"
IFACE=aisl-up
SRC=198.18.254.1
GWMAC=02:a1:5c:00:fe:02
export AISCAN_ALLOWED_NETS="127.0.0.0/8,::1/128,198.18.0.0/15,2001:2::/48"
mkdir -p "$OUT"
: >"$OUT/empty-blocklist.conf"

for c in nmap masscan zmap /usr/bin/time python3 bc; do
  command -v "$c" >/dev/null || { echo "bench: missing $c (apt-get install -y nmap masscan zmap time python3 bc)" >&2; exit 1; }
done
[ -f "$ROOT/target/aiscan.jar" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)

"$HERE/lab.sh" up
cleanup() {
  [ -n "${HB_PID:-}" ] && kill "$HB_PID" 2>/dev/null || true
  "$HERE/services.sh" down 2>/dev/null || true
  "$HERE/l2lab.sh" down 2>/dev/null || true
  "$HERE/lab.sh" down
}
trap cleanup EXIT
"$HERE/lab.sh" truth >"$OUT/truth.txt"

AI_PORTS="$("$AISCAN" -p ai-default 198.18.1.1 --dry-run 2>/dev/null | awk '{print $2}' | sort -n | paste -sd, -)"

declare -a ROWS=() KEYS=()
declare -A RUNS=()

# masscan 1.3.2 never exits while no packet arrives on the adapter (research §B.5); a 5/s UDP
# heartbeat from the gateway to the scanner address wakes it. It goes to our own address only.
heartbeat_start() {
  ip netns exec aisl-gw bash -c 'while true; do echo hb >/dev/udp/198.18.254.1/9; sleep 0.2; done' 2>/dev/null &
  HB_PID=$!
}
heartbeat_stop() { kill "$HB_PID" 2>/dev/null || true; wait "$HB_PID" 2>/dev/null || true; HB_PID=; }

# measure WORKLOAD NAME FORMAT RESULT TARGETS PORTS REPS REQUESTED_PPS -- CMD...
#   TRUTH (default $OUT/truth.txt) is the ground truth; SAMPLE_NS/SAMPLE_IF name the namespace and
#   interface whose send counter is sampled (default: the root namespace's $IFACE)
#   REPS "-" = the default; REQUESTED_PPS "-" when the tool has no rate setting
measure() {
  local wl="$1" name="$2" fmt="$3" result="$4" targets="$5" ports="$6" reps="$7" req="$8"; shift 9
  [ "$reps" = "-" ] && reps="$REPS"
  local runs=() i
  case "$result" in
    "$OUT"/*) ;;
    *) echo "bench: result file $result is outside $OUT; refusing to run (it would be deleted)" >&2; exit 2 ;;
  esac
  for i in $(seq 1 "$reps"); do
    rm -f "$result" "$result"_*
    rm -f "$OUT/pps.txt.ready"
    if [ -n "${SAMPLE_NS:-}" ]; then
      ip netns exec "$SAMPLE_NS" python3 "$HERE/pps.py" "$SAMPLE_IF" "$OUT/pps.txt" & local sampler=$!
    else
      python3 "$HERE/pps.py" "$IFACE" "$OUT/pps.txt" & local sampler=$!
    fi
    # the sampler's own start-up (a Python interpreter, behind a pyenv shim here: often more than 0.3 s)
    # must not compete with the measured start: wait until it samples, then a little more
    local w
    for w in $(seq 1 100); do [ -f "$OUT/pps.txt.ready" ] && break; sleep 0.05; done
    sleep 0.2
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" >"$OUT/last.out" 2>"$OUT/last.err" || {
      echo "bench: $wl $name exited non-zero:" >&2; tail -3 "$OUT/last.err" >&2; }
    kill -TERM "$sampler"; wait "$sampler" 2>/dev/null || true
    local wall user sys rss found expected fp pmean pbest pk act
    read -r wall user sys rss < <(tail -1 "$OUT/time.txt") # GNU time puts "Command exited with non-zero status N" first
    if [[ "$fmt" == fp-* ]]; then
      read -r found expected < <(python3 "$HERE/fpscore.py" score "$OUT/fptruth.txt" "${fmt#fp-}" "$result" 2>>"$OUT/fp-misses.txt" || echo "0 0")
      fp=0
    else
      read -r found expected fp < <(python3 "$HERE/score.py" "${TRUTH:-$OUT/truth.txt}" "$targets" "$ports" "$fmt" "$result" 2>/dev/null || echo "0 0 0")
    fi
    read -r pmean pbest pk act <"$OUT/pps.txt"
    runs+=("$wall $(echo "$user + $sys" | bc) $((rss / 1024)) $found $expected $fp $pmean $pbest $req")
    cp "$OUT/last.err" "$OUT/$wl-$(echo "$name" | tr -c 'a-zA-Z0-9' '_')-$i.err" 2>/dev/null || true
  done
  local key="$wl|$name"
  [ -n "${RUNS[$key]+x}" ] || KEYS+=("$key")
  RUNS[$key]+="$(printf '%s\n' "${runs[@]}")"$'\n'
}

# One table row per variant measured since the last flush: the median run by wall time. Variants
# measured in rounds (one run of each in turn, see w1) meet the same machine state.
flush_rows() {
  local key lines n med
  for key in "${KEYS[@]}"; do
    lines="$(printf '%s' "${RUNS[$key]}" | sed '/^$/d' | sort -n)"
    n="$(printf '%s\n' "$lines" | wc -l)"
    med="$(printf '%s\n' "$lines" | sed -n "$(( (n + 1) / 2 ))p")"
    ROWS+=("${key%%|*}|${key#*|} (x$n)|$med")
    echo "bench: ${key%%|*} ${key#*|}: $med   (wall cpu rssMB found expected fp pps_mean pps_best requested); walls: $(printf '%s\n' "$lines" | awk '{print $1}' | paste -sd' ' -)" >&2
  done
  KEYS=(); RUNS=()
}

c1() {
  local t="198.18.1.0/24" p="$AI_PORTS"
  measure C1 "aiscan connect (default rate 5000)" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - - -- "$AISCAN" "$t" -p "$p" --mode connect --no-fingerprint --jsonl "$OUT/r.jsonl" -q
  measure C1 "aiscan connect --rate 0" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - - -- "$AISCAN" "$t" -p "$p" --mode connect --rate 0 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
  measure C1 "nmap -sT -T4" nmap-grepable "$OUT/r.gnmap" "$t" "$p" 1 - -- nmap -n -Pn -sT -T4 -p "$p" -oG "$OUT/r.gnmap" "$t"
  measure C1 "nmap -sT -T4 --min-rate 10000" nmap-grepable "$OUT/r.gnmap" "$t" "$p" - - -- nmap -n -Pn -sT -T4 --min-rate 10000 -p "$p" -oG "$OUT/r.gnmap" "$t"
}

c2() {
  local t="198.18.0.10-198.18.0.12,198.18.1.200" p="1-65535"
  local tt=(198.18.0.10-12 198.18.1.200)
  measure C2 "aiscan connect --rate 0" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - - -- "$AISCAN" "${tt[@]}" -p "$p" --mode connect --rate 0 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
  measure C2 "nmap -sT -T4" nmap-grepable "$OUT/r.gnmap" "$t" "$p" 1 - -- nmap -n -Pn -sT -T4 -p "$p" -oG "$OUT/r.gnmap" "${tt[@]}"
  measure C2 "nmap -sT -T5 --min-rate 50000" nmap-grepable "$OUT/r.gnmap" "$t" "$p" - - -- nmap -n -Pn -sT -T5 --min-rate 50000 -p "$p" -oG "$OUT/r.gnmap" "${tt[@]}"
}

masscan_cmd() { # RESULT RATE TARGETS PORTS
  echo timeout -k 5 120 masscan --adapter "$IFACE" --adapter-ip "$SRC" --router-mac "$GWMAC" "$3" -p"$4" --rate "$2" --wait 1 -oL "$1"
}

zmap_ports() { # RESULT RATE TARGETS PORTS...: one zmap run per port (zmap 2.1 scans one port per run)
  local result="$1" rate="$2" targets="$3"; shift 3
  local port
  for port in "$@"; do
    zmap -q -p "$port" -i "$IFACE" -S "$SRC" -G "$GWMAC" -b "$OUT/empty-blocklist.conf" -r "$rate" -c 1 \
      -o "${result}_${port}" "$targets" >/dev/null 2>&1 || true
  done
}

w1() {
  local t="198.18.1.0/24" p="8000,11434,8188,9090"
  local i
  # in rounds: well under a second each, so aiscan and nmap are compared on the same moment's machine
  for i in $(seq 1 "$REPS"); do
    measure W1 "aiscan syn --rate 100000" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" 1 100000 -- "$AISCAN" "$t" -p "$p" --rate 100000 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
    measure W1 "nmap -sS -T4 --min-rate 10000" nmap-grepable "$OUT/r.gnmap" "$t" "$p" 1 10000 -- nmap -n -Pn -sS -T4 --min-rate 10000 -p "$p" -oG "$OUT/r.gnmap" "$t"
    measure W1 "aiscan syn (default rate 5000)" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" 1 5000 -- "$AISCAN" "$t" -p "$p" --no-fingerprint --jsonl "$OUT/r.jsonl" -q
    measure W1 "nmap -sS -T4" nmap-grepable "$OUT/r.gnmap" "$t" "$p" 1 - -- nmap -n -Pn -sS -T4 -p "$p" -oG "$OUT/r.gnmap" "$t"
  done
  heartbeat_start
  # shellcheck disable=SC2046
  measure W1 "masscan --rate 10000" masscan-list "$OUT/r.lst" "$t" "$p" - 10000 -- $(masscan_cmd "$OUT/r.lst" 10000 "$t" "$p")
  # shellcheck disable=SC2046
  measure W1 "masscan --rate 100000" masscan-list "$OUT/r.lst" "$t" "$p" - 100000 -- $(masscan_cmd "$OUT/r.lst" 100000 "$t" "$p")
  heartbeat_stop
  export -f zmap_ports; export IFACE SRC GWMAC OUT
  measure W1 "zmap -r 100000, one run per port" zmap-csv "$OUT/r.zmap" "$t" "$p" - 100000 -- bash -c 'zmap_ports "$@"' _ "$OUT/r.zmap" 100000 "$t" 8000 11434 8188 9090
}

w2() {
  local t="198.18.0.10-198.18.0.12,198.18.1.200" p="1-65535"
  local tt=(198.18.0.10-12 198.18.1.200)
  measure W2 "aiscan syn --rate 100000" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - 100000 -- "$AISCAN" "${tt[@]}" -p "$p" --rate 100000 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
  measure W2 "aiscan syn --rate 300000" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - 300000 -- "$AISCAN" "${tt[@]}" -p "$p" --rate 300000 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
  measure W2 "nmap -sS -T4" nmap-grepable "$OUT/r.gnmap" "$t" "$p" 1 - -- nmap -n -Pn -sS -T4 -p "$p" -oG "$OUT/r.gnmap" "${tt[@]}"
  measure W2 "nmap -sS -T5 --min-rate 50000" nmap-grepable "$OUT/r.gnmap" "$t" "$p" - 50000 -- nmap -n -Pn -sS -T5 --min-rate 50000 -p "$p" -oG "$OUT/r.gnmap" "${tt[@]}"
  heartbeat_start
  measure W2 "masscan --rate 100000" masscan-list "$OUT/r.lst" "$t" "$p" - 100000 -- timeout -k 5 120 masscan --adapter "$IFACE" \
    --adapter-ip "$SRC" --router-mac "$GWMAC" 198.18.0.10-198.18.0.12 198.18.1.200 -p"$p" --rate 100000 --wait 1 -oL "$OUT/r.lst"
  heartbeat_stop
}

w4() {
  local t="198.18.64.0/18" p="7777"
  measure W4 "aiscan syn --rate 100000" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - 100000 -- "$AISCAN" "$t" -p "$p" --rate 100000 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
  measure W4 "aiscan syn --rate 300000" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - 300000 -- "$AISCAN" "$t" -p "$p" --rate 300000 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
  measure W4 "nmap -sS -T5 --min-rate 100000" nmap-grepable "$OUT/r.gnmap" "$t" "$p" - 100000 -- nmap -n -Pn -sS -T5 --min-rate 100000 -p "$p" -oG "$OUT/r.gnmap" "$t"
  heartbeat_start
  # shellcheck disable=SC2046
  measure W4 "masscan --rate 100000" masscan-list "$OUT/r.lst" "$t" "$p" - 100000 -- $(masscan_cmd "$OUT/r.lst" 100000 "$t" "$p")
  heartbeat_stop
  export -f zmap_ports; export IFACE SRC GWMAC OUT
  measure W4 "zmap -r 100000" zmap-csv "$OUT/r.zmap" "$t" "$p" - 100000 -- bash -c 'zmap_ports "$@"' _ "$OUT/r.zmap" 100000 "$t" 7777
}

w5() {
  local t="198.19.128.0/17"
  # 32,768 addresses × 64 ports = 2,097,152 SYNs, all dropped at the gateway
  local r="$OUT/w5.out"
  measure W5 "aiscan syn --rate 0 (2 send threads)" none "$r" "$t" 1 - 0 -- "$AISCAN" "$t" -p 1-64 --rate 0 --retries 0 --timeout 100 --no-fingerprint --jsonl "$r" -q
  measure W5 "aiscan syn --rate 0 --send-threads 1" none "$r" "$t" 1 - 0 -- "$AISCAN" "$t" -p 1-64 --rate 0 --retries 0 --timeout 100 --send-threads 1 --no-fingerprint --jsonl "$r" -q
  measure W5 "aiscan syn --rate 300000" none "$r" "$t" 1 - 300000 -- "$AISCAN" "$t" -p 1-64 --rate 300000 --retries 0 --timeout 100 --no-fingerprint --jsonl "$r" -q
  measure W5 "zmap -T 2 -r 0 (-P 64)" none "$r" "$t" 1 - 0 -- zmap -q -p 80 -i "$IFACE" -S "$SRC" -G "$GWMAC" -b "$OUT/empty-blocklist.conf" \
    -r 0 -T 2 -P 64 -c 1 -o "$r" "$t"
  measure W5 "zmap -T 1 -r 0 (-P 64)" none "$r" "$t" 1 - 0 -- zmap -q -p 80 -i "$IFACE" -S "$SRC" -G "$GWMAC" -b "$OUT/empty-blocklist.conf" \
    -r 0 -T 1 -P 64 -c 1 -o "$r" "$t"
  heartbeat_start
  measure W5 "masscan --rate 10000000" none "$r" "$t" 1 - 10000000 -- timeout -k 5 120 masscan --adapter "$IFACE" --adapter-ip "$SRC" \
    --router-mac "$GWMAC" "$t" -p1-64 --rate 10000000 --wait 0 -oL "$r"
  heartbeat_stop
}

# One nmap run per family (nmap scans IPv4 or IPv6, not both), results joined for scoring; each run
# starts with an empty neighbour table, as aiscan's do.
nmap_both() { # RESULT PORTS V4TARGET V6TARGET
  local result="$1" ports="$2"
  ip netns exec aisn-scan ip neigh flush all
  ip netns exec aisn-scan nmap -n -Pn -sS -T4 --min-rate 10000 -p "$ports" -oG "$result.v4" "$3" >/dev/null
  ip netns exec aisn-scan nmap -6 -n -Pn -sS -T4 --min-rate 10000 -p "$ports" -oG "$result.v6" "$4" >/dev/null
  cat "$result.v4" "$result.v6" >"$result"
}

in_l2() { # CMD...: in the on-link lab's scanner namespace, with an empty neighbour table
  ip netns exec aisn-scan ip neigh flush all
  exec ip netns exec aisn-scan "$@"
}

w6() {
  AISCAN_L2LAB_PLAIN=1 "$HERE/l2lab.sh" up   # every host answers ARP at once; the 400 ms-late one is for the tests
  "$HERE/l2lab.sh" truth >"$OUT/truth-l2.txt"
  local t="198.18.2.0/24,2001:2:0:2::/120" p="$AI_PORTS"
  export -f nmap_both in_l2
  local i
  for i in $(seq 1 "$REPS"); do # in rounds, as W1
    TRUTH="$OUT/truth-l2.txt" SAMPLE_NS=aisn-scan SAMPLE_IF=eth0 measure W6 "aiscan --mode auto (default rate 5000)" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" 1 5000 -- \
      bash -c 'in_l2 "$@"' _ "$AISCAN" 198.18.2.0/24 2001:2:0:2::/120 -p "$p" --mode auto --no-fingerprint --jsonl "$OUT/r.jsonl" -q
    TRUTH="$OUT/truth-l2.txt" SAMPLE_NS=aisn-scan SAMPLE_IF=eth0 measure W6 "aiscan --mode auto --rate 10000" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" 1 10000 -- \
      bash -c 'in_l2 "$@"' _ "$AISCAN" 198.18.2.0/24 2001:2:0:2::/120 -p "$p" --mode auto --rate 10000 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
    TRUTH="$OUT/truth-l2.txt" SAMPLE_NS=aisn-scan SAMPLE_IF=eth0 measure W6 "aiscan --mode auto --rate 100000" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" 1 100000 -- \
      bash -c 'in_l2 "$@"' _ "$AISCAN" 198.18.2.0/24 2001:2:0:2::/120 -p "$p" --mode auto --rate 100000 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
    TRUTH="$OUT/truth-l2.txt" SAMPLE_NS=aisn-scan SAMPLE_IF=eth0 measure W6 "nmap -sS -T4 --min-rate 10000, v4 + -6" nmap-grepable "$OUT/r.gnmap" "$t" "$p" 1 10000 -- \
      bash -c 'nmap_both "$@"' _ "$OUT/r.gnmap" "$p" 198.18.2.0/24 2001:2:0:2::/120
    TRUTH="$OUT/truth-l2.txt" SAMPLE_NS=aisn-scan SAMPLE_IF=eth0 measure W6 "aiscan IPv4 only --rate 10000" aiscan-jsonl "$OUT/r.jsonl" "198.18.2.0/24" "$p" 1 10000 -- \
      bash -c 'in_l2 "$@"' _ "$AISCAN" 198.18.2.0/24 -p "$p" --mode auto --rate 10000 --no-fingerprint --jsonl "$OUT/r.jsonl" -q
    TRUTH="$OUT/truth-l2.txt" SAMPLE_NS=aisn-scan SAMPLE_IF=eth0 measure W6 "nmap IPv4 only -sS -T4 --min-rate 10000" nmap-grepable "$OUT/r.gnmap" "198.18.2.0/24" "$p" 1 10000 -- \
      bash -c 'in_l2 "$@"' _ nmap -n -Pn -sS -T4 --min-rate 10000 -p "$p" -oG "$OUT/r.gnmap" 198.18.2.0/24
  done
  "$HERE/l2lab.sh" down
}

f2() {
  # the /24 with hostile servers: whole scan with default options, identification scored like F1
  "$HERE/services.sh" up
  python3 "$HERE/fpscore.py" truth >"$OUT/fptruth.txt"
  local p="ai-default,22,6380,8889"
  measure F2 "aiscan (SYN + fingerprint, defaults)" fp-aiscan-jsonl "$OUT/r.jsonl" - "$p" - - -- "$AISCAN" 198.18.0.0/24 -p "$p" --jsonl "$OUT/r.jsonl" -q
  measure F2 "nmap -sS -sV -T4 (capped at 600 s)" fp-nmap-xml "$OUT/r.xml" - "$AI_PORTS,22,6380,8889" 1 - -- \
    timeout 600 nmap -n -Pn -sS -sV -T4 -p "$AI_PORTS,22,6380,8889" -oX "$OUT/r.xml" 198.18.0.0/24
  "$HERE/services.sh" down
}

f1() {
  # service identification: the lab's fixture replays and the real Debian services (services.sh)
  "$HERE/services.sh" up
  python3 "$HERE/fpscore.py" truth >"$OUT/fptruth.txt"
  local p hosts=(198.18.0.10-12 198.18.0.30)
  p="$(awk '{print $2}' "$OUT/fptruth.txt" | sort -un | paste -sd, -)"
  measure F1 "aiscan (SYN + fingerprint)" fp-aiscan-jsonl "$OUT/r.jsonl" - "$p" - - -- "$AISCAN" "${hosts[@]}" -p "$p" --jsonl "$OUT/r.jsonl" -q
  measure F1 "nmap -sS -sV" fp-nmap-xml "$OUT/r.xml" - "$p" 1 - -- nmap -n -Pn -sS -sV -p "$p" -oX "$OUT/r.xml" "${hosts[@]}"
  "$HERE/services.sh" down
}

f3() {
  # what a raw probe of another protocol used to cost (uvicorn never answers one): the whole scan
  "$HERE/frameworks.sh" up
  "$HERE/frameworks.sh" truth >"$OUT/fwtruth.txt"
  local p=8000-8014
  TRUTH="$OUT/fwtruth.txt" SAMPLE_NS=aisfw SAMPLE_IF=lo measure F3 "aiscan (connect + fingerprint)" aiscan-jsonl "$OUT/r.jsonl" 127.0.0.1 "$p" - - -- \
    ip netns exec aisfw "$AISCAN" 127.0.0.1 -p "$p" --jsonl "$OUT/r.jsonl" -q
  TRUTH="$OUT/fwtruth.txt" SAMPLE_NS=aisfw SAMPLE_IF=lo measure F3 "nmap -sT -sV" nmap-grepable "$OUT/r.gnmap" 127.0.0.1 "$p" 1 - -- \
    ip netns exec aisfw nmap -n -Pn -sT -sV -p "$p" -oG "$OUT/r.gnmap" 127.0.0.1
  "$HERE/frameworks.sh" down
}

WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -eq 0 ] && WORKLOADS=(C1 C2 W1 W2 W4 W5 W6 F1 F2 F3)
for w in "${WORKLOADS[@]}"; do
  case "$w" in
    C1) c1 ;; C2) c2 ;; W1) w1 ;; W2) w2 ;; W4) w4 ;; W5) w5 ;; W6) w6 ;; F1) f1 ;; F2) f2 ;; F3) f3 ;;
    *) echo "bench: unknown workload $w" >&2; exit 2 ;;
  esac
  flush_rows
done

{
  echo "aiscan bench $(date -u +%FT%TZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); medians of $REPS unless (x1)"
  printf '%-3s %-40s %7s %6s %6s %11s %4s %9s %9s %9s %9s\n' WL variant wall_s cpu_s rssMB found/exp FP pps_mean pps_best requested "vs aiscan"
  for wl in $(printf '%s\n' "${ROWS[@]}" | cut -d'|' -f1 | uniq); do
    printf '%s\n' "${ROWS[@]}" | awk -F'|' -v w="$wl" '
      $1 == w { n++; name[n] = $2; split($3, f, " "); for (k = 1; k <= 9; k++) v[n, k] = f[k]
                if ($2 ~ /^aiscan/) { if (bestw == "" || f[1] < bestw) bestw = f[1]; if (f[7] > bestp) bestp = f[7] } }
      END { for (i = 1; i <= n; i++) {
              if (w == "W5") ratio = (v[i, 7] > 0) ? bestp / v[i, 7] : 0; else ratio = (bestw > 0) ? v[i, 1] / bestw : 0
              fe = (w == "W5") ? "-" : sprintf("%d/%d", v[i, 4], v[i, 5])
              printf "%-3s %-40s %7.2f %6.2f %6d %11s %4s %9d %9d %9s %8.2fx\n", w, name[i], v[i, 1], v[i, 2], v[i, 3], fe,
                     (w == "W5") ? "-" : v[i, 6], v[i, 7], v[i, 8], v[i, 9], ratio } }'
  done
} | tee "$OUT/summary.txt"
