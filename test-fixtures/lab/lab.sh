#!/usr/bin/env bash
# aiscan network-namespace lab.
#
#   lab.sh up       build the lab (tears down a previous one of the same name first)
#   lab.sh down     remove every namespace, veth, process and file the lab created
#   lab.sh truth    print the ground truth read from inside the namespaces (see truth.py)
#   lab.sh status   show what is running
#   lab.sh requests print every request the lab's listeners received (the recording)
#
# Topology (all addresses in the RFC 2544 benchmark range 198.18.0.0/15 and RFC 5180's 2001:2::/48):
#
#   root ns  $P-up 198.18.254.1 ── gw0 198.18.254.2  [ns $P-gw: router, bridge br0 198.18.0.1/24]
#                                                        ├── $P-h10  198.18.0.10  2001:2::10
#                                                        ├── $P-h11  198.18.0.11  2001:2::11
#                                                        ├── $P-h12  198.18.0.12  2001:2::12
#                                                        ├── $P-any  198.18.0.20, AnyIP 198.18.1.0/25 (198.18.1.128/25 dark)
#                                                        ├── $P-w4   198.18.0.21, AnyIP 198.18.64.0/18, *:7777 open everywhere
#                                                        └── $P-bad  198.18.0.40, hostile servers on 7001-7007 (hostile.py)
#   198.19.128.0/17 is a sink: the gateway drops it on ingress and counts the packets (nft counter "sink").
#
# AISCAN_LAB sets the name prefix $P (default "aisl"). Needs root, iproute2, iptables, nftables, python3.
set -euo pipefail

P="${AISCAN_LAB:-aisl}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/guard.sh"
STATE="/run/aiscan-lab/$P"
PY=/usr/bin/python3
GW="$P-gw"

log() { echo "lab: $*" >&2; }

need() {
  [ "$(id -u)" = 0 ] || { log "the lab needs root (network namespaces); run it with sudo"; exit 1; }
  local missing=()
  command -v ip >/dev/null || missing+=(iproute2)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v nft >/dev/null || missing+=(nftables)
  command -v ping >/dev/null || missing+=(iputils-ping)
  [ -x /usr/bin/python3 ] || missing+=(python3)
  /usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
  if [ ${#missing[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null; then
      log "installing ${missing[*]} (apt-get)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
    else
      log "missing ${missing[*]}; install them first"; exit 1
    fi
  fi
  PY=/usr/bin/python3
}

nsx() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

start_listener() { # ns, specs...
  local ns="$1"; shift
  nsx "$ns" "$PY" "$HERE/listen.py" --log "$STATE/requests.log" "$@" >"$STATE/$ns.log" 2>&1 &
  echo $! >>"$STATE/pids"
}

add_host() { # name, v4, v6 (may be empty)
  local name="$1" v4="$2" v6="$3" ns="$P-$1"
  ip netns add "$ns"
  ip link add "$name" netns "$GW" type veth peer name eth0 netns "$ns"
  nsx "$GW" ip link set "$name" master br0 up
  nsx "$ns" ip link set lo up
  nsx "$ns" ip addr add "$v4/24" dev eth0
  [ -n "$v6" ] && nsx "$ns" ip -6 addr add "$v6/64" dev eth0 nodad
  nsx "$ns" ip link set eth0 up
  nsx "$ns" ip route add default via 198.18.0.1
  [ -n "$v6" ] && nsx "$ns" ip -6 route add default via 2001:2::1
  return 0
}

wait_listening() { # ns, count
  local ns="$1" want="$2" i
  for i in $(seq 1 100); do
    [ "$(nsx "$ns" ss -Htln | wc -l)" -ge "$want" ] && return 0
    sleep 0.05
  done
  log "listeners in $ns did not come up; see $STATE/$ns.log"; return 1
}

up() {
  need
  down quiet
  mkdir -p "$STATE"
  : >"$STATE/pids"
  guard_routes_add
  sysctl -qw net.ipv4.ip_forward=0 >/dev/null 2>&1 || true   # the root ns does not route for the lab

  ip netns add "$GW"
  ip link add "$P-up" type veth peer name gw0 netns "$GW"
  ip link set "$P-up" address 02:a1:5c:00:fe:01
  nsx "$GW" ip link set gw0 address 02:a1:5c:00:fe:02
  ip addr add 198.18.254.1/24 dev "$P-up"
  ip -6 addr add 2001:2:0:fe::1/64 dev "$P-up" nodad
  ip link set "$P-up" up
  nsx "$GW" ip link set lo up
  nsx "$GW" ip addr add 198.18.254.2/24 dev gw0
  nsx "$GW" ip -6 addr add 2001:2:0:fe::2/64 dev gw0 nodad
  nsx "$GW" ip link set gw0 up
  nsx "$GW" ip link add br0 type bridge
  nsx "$GW" ip addr add 198.18.0.1/24 dev br0
  nsx "$GW" ip -6 addr add 2001:2::1/64 dev br0 nodad
  nsx "$GW" ip link set br0 up
  nsx "$GW" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  for net in 198.18.0.0/24 198.18.1.0/24 198.18.64.0/18 198.19.128.0/17; do
    ip route add "$net" via 198.18.254.2 dev "$P-up"
  done
  ip -6 route add 2001:2::/64 via 2001:2:0:fe::2 dev "$P-up"
  nsx "$GW" ip route add default via 198.18.254.1
  nsx "$GW" ip -6 route add default via 2001:2:0:fe::1
  nsx "$GW" nft -f - <<NFT
table netdev aiscan_lab {
  counter sink {}
  counter dark {}
  chain ingress {
    type filter hook ingress device "gw0" priority -500; policy accept;
    ip daddr 198.19.128.0/17 counter name "sink" drop
    ip daddr 198.18.1.128/25 counter name "dark" drop
  }
}
NFT

  local name suffix listen drop specs p
  while read -r name suffix listen drop; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    add_host "$name" "198.18.0.$suffix" "2001:2::$suffix"
    specs=()
    for p in ${listen//,/ }; do specs+=("198.18.0.$suffix:$p" "[2001:2::$suffix]:$p"); done   # p is PORT or PORT=FIXTURE
    if [ -n "${drop:-}" ]; then
      for p in ${drop//,/ }; do
        nsx "$P-$name" iptables -A INPUT -p tcp --dport "${p%%=*}" -j DROP
        nsx "$P-$name" ip6tables -A INPUT -p tcp --dport "$p" -j DROP
      done
    fi
    start_listener "$P-$name" "${specs[@]}"
    wait_listening "$P-$name" "${#specs[@]}"
  done <"$HERE/hosts.conf"

  add_host any 198.18.0.20 ""
  nsx "$P-any" ip route add local 198.18.1.0/25 dev lo
  nsx "$GW" ip route add 198.18.1.0/24 via 198.18.0.20
  mapfile -t specs < <(grep -v '^\s*#' "$HERE/anyip.conf" | awk 'NF{print $1}')
  # AnyIP addresses need IP_FREEBIND-free binding: the local route makes them bindable.
  start_listener "$P-any" "${specs[@]}"
  wait_listening "$P-any" "${#specs[@]}"

  # A host of hostile servers (tarpit, drip, endless body, gzip bomb, ...), for the budget tests.
  add_host bad 198.18.0.40 ""
  nsx "$P-bad" "$PY" "$HERE/hostile.py" 198.18.0.40 >"$STATE/$P-bad.log" 2>&1 &
  echo $! >>"$STATE/pids"
  wait_listening "$P-bad" 7

  # The same and three more kinds on AI ports, where a scan of the AI set meets them (workload F2).
  add_host bad2 198.18.0.41 ""
  nsx "$P-bad2" "$PY" "$HERE/hostile.py" 198.18.0.41 8000=tarpit 11434=drip 8188=endless 9090=gzipbomb 8888=malformed \
    7860=redirect 3000=hugeheaders 5000=slowheaders 443=tlstarpit 22=bannerdrip >"$STATE/$P-bad2.log" 2>&1 &
  echo $! >>"$STATE/pids"
  wait_listening "$P-bad2" 10

  add_host w4 198.18.0.21 ""
  nsx "$P-w4" ip route add local 198.18.64.0/18 dev lo
  nsx "$GW" ip route add 198.18.64.0/18 via 198.18.0.21
  start_listener "$P-w4" "0.0.0.0:7777"
  wait_listening "$P-w4" 1

  # Warm the gateway's neighbour cache so the first probes do not wait for ARP/ND.
  local h
  for h in 10 11 12 20 21 40 41; do nsx "$GW" ping -c1 -W1 "198.18.0.$h" >/dev/null 2>&1 || true; done
  for h in 10 11 12; do nsx "$GW" ping -6 -c1 -W1 "2001:2::$h" >/dev/null 2>&1 || true; done
  ping -c1 -W1 198.18.254.2 >/dev/null 2>&1 || true
  ping -6 -c1 -W1 2001:2:0:fe::2 >/dev/null 2>&1 || true
  log "up: namespaces $(ip netns list | awk -v p="$P-" 'index($1,p)==1{printf "%s ", $1}')"
}

down() {
  local quiet="${1:-}"
  lab_namespaces_down "$P" "$STATE"
  ip link del "$P-up" 2>/dev/null || true
  rm -rf "$STATE"
  guard_routes_del
  [ -z "$quiet" ] && log "down"
  return 0
}

truth() { "$PY" "$HERE/truth.py" "$P"; }

status() {
  ip netns list | grep "^$P-" || echo "lab $P is down"
  [ -f "$STATE/pids" ] && echo "listener pids: $(tr '\n' ' ' <"$STATE/pids")"
  ip netns list | grep -q "^$GW" && nsx "$GW" nft list counters 2>/dev/null | grep -E "counter|packets" || true
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  truth) truth ;;
  status) status ;;
  requests) cat "$STATE/requests.log" 2>/dev/null || true ;;
  *) echo "usage: $0 up|down|truth|status" >&2; exit 2 ;;
esac
