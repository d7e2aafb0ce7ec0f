#!/usr/bin/env bash
# aiscan on-link lab: the scanner and its targets on one Ethernet bridge, no router in between, so a
# SYN scan has to find each target's MAC itself (ARP, neighbour discovery) and the scanner's own
# address is inside the scanned range.
#
#   l2lab.sh up       build it (tears down a previous one first)
#   l2lab.sh down     remove every namespace, veth, process and file it created
#   l2lab.sh truth    the ground truth, read with ss and iptables inside the namespaces (truth.py)
#   l2lab.sh exec CMD run CMD in the scanner's namespace (aiscan, nmap, tcpdump: what a user on that LAN runs)
#
# Topology (RFC 2544 198.18.0.0/15 and RFC 5180 2001:2::/48 only):
#
#   [ns $P-br: bridge br0; 198.18.2.254 + 2001:2:0:2::fe, a router for 198.18.3.0/24 (AnyIP, listeners
#    on 198.18.3.5:8000 and .9:11434) and 2001:2:0:3::/120]
#     ├── $P-scan  198.18.2.1  2001:2:0:2::1   the scanner; listens on 198.18.2.1:8000, 198.18.2.1:11434,
#     │                                        [2001:2:0:2::1]:8188 (its own open ports)
#     └── $P-nNN   198.18.2.NN 2001:2:0:2::NN  one per line of l2hosts.conf; every other address is dark
#
# AISCAN_L2LAB sets the name prefix $P (default "aisn"); AISCAN_L2LAB_PLAIN=1 leaves out the "slowarp" host
# (an artificial case for the late-answer test: real hosts answer ARP in microseconds). Needs root, iproute2, iptables, nftables, python3.
set -euo pipefail

P="${AISCAN_L2LAB:-aisn}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/guard.sh"
STATE="/run/aiscan-lab/$P"
PY=/usr/bin/python3
BR="$P-br"
SCAN="$P-scan"

log() { echo "l2lab: $*" >&2; }
nsx() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

start_listener() { # ns, specs...
  local ns="$1"; shift
  nsx "$ns" "$PY" "$HERE/listen.py" "$@" >"$STATE/$ns.log" 2>&1 &
  echo $! >>"$STATE/pids"
}

wait_listening() { # ns, count
  local ns="$1" want="$2" i
  for i in $(seq 1 200); do
    [ "$(nsx "$ns" ss -Htln | wc -l)" -ge "$want" ] && return 0
    sleep 0.05
  done
  log "listeners in $ns did not come up; see $STATE/$ns.log"; return 1
}

attach() { # ns, v4, v6: a namespace with one leg on the bridge
  local ns="$1" v4="$2" v6="$3" leg="v${4}"
  ip netns add "$ns"
  ip link add "$leg" netns "$BR" type veth peer name eth0 netns "$ns"
  nsx "$BR" ip link set "$leg" master br0 up
  nsx "$ns" ip link set lo up
  nsx "$ns" ip addr add "$v4/24" dev eth0
  nsx "$ns" ip -6 addr add "$v6/64" dev eth0 nodad
  nsx "$ns" ip link set eth0 up
}

up() {
  [ "$(id -u)" = 0 ] || { log "needs root (network namespaces)"; exit 1; }
  down quiet
  mkdir -p "$STATE"
  : >"$STATE/pids"
  guard_routes_add
  ip netns add "$BR"
  nsx "$BR" ip link set lo up
  nsx "$BR" ip link add br0 type bridge
  nsx "$BR" ip link set br0 type bridge forward_delay 0 mcast_snooping 0
  nsx "$BR" ip addr add 198.18.2.254/24 dev br0
  nsx "$BR" ip -6 addr add 2001:2:0:2::fe/64 dev br0 nodad
  nsx "$BR" ip link set br0 up
  nsx "$BR" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  nsx "$BR" ip route add local 198.18.3.0/24 dev lo
  nsx "$BR" ip -6 route add local 2001:2:0:3::/120 dev lo
  nsx "$BR" ip -6 addr add 2001:2:0:3::5/128 dev lo nodad   # IPv6 binds only to configured addresses
  start_listener "$BR" 198.18.3.5:8000 198.18.3.9:11434 "[2001:2:0:3::5]:8000"

  attach "$SCAN" 198.18.2.1 2001:2:0:2::1 scan
  nsx "$SCAN" ip route add 198.18.3.0/24 via 198.18.2.254
  nsx "$SCAN" ip -6 route add 2001:2:0:3::/120 via 2001:2:0:2::fe
  start_listener "$SCAN" 198.18.2.1:8000 198.18.2.1:11434 "[2001:2:0:2::1]:8188"

  local name suffix listen special specs p v4 v6 n=0
  while read -r name suffix listen special; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    [ "$special" = slowarp ] && [ -n "${AISCAN_L2LAB_PLAIN:-}" ] && continue
    v4="198.18.2.$suffix"; v6="2001:2:0:2::$suffix"
    attach "$P-$name" "$v4" "$v6" "$name"
    specs=()
    if [ "$listen" != "-" ]; then
      for p in ${listen//,/ }; do
        case "$p" in
          */4) specs+=("$v4:${p%/4}") ;;
          */6) specs+=("[$v6]:${p%/6}") ;;
          *) specs+=("$v4:$p" "[$v6]:$p") ;;
        esac
      done
    else
      specs+=("$v4:9")   # a host with nothing of interest: discard port only (not in the AI set)
    fi
    case "$special" in
      dropall)
        nsx "$P-$name" iptables -A INPUT -p tcp -j DROP
        nsx "$P-$name" ip6tables -A INPUT -p tcp -j DROP ;;
      slowarp)
        nsx "$P-$name" nft -f - <<NFT
table arp aiscan_slowarp {
  chain out { type filter hook output priority 0; policy accept; arp operation reply drop; }
}
NFT
        nsx "$P-$name" "$PY" "$HERE/slowarp.py" eth0 "$v4" 0.4 >"$STATE/$P-$name-arp.log" 2>&1 &
        echo $! >>"$STATE/pids" ;;
    esac
    start_listener "$P-$name" "${specs[@]}"
    n=$((n + 1))
  done <"$HERE/l2hosts.conf"
  # every namespace's listeners, then nothing cached: neighbour tables start empty, as on a fresh LAN
  for ns in $(ip netns list | awk -v p="$P-" 'index($1,p)==1{print $1}'); do
    [ "$ns" = "$BR" ] && continue
    wait_listening "$ns" 1
  done
  wait_listening "$BR" 3
  nsx "$SCAN" ip neigh flush all
  log "up: the scanner's namespace $SCAN (198.18.2.1, 2001:2:0:2::1) and $n hosts on ${BR}'s bridge"
}

down() {
  local quiet="${1:-}"
  lab_namespaces_down "$P" "$STATE"
  rm -rf "$STATE"
  guard_routes_del
  [ -z "$quiet" ] && log "down"
  return 0
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  truth) "$PY" "$HERE/truth.py" "$P" ;;
  exec) shift; nsx "$SCAN" "$@" ;;
  *) echo "usage: $0 up|down|truth|exec CMD..." >&2; exit 2 ;;
esac
