#!/usr/bin/env bash
# aiscan next to its peers on the namespace lab, in one run, judged against the lab's ground truth.
#
#   test-fixtures/lab/bench.sh [WORKLOAD...]     default: W1 W2
#
#   W1  198.18.1.0/24 (half dark) × the ai-default port set
#   W2  3 live hosts + 1 dark host × ports 1-65535
#
# Each variant runs REPS times (default 3; nmap's untuned defaults, which take minutes here, once);
# the table shows the median wall time and the CPU time, peak RSS and accuracy of that run. "vs aiscan" is the peer's median wall time divided by aiscan's
# best variant on the workload (above 1 = aiscan faster). Needs root, nmap and GNU time; builds the
# lab itself and removes it at the end. Results are kept in bench-results/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
AISCAN="$ROOT/scanner/aiscan"
REPS="${REPS:-3}"
OUT="${BENCH_OUT:-$ROOT/bench-results/$(date +%Y%m%d-%H%M%S)}"
export AISCAN_ALLOWED_NETS="127.0.0.0/8,::1/128,198.18.0.0/15,2001:2::/48"
mkdir -p "$OUT"

for c in nmap /usr/bin/time python3; do
  command -v "$c" >/dev/null || { echo "bench: missing $c (apt-get install -y nmap time python3)" >&2; exit 1; }
done
[ -f "$ROOT/target/aiscan.jar" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)

"$HERE/lab.sh" up
trap '"$HERE/lab.sh" down' EXIT
"$HERE/lab.sh" truth >"$OUT/truth.txt"

AI_PORTS="$("$AISCAN" -p ai-default 198.18.1.1 --dry-run 2>/dev/null | awk '{print $2}' | sort -n | paste -sd, -)"

declare -a ROWS=()

# measure WORKLOAD NAME FORMAT RESULT TARGETS PORTS REPS -- CMD...   (REPS "-" = the default)
measure() {
  local wl="$1" name="$2" fmt="$3" result="$4" targets="$5" ports="$6" reps="$7"; shift 8
  [ "$reps" = "-" ] && reps="$REPS"
  local walls=() line best_line="" i
  for i in $(seq 1 "$reps"); do
    rm -f "$result"*
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" >"$OUT/last.out" 2>"$OUT/last.err" || {
      echo "bench: $name failed:" >&2; tail -5 "$OUT/last.err" >&2; }
    read -r wall user sys rss <"$OUT/time.txt"
    read -r found expected fp < <(python3 "$HERE/score.py" "$OUT/truth.txt" "$targets" "$ports" "$fmt" "$result")
    line="$wall $(echo "$user + $sys" | bc) $((rss / 1024)) $found $expected $fp"
    walls+=("$line")
    cp "$result" "$OUT/$wl-$(echo "$name" | tr -c 'a-zA-Z0-9' '_')-$i.out" 2>/dev/null || true
  done
  best_line="$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (reps + 1) / 2 ))p")"
  ROWS+=("$wl|$name (x$reps)|$best_line")
  echo "bench: $wl $name: $best_line (wall cpu rssMB found expected fp)" >&2
}

w1() {
  local t="198.18.1.0/24" p="$AI_PORTS"
  measure W1 "aiscan connect (default rate 5000)" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - -- "$AISCAN" "$t" -p "$p" --mode connect --jsonl "$OUT/r.jsonl" -q
  measure W1 "aiscan connect --rate 0" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - -- "$AISCAN" "$t" -p "$p" --mode connect --rate 0 --jsonl "$OUT/r.jsonl" -q
  measure W1 "nmap -sT -T4" nmap-grepable "$OUT/r.gnmap" "$t" "$p" 1 -- nmap -n -Pn -sT -T4 -p "$p" -oG "$OUT/r.gnmap" "$t"
  measure W1 "nmap -sT -T4 --min-rate 10000" nmap-grepable "$OUT/r.gnmap" "$t" "$p" - -- nmap -n -Pn -sT -T4 --min-rate 10000 -p "$p" -oG "$OUT/r.gnmap" "$t"
}

w2() {
  local t="198.18.0.10-198.18.0.12,198.18.1.200" p="1-65535"
  local tt="198.18.0.10-12 198.18.1.200"
  # shellcheck disable=SC2086
  measure W2 "aiscan connect --rate 0" aiscan-jsonl "$OUT/r.jsonl" "$t" "$p" - -- "$AISCAN" $tt -p "$p" --mode connect --rate 0 --jsonl "$OUT/r.jsonl" -q
  # shellcheck disable=SC2086
  measure W2 "nmap -sT -T4" nmap-grepable "$OUT/r.gnmap" "$t" "$p" 1 -- nmap -n -Pn -sT -T4 -p "$p" -oG "$OUT/r.gnmap" $tt
  # shellcheck disable=SC2086
  measure W2 "nmap -sT -T5 --min-rate 50000" nmap-grepable "$OUT/r.gnmap" "$t" "$p" - -- nmap -n -Pn -sT -T5 --min-rate 50000 -p "$p" -oG "$OUT/r.gnmap" $tt
}

WORKLOADS=("$@")
[ ${#WORKLOADS[@]} -eq 0 ] && WORKLOADS=(W1 W2)
for w in "${WORKLOADS[@]}"; do
  case "$w" in
    W1) w1 ;;
    W2) w2 ;;
    *) echo "bench: unknown workload $w" >&2; exit 2 ;;
  esac
done

{
  echo "aiscan bench $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $REPS"
  printf '%-4s %-38s %8s %7s %7s %11s %4s %10s\n' WL variant wall_s cpu_s rss_MB found/exp FP "vs aiscan"
  for wl in $(printf '%s\n' "${ROWS[@]}" | cut -d'|' -f1 | uniq); do
    best="$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v w="$wl" '$1==w && $2 ~ /^aiscan/ {split($3,a," "); print a[1]}' | sort -n | head -1)"
    printf '%s\n' "${ROWS[@]}" | awk -F'|' -v w="$wl" -v best="$best" '$1==w {
      split($3,a," "); ratio = (best > 0) ? a[1] / best : 0;
      printf "%-4s %-38s %8.2f %7.2f %7d %5d/%-5d %4d %9.2fx\n", $1, $2, a[1], a[2], a[3], a[4], a[5], a[6], ratio }'
  done
} | tee "$OUT/summary.txt"
