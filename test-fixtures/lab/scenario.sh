#!/usr/bin/env bash
# Host scenarios for the collect and audit tests: one network namespace per scenario, joined to the
# root namespace by its own veth, configured with a real firewall (ufw, iptables with Docker's
# rules, ip6tables, nftables) and listeners that replay recorded AI services.
#
#   scenario.sh up NAME       build scenario NAME (replacing a previous one); prints its address
#   scenario.sh down NAME     remove it: processes, namespaces, veth, /etc/netns copy
#   scenario.sh down-all      remove every scenario
#   scenario.sh list          the scenarios and their addresses
#   scenario.sh capture NAME DIR   write the host's outputs (ss, iptables-save, ufw, nft, …) into DIR
#                             under the file names `aiscan collect --from DIR` reads
#
# Address plan: scenario number N gets 198.18.(30+N).2/24 and 2001:2:0:(30+N)::2/64 (root side .1/::1).
# Containers sit on a "docker0" bridge 10.17.0.0/16 inside the scenario namespace. Nothing leaves the
# machine; every address is in the benchmarking ranges.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3
STATE=/run/aiscan-lab/scenarios
BIN=/run/aiscan-lab/bin
. "$HERE/guard.sh"

# name -> number (the address plan)
declare -A NUM=([nofw]=1 [ufw-subnet]=2 [ufw-docker]=3 [ufw-docker-fixed]=4 [v6open]=5 [nft-only]=6 [ratelimit]=7
  [shadowed]=8 [loopback]=9 [webapps]=10 [ratelimit-docker]=11 [stack-split]=12
  [jupyter-token]=13 [ufw-docker-gap]=14 [kube-iptables]=15 [kube-nft]=16 [firewalld]=17 [podman]=18)

log() { echo "scenario: $*" >&2; }

ns_of() { echo "aish-$1"; }

x() { ip netns exec "$NS" "$@"; }

listen() { # NS SPEC... (listen.py specs: ADDR:PORT[=FIXTURE]); optional PROC=name env renames the process
  local ns="$1"; shift
  local exe="$PY"
  if [ -n "${PROC:-}" ]; then
    mkdir -p "$BIN"; cp -f "$PY" "$BIN/$PROC"; exe="$BIN/$PROC"
  fi
  ip netns exec "$ns" "$exe" "$HERE/listen.py" --log "$STATE/$NAME/requests.log" "$@" >>"$STATE/$NAME/listen.log" 2>&1 &
  echo $! >>"$STATE/$NAME/pids"
}

wait_port() { # NS PORT
  local i
  for i in $(seq 1 100); do
    ip netns exec "$1" ss -Htln "sport = :$2" | grep -q . && return 0
    sleep 0.05
  done
  log "nothing listens on $2 in $1"; return 1
}

base() { # the namespace, its veth and private /etc/ufw and /etc/default
  local n="${NUM[$NAME]}" o=$((30 + ${NUM[$NAME]}))
  ip netns add "$NS"
  ip link add "aish$n" type veth peer name eth0 netns "$NS"
  ip addr add "198.18.$o.1/24" dev "aish$n"
  ip -6 addr add "2001:2:0:$o::1/64" dev "aish$n" nodad
  ip link set "aish$n" up
  x ip link set lo up
  x ip addr add "198.18.$o.2/24" dev eth0
  x ip -6 addr add "2001:2:0:$o::2/64" dev eth0 nodad
  x ip link set eth0 up
  x ip route add default via "198.18.$o.1"
  x ip -6 route add default via "2001:2:0:$o::1"
  mkdir -p "/etc/netns/$NS"
  cp -a /etc/ufw "/etc/netns/$NS/ufw"
  cp -a /etc/default "/etc/netns/$NS/default"
  V4="198.18.$o.2"; V6="2001:2:0:$o::2"
}

# The Docker bridge containers sit on: docker0 10.17.0.0/16 unless a scenario sets BR, BRGW and BRLEN
# (a compose network on its own pool).
BR=docker0 BRGW=10.17.0.1 BRLEN=16 BRNET=10.17.0.0/16

container() { # NAME IP FIXTURE-SPEC...: a "container" namespace on the bridge with listeners
  local cname="$1" ip="$2"; shift 2
  local cns="$NS-$cname"
  if ! x ip link show "$BR" >/dev/null 2>&1; then
    x ip link add "$BR" type bridge
    x ip addr add "$BRGW/$BRLEN" dev "$BR"
    x ip link set "$BR" up
    x sysctl -qw net.ipv4.ip_forward=1
  fi
  ip netns add "$cns"
  ip link add "veth$cname" netns "$NS" type veth peer name eth0 netns "$cns"
  x ip link set "veth$cname" master "$BR" up
  ip netns exec "$cns" ip link set lo up
  ip netns exec "$cns" ip addr add "$ip/$BRLEN" dev eth0
  ip netns exec "$cns" ip link set eth0 up
  ip netns exec "$cns" ip route add default via "$BRGW"
  listen "$cns" "$@"
}

# Docker 28/29's iptables rules for `-p [HOSTIP:]PORT:CPORT` to container CIP (research/host-audit.md §2.1/2.2).
docker_base() {
  x iptables -N DOCKER-USER 2>/dev/null || true
  x iptables -N DOCKER-FORWARD; x iptables -N DOCKER; x iptables -N DOCKER-BRIDGE; x iptables -N DOCKER-CT; x iptables -N DOCKER-INTERNAL
  x iptables -I FORWARD 1 -j DOCKER-USER
  x iptables -I FORWARD 2 -j DOCKER-FORWARD
  x iptables -A DOCKER-FORWARD -j DOCKER-CT
  x iptables -A DOCKER-FORWARD -j DOCKER-INTERNAL
  x iptables -A DOCKER-FORWARD -j DOCKER-BRIDGE
  x iptables -A DOCKER-FORWARD -i "$BR" -j ACCEPT
  x iptables -A DOCKER-BRIDGE -o $BR -j DOCKER
  x iptables -A DOCKER-CT -o $BR -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  x iptables -t nat -N DOCKER
  x iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
  x iptables -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
  x iptables -t nat -A POSTROUTING -s $BRNET ! -o $BR -j MASQUERADE
}

docker_publish() { # HOSTIP|"" PORT CIP CPORT
  local hip="$1" port="$2" cip="$3" cport="$4"
  if [ -n "$hip" ]; then
    x iptables -t nat -A DOCKER -d "$hip/32" ! -i $BR -p tcp -m tcp --dport "$port" -j DNAT --to-destination "$cip:$cport"
    [ "$hip" = 127.0.0.1 ] && x iptables -t raw -A PREROUTING -d 127.0.0.1/32 ! -i lo -p tcp -m tcp --dport "$port" -j DROP
  else
    x iptables -t nat -A DOCKER ! -i $BR -p tcp -m tcp --dport "$port" -j DNAT --to-destination "$cip:$cport"
  fi
  x iptables -A DOCKER -d "$cip/32" ! -i $BR -o $BR -p tcp -m tcp --dport "$cport" -j ACCEPT
}

docker_finish() { # the per-network default drop and the direct-access protection come last
  x iptables -A DOCKER ! -i $BR -o $BR -j DROP
  local cip
  for cip in "$@"; do x iptables -t raw -A PREROUTING -d "$cip/32" ! -i $BR -j DROP; done
}

ufw_on() { # enables ufw with default deny incoming and allow 22 (SSH stays in)
  x ufw --force reset >/dev/null
  x ufw default deny incoming >/dev/null
  x ufw default allow outgoing >/dev/null
  x ufw allow 22/tcp >/dev/null
  "$@" >/dev/null
  x ufw --force enable >/dev/null
}

# ---------------------------------------------------------------------------------------------------
# The scenarios. Each one says what it is; the tests hold what it must produce.

scenario_nofw() { # no firewall at all; services bound to every address, one to loopback only
  base
  listen "$NS" "0.0.0.0:22=ssh/openssh" "0.0.0.0:8000=vllm/open-0.10.1.1" "[::]:11434=ollama/open-0.5.7" \
    "0.0.0.0:11434=ollama/open-0.5.7" "127.0.0.1:9090=prometheus/open-3.5.0"
  wait_port "$NS" 9090
}

scenario_ufw_subnet() { # ufw default deny; Ollama allowed from one /29 only (the scanner is not in it); Prometheus from anywhere
  base
  ufw_on x ufw allow from "198.18.$((30 + ${NUM[$NAME]})).200/29" to any port 11434 proto tcp comment "Ollama LAN only"
  x ufw allow 9090/tcp comment "Prometheus for the dashboard" >/dev/null
  listen "$NS" "0.0.0.0:22=ssh/openssh" "0.0.0.0:11434=ollama/open-0.5.7" "0.0.0.0:9090=prometheus/open-3.5.0"
  wait_port "$NS" 9090
}

scenario_ufw_docker() { # ufw denies 8000, yet Docker's DNAT publishes the container on it (the bypass)
  base
  ufw_on x ufw deny 8000/tcp comment "vLLM must not be public"
  docker_base
  docker_publish "" 8000 10.17.0.2 8000
  docker_publish 127.0.0.1 11434 10.17.0.3 11434
  docker_finish 10.17.0.2 10.17.0.3
  container c1 10.17.0.2 "0.0.0.0:8000=vllm/open-0.10.1.1"
  container c2 10.17.0.3 "0.0.0.0:11434=ollama/open-0.5.7"
  PROC=docker-proxy listen "$NS" "0.0.0.0:8000=vllm/open-0.10.1.1" "[::]:8000=vllm/open-0.10.1.1" "127.0.0.1:11434=ollama/open-0.5.7"
  listen "$NS" "0.0.0.0:22=ssh/openssh"
  wait_port "$NS" 8000
}

scenario_ufw_docker_fixed() { # the same, with DOCKER-USER dropping new outside connections to the published port
  scenario_ufw_docker
  x iptables -I DOCKER-USER 1 -i eth0 -p tcp -m conntrack --ctorigdstport 8000 --ctstate NEW -j DROP
  x iptables -I DOCKER-USER 1 -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
}

scenario_v6open() { # IPv4 locked down by iptables, IPv6 left wide open; dual-stack listeners
  base
  x iptables -P INPUT DROP
  x iptables -A INPUT -i lo -j ACCEPT
  x iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  x iptables -A INPUT -p tcp --dport 22 -j ACCEPT
  listen "$NS" "0.0.0.0:22=ssh/openssh" "[::]:22=ssh/openssh" "[::]:9090=prometheus/open-3.5.0" "0.0.0.0:9090=prometheus/open-3.5.0" \
    "[::]:11434=ollama/open-0.5.7" "0.0.0.0:11434=ollama/open-0.5.7"
  wait_port "$NS" 11434
}

scenario_nft_only() { # native nftables, inet table, default drop, SSH and HTTPS allowed
  base
  x nft -f - <<'NFT'
table inet filter {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iifname "lo" accept
    tcp dport 22 accept
    tcp dport 443 accept
  }
  chain forward { type filter hook forward priority filter; policy drop; }
  chain output { type filter hook output priority filter; policy accept; }
}
NFT
  listen "$NS" "0.0.0.0:22=ssh/openssh" "0.0.0.0:443" "0.0.0.0:8188=comfyui/open-0.3.40" "[::]:8188=comfyui/open-0.3.40"
  wait_port "$NS" 8188
}

scenario_ratelimit() { # seed-style: -m recent limits new connections to vLLM per source; ip6tables mirrors it
  base
  local ipt
  for ipt in iptables ip6tables; do
    x $ipt -A INPUT -p tcp --dport 8000 -m conntrack --ctstate NEW -m recent --set --name vllm --rsource
    x $ipt -A INPUT -p tcp --dport 8000 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 30 --name vllm --rsource -j DROP
  done
  listen "$NS" "0.0.0.0:22=ssh/openssh" "0.0.0.0:8000=vllm/open-0.10.1.1" "[::]:8000=vllm/open-0.10.1.1"
  wait_port "$NS" 8000
}

scenario_shadowed() { # ufw allows 8000:9000 first, so the later deny of 8188 (ComfyUI) never applies
  base
  ufw_on x ufw allow 8000:9000/tcp
  x ufw deny 8188/tcp comment "ComfyUI must stay private" >/dev/null
  listen "$NS" "0.0.0.0:22=ssh/openssh" "0.0.0.0:8188=comfyui/open-0.3.40"
  wait_port "$NS" 8188
}

scenario_loopback() { # everything bound to loopback: nothing to find from outside
  base
  listen "$NS" "127.0.0.1:8000=vllm/open-0.10.1.1" "127.0.0.1:11434=ollama/open-0.5.7" "[::1]:8888=jupyter/open-2.14.2"
  wait_port "$NS" 8888
}

scenario_webapps() { # ufw allows a fresh Open WebUI (no admin yet) and a basic-auth proxy over plain HTTP
  base
  ufw_on x ufw allow 3000/tcp comment "Open WebUI"
  x ufw allow 8080/tcp comment "API behind nginx basic auth" >/dev/null
  listen "$NS" "0.0.0.0:22=ssh/openssh" "0.0.0.0:3000=open-webui/takeover" "0.0.0.0:8080=_negative/basic-auth-proxy-11434"
  wait_port "$NS" 8080
}

scenario_ratelimit_docker() { # iptables default drop with a connlimit on 8000 in INPUT, but 8000 is published by Docker
  base
  x iptables -P INPUT DROP
  x iptables -A INPUT -i lo -j ACCEPT
  x iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  x iptables -A INPUT -p tcp --dport 22 -j ACCEPT
  x iptables -A INPUT -p tcp --dport 8000 -m connlimit --connlimit-above 8 --connlimit-mask 32 -j REJECT --reject-with tcp-reset
  x iptables -A INPUT -p tcp --dport 8000 -j ACCEPT
  docker_base
  docker_publish "" 8000 10.17.0.2 8000
  docker_finish 10.17.0.2
  container c1 10.17.0.2 "0.0.0.0:8000=vllm/open-0.10.1.1"
  PROC=docker-proxy listen "$NS" "0.0.0.0:8000=vllm/open-0.10.1.1"
  listen "$NS" "0.0.0.0:22=ssh/openssh"
  wait_port "$NS" 8000
}

scenario_jupyter_token() { # ufw opened 8888 to the world for a Jupyter server that has a token: a login, no network boundary
  base
  ufw_on x ufw allow 8888/tcp comment "Jupyter for the team"
  listen "$NS" "0.0.0.0:22=ssh/openssh" "0.0.0.0:8888=jupyter/token-2.7.0"
  wait_port "$NS" 8888
}

scenario_ufw_docker_gap() { # the chaifeng/ufw-docker block in after.rules, and a compose network on a pool outside RFC 1918:
  # the block drops new connections to 10/8, 172.16/12 and 192.168/16 only, so vLLM on 198.19.32.2 stays published
  base
  x ufw --force reset >/dev/null
  x ufw default deny incoming >/dev/null
  x ufw default allow outgoing >/dev/null
  x ufw allow 22/tcp >/dev/null
  cat "$HERE/ufw-docker-after.rules" >>"/etc/netns/$NS/ufw/after.rules"
  x ufw --force enable >/dev/null
  BR=br-compose BRGW=198.19.32.1 BRLEN=24 BRNET=198.19.32.0/24
  docker_base
  docker_publish "" 8000 198.19.32.2 8000
  docker_finish 198.19.32.2
  container c1 198.19.32.2 "0.0.0.0:8000=vllm/open-0.10.1.1"
  PROC=docker-proxy listen "$NS" "0.0.0.0:8000=vllm/open-0.10.1.1"
  listen "$NS" "0.0.0.0:22=ssh/openssh"
  wait_port "$NS" 8000
}

scenario_stack_split() { # IPv4 locked down by an old script with iptables-legacy; IPv6 by the default iptables-nft:
  # `iptables -L` (nft) shows no IPv4 rule at all and only warns that legacy tables exist (research/host-audit.md, sample 03)
  base
  local ipt
  for ipt in iptables-legacy ip6tables-nft; do
    x $ipt -P INPUT DROP
    x $ipt -A INPUT -i lo -j ACCEPT
    x $ipt -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    x $ipt -A INPUT -p tcp --dport 22 -j ACCEPT
  done
  x ip6tables-nft -A INPUT -p ipv6-icmp -j ACCEPT
  x iptables-legacy -A INPUT -p tcp --dport 8000 -j ACCEPT
  listen "$NS" "0.0.0.0:22=ssh/openssh" "[::]:22=ssh/openssh" "0.0.0.0:8000=vllm/open-0.10.1.1" "[::]:8000=vllm/open-0.10.1.1"
  wait_port "$NS" 8000
}

scenario_kube_iptables() { # kube-proxy in iptables mode (1.28+ layout): NodePort 30080 of ai/vllm to two pods on cni0, a ClusterIP;
  # the host's own INPUT drops everything but SSH, so the NodePort passes only through kube-proxy's DNAT and KUBE-FORWARD
  base
  BR=cni0 BRGW=10.244.0.1 BRLEN=24 BRNET=10.244.0.0/24
  container c1 10.244.0.5 "0.0.0.0:8000=vllm/open-0.10.1.1"
  container c2 10.244.0.6 "0.0.0.0:8000=vllm/open-0.10.1.1"
  x iptables-restore <<'RULES'
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SERVICES - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES
-A INPUT -j KUBE-FIREWALL
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -j KUBE-FIREWALL
-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-EXT-Q5PMYNKJ3D7SB6ZN - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-3OHNSQLF6EKOU6XS - [0:0]
:KUBE-SEP-VKMZ2LJCXMB5C4OI - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-Q5PMYNKJ3D7SB6ZN - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-EXT-Q5PMYNKJ3D7SB6ZN -m comment --comment "masquerade traffic for ai/vllm:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-Q5PMYNKJ3D7SB6ZN -j KUBE-SVC-Q5PMYNKJ3D7SB6ZN
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-NODEPORTS -p tcp -m comment --comment "ai/vllm:http" -m tcp --dport 30080 -j KUBE-EXT-Q5PMYNKJ3D7SB6ZN
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-3OHNSQLF6EKOU6XS -s 10.244.0.5/32 -m comment --comment "ai/vllm:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-3OHNSQLF6EKOU6XS -p tcp -m comment --comment "ai/vllm:http" -m tcp -j DNAT --to-destination 10.244.0.5:8000
-A KUBE-SEP-VKMZ2LJCXMB5C4OI -s 10.244.0.6/32 -m comment --comment "ai/vllm:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-VKMZ2LJCXMB5C4OI -p tcp -m comment --comment "ai/vllm:http" -m tcp -j DNAT --to-destination 10.244.0.6:8000
-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "ai/vllm:http cluster IP" -m tcp --dport 8000 -j KUBE-SVC-Q5PMYNKJ3D7SB6ZN
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-Q5PMYNKJ3D7SB6ZN ! -s 10.244.0.0/16 -d 10.96.0.50/32 -p tcp -m comment --comment "ai/vllm:http cluster IP" -m tcp --dport 8000 -j KUBE-MARK-MASQ
-A KUBE-SVC-Q5PMYNKJ3D7SB6ZN -m comment --comment "ai/vllm:http -> 10.244.0.5:8000" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-3OHNSQLF6EKOU6XS
-A KUBE-SVC-Q5PMYNKJ3D7SB6ZN -m comment --comment "ai/vllm:http -> 10.244.0.6:8000" -j KUBE-SEP-VKMZ2LJCXMB5C4OI
COMMIT
RULES
  x ip6tables -P INPUT DROP
  x ip6tables -A INPUT -i lo -j ACCEPT
  x ip6tables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  x ip6tables -A INPUT -p ipv6-icmp -j ACCEPT
  x ip6tables -A INPUT -p tcp --dport 22 -j ACCEPT
  listen "$NS" "0.0.0.0:22=ssh/openssh" "[::]:22=ssh/openssh"
  wait_port "$NS" 22
}

scenario_kube_nft() { # kube-proxy in nftables mode (its own "ip kube-proxy" table, as kube-proxy 1.31 writes it): NodePort 30080
  # of ai/vllm to two pods on cni0 through vmaps over concatenations and a numgen endpoint map; the host's inet filter table
  # drops everything but SSH on input
  base
  BR=cni0 BRGW=10.244.0.1 BRLEN=24 BRNET=10.244.0.0/24
  container c1 10.244.0.5 "0.0.0.0:8000=vllm/open-0.10.1.1"
  container c2 10.244.0.6 "0.0.0.0:8000=vllm/open-0.10.1.1"
  x nft -f - <<NFT
table ip kube-proxy {
  comment "rules for kube-proxy"
  set cluster-ips { type ipv4_addr; comment "Active ClusterIPs"; elements = { 10.96.0.50 } }
  set nodeport-ips { type ipv4_addr; comment "IPs that accept NodePort traffic"; elements = { $V4 } }
  map no-endpoint-nodeports { type inet_proto . inet_service : verdict; comment "vmap to drop or reject packets to service nodeports with no endpoints"; }
  map no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict; comment "vmap to drop or reject packets to services with no endpoints"; }
  map firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict; comment "destinations that are subject to LoadBalancerSourceRanges"; }
  chain filter-prerouting { type filter hook prerouting priority dstnat - 10; policy accept; ct state new jump firewall-check; }
  chain filter-input { type filter hook input priority -110; policy accept; ct state new jump nodeport-endpoints-check; ct state new jump service-endpoints-check; }
  chain filter-forward { type filter hook forward priority -110; policy accept; ct state new jump service-endpoints-check; ct state new jump cluster-ips-check; }
  chain filter-output { type filter hook output priority -110; policy accept; ct state new jump service-endpoints-check; ct state new jump firewall-check; }
  chain nat-prerouting { type nat hook prerouting priority dstnat; policy accept; jump services; }
  chain nat-output { type nat hook output priority -100; policy accept; jump services; }
  chain nat-postrouting { type nat hook postrouting priority srcnat; policy accept; jump masquerading; }
  chain nodeport-endpoints-check { ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports; }
  chain service-endpoints-check { ip daddr . meta l4proto . th dport vmap @no-endpoint-services; }
  chain firewall-check { ip daddr . meta l4proto . th dport vmap @firewall-ips; }
  chain masquerading { meta mark & 0x00004000 == 0x00000000 return; meta mark set meta mark ^ 0x00004000; masquerade fully-random; }
  chain cluster-ips-check { ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"; ip daddr 10.96.0.0/16 drop comment "Drop traffic to unallocated ClusterIPs"; }
  chain mark-for-masquerade { meta mark set meta mark | 0x00004000; }
  chain endpoint-3OHNSQLF-ai/vllm/tcp/http__10.244.0.5/8000 { ip saddr 10.244.0.5 jump mark-for-masquerade; meta l4proto tcp dnat to 10.244.0.5:8000; }
  chain endpoint-VKMZ2LJC-ai/vllm/tcp/http__10.244.0.6/8000 { ip saddr 10.244.0.6 jump mark-for-masquerade; meta l4proto tcp dnat to 10.244.0.6:8000; }
  chain service-Q5PMYNKJ-ai/vllm/tcp/http {
    ip daddr 10.96.0.50 tcp dport 8000 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
    numgen random mod 2 vmap { 0 : goto endpoint-3OHNSQLF-ai/vllm/tcp/http__10.244.0.5/8000, 1 : goto endpoint-VKMZ2LJC-ai/vllm/tcp/http__10.244.0.6/8000 }
  }
  chain external-Q5PMYNKJ-ai/vllm/tcp/http { jump mark-for-masquerade; goto service-Q5PMYNKJ-ai/vllm/tcp/http; }
  map service-ips { type ipv4_addr . inet_proto . inet_service : verdict; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"; elements = { 10.96.0.50 . tcp . 8000 : goto service-Q5PMYNKJ-ai/vllm/tcp/http } }
  map service-nodeports { type inet_proto . inet_service : verdict; comment "NodePort traffic"; elements = { tcp . 30080 : goto external-Q5PMYNKJ-ai/vllm/tcp/http } }
  chain services { ip daddr . meta l4proto . th dport vmap @service-ips; ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports; }
}
table inet filter {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iifname "lo" accept
    meta l4proto ipv6-icmp accept
    tcp dport 22 accept
  }
  chain forward { type filter hook forward priority filter; policy accept; }
  chain output { type filter hook output priority filter; policy accept; }
}
NFT
  listen "$NS" "0.0.0.0:22=ssh/openssh" "[::]:22=ssh/openssh"
  wait_port "$NS" 22
}

# The real firewalld (nftables backend) inside a scenario namespace, on a private D-Bus system bus and with a
# private /etc/firewalld (ip netns exec binds /etc/netns/NS/firewalld over it). firewalld must never run in the
# root namespace: every firewalld, dbus-daemon and firewall-cmd here runs under ip netns exec "$NS", and
# firewall-cmd always gets the private bus address, so it can never reach a system bus of the host.
fw_bus() { echo "unix:path=$STATE/$1/bus"; } # NAME -> the D-Bus address of its private system bus

fwc() { # firewall-cmd ARGS... inside the scenario namespace, on its private bus
  x env DBUS_SYSTEM_BUS_ADDRESS="$(fw_bus "$NAME")" firewall-cmd "$@"
}

firewalld_on() { # private /etc/firewalld + private system bus + firewalld, in $NS; waits until it is running
  local d="$STATE/$NAME" i
  command -v firewalld >/dev/null || { log "firewalld is not installed (apt-get install firewalld, see .ci/run)"; return 1; }
  # `ip netns exec` bind-mounts /etc/netns/$NS/firewalld over /etc/firewalld: firewalld reads its
  # firewalld.conf there and writes --permanent changes there, never into the host's /etc/firewalld.
  # Zones, services and policies come from /usr/lib/firewalld (the package defaults), so the scenario
  # does not depend on what the host's /etc/firewalld holds.
  mkdir -p "/etc/netns/$NS/firewalld"
  cat >"/etc/netns/$NS/firewalld/firewalld.conf" <<'CONF'
DefaultZone=public
CleanupOnExit=yes
CleanupModulesOnExit=no
Lockdown=no
IPv6_rpfilter=yes
IndividualCalls=no
LogDenied=off
FirewallBackend=nftables
FlushAllOnReload=yes
RFC3964_IPv4=yes
CONF
  # A system bus of its own: root may own and call anything, nobody else anything. No <servicedir>, so
  # nothing is ever activated on it.
  cat >"$d/dbus.conf" <<BUS
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$d/bus</listen>
  <auth>EXTERNAL</auth>
  <policy user="root">
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
  <policy context="default">
    <deny own="*"/>
    <deny send_destination="*"/>
  </policy>
</busconfig>
BUS
  : >"$d/firewalld.pids"
  # `ip netns exec` itself, not the function x, goes to the background: $! is then the daemon's own pid
  # (ip netns exec execs it), not a subshell's.
  ip netns exec "$NS" dbus-daemon --config-file="$d/dbus.conf" --nofork --nopidfile >>"$d/dbus.log" 2>&1 &
  echo $! >>"$d/firewalld.pids"
  for i in $(seq 1 100); do [ -S "$d/bus" ] && break; sleep 0.05; done
  [ -S "$d/bus" ] || { log "dbus-daemon did not come up: $(cat "$d/dbus.log")"; return 1; }
  # --nopid: no /var/run/firewalld.pid (shared with the host and the other scenarios); the log goes to the
  # scenario's folder, not /var/log/firewalld. firewalld's pid goes FIRST into firewalld.pids' stop order:
  # see firewalld_down.
  ip netns exec "$NS" env DBUS_SYSTEM_BUS_ADDRESS="$(fw_bus "$NAME")" firewalld --nofork --nopid --log-target console \
    >>"$d/firewalld.log" 2>&1 &
  sed -i "1i $!" "$d/firewalld.pids"
  for i in $(seq 1 300); do
    [ "$(fwc --state 2>/dev/null)" = running ] && return 0
    sleep 0.1
  done
  log "firewalld did not start: $(cat "$d/firewalld.log")"; return 1
}

fw_alive() { # PID: runs and is not a zombie (a killed daemon stays one until whoever adopted it reaps it)
  [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

firewalld_down() { # NAME: stop firewalld, then its bus, by the pids firewalld_on recorded, and wait for each
  local d="$STATE/$1" pid i
  [ -f "$d/firewalld.pids" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || continue
    for i in $(seq 1 100); do # firewalld removes its table on SIGTERM (CleanupOnExit), which takes a moment
      fw_alive "$pid" || break
      sleep 0.05
    done
    ! fw_alive "$pid" || kill -9 "$pid" 2>/dev/null || true
  done <"$d/firewalld.pids"
  rm -f "$d/bus" "$d/firewalld.pids"
  # firewalld creates /run/firewalld (its temp dir, not per namespace); drop it when empty and no live firewalld
  # is left (a just-killed one can linger as a zombie until whoever adopted it reaps it, hence -r)
  pgrep -x -r R,S,D,T firewalld >/dev/null || rmdir /run/firewalld 2>/dev/null || true
  # /etc/netns/$NS/firewalld and $d go with down's own rm -rf of /etc/netns/$x and $STATE/$name
  return 0
}

firewalld_capture() { # NAME DIR: firewalld's own view, under the names `aiscan collect --from DIR` reads
  local bus; bus="$(fw_bus "$1")"
  x env DBUS_SYSTEM_BUS_ADDRESS="$bus" firewall-cmd --list-all-zones >"$2/firewall-cmd-list-all-zones.txt"
  x env DBUS_SYSTEM_BUS_ADDRESS="$bus" firewall-cmd --get-active-zones >"$2/firewall-cmd-get-active-zones.txt"
}

scenario_firewalld() { # firewalld (nftables backend) with eth0 in public: SSH (the default service) and Jupyter's 8888
  # open to everyone; vLLM listens on 8000 but the zone does not allow it (rejected, admin-prohibited); one rich rule
  # lets a single /32 (not the scanner) reach 8000. Runtime and permanent configuration agree.
  base
  firewalld_on
  local o=$((30 + ${NUM[$NAME]})) op
  for op in "--zone=public --change-interface=eth0" "--zone=public --add-port=8888/tcp"; do
    fwc --permanent $op >/dev/null
    fwc $op >/dev/null
  done
  fwc --permanent --zone=public \
    --add-rich-rule="rule family=\"ipv4\" source address=\"198.18.$o.200/32\" port port=\"8000\" protocol=\"tcp\" accept" >/dev/null
  fwc --reload >/dev/null # the rich rule reaches the runtime through a reload: both paths are exercised
  listen "$NS" "0.0.0.0:22=ssh/openssh" "0.0.0.0:8888=jupyter/token-2.7.0" "[::]:8888=jupyter/token-2.7.0" \
    "0.0.0.0:8000=vllm/open-0.10.1.1"
  wait_port "$NS" 8000
}

# The real Podman 4.3 with netavark 1.4 inside a scenario namespace: netavark writes its iptables (iptables-nft)
# rules into the namespace podman runs in. No image is pulled (there is no registry): the container's rootfs is
# a folder of mount points with the host's /usr read-only. runc, not crun (crun refuses this machine's hybrid
# cgroups); podman is entered with nsenter --net, since ip netns exec remounts /sys and runc then finds no cgroup.
# Everything podman keeps lives here (storage, run state, runc state, network configs, events), never in
# /var/lib/containers, /etc/containers or /run/runc. One podman scenario at a time.
PODMAN_DIR=/run/aiscan-lab/podman
PODMAN_CGROUP=aiscan-lab-podman # cgroupfs parent, one directory per v1 hierarchy (+ unified)

pm() { # podman ARGS... in scenario $NS's network namespace, on the private storage and configuration.
  # nsenter --net, not ip netns exec: podman mounts (the container's overlay rootfs, its shm and the
  # bind mount /run/netns/netns-UUID of the container's namespace) must stay visible to the next podman
  # call; under ip netns exec each call gets a new, private mount namespace and the next `podman rm`
  # would no longer find them. Nothing here needs /etc/netns: the configuration comes from
  # CONTAINERS_CONF / CONTAINERS_STORAGE_CONF and the global flags.
  nsenter --net="/run/netns/$NS" -- env CONTAINERS_CONF="$PODMAN_DIR/containers.conf" \
    CONTAINERS_STORAGE_CONF="$PODMAN_DIR/storage.conf" TMPDIR="$PODMAN_DIR/tmp" \
    podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/runroot" --runtime runc \
    --runtime-flag "root=$PODMAN_DIR/runc" "$@"
}

podman_on() { # private configuration and a rootfs whose /usr is the host's, read-only
  local d="$PODMAN_DIR"
  command -v podman >/dev/null && command -v runc >/dev/null && [ -x /usr/lib/podman/netavark ] ||
    { log "podman, netavark and runc are not installed (apt-get install podman netavark runc)"; return 1; }
  # podman's IPAM database is /run/containers/networks/ipam.db whatever the flags say: remember whether
  # /run/containers was there before, so that podman_down removes it only if this scenario created it
  # (and /run/runc, which podman's own calls to runc can create despite --runtime-flag root=…)
  mkdir -p "$d"
  [ -e /run/containers ] || : >"$d/created-run-containers"
  [ -e /run/runc ] || : >"$d/created-run-runc"
  mkdir -p "$d"/{networks,tmp,runc,rootfs}
  cat >"$d/containers.conf" <<CONF
[containers]
# cgroup v1 with a controller (hugetlb) on the unified hierarchy: crun refuses ("cgroups in hybrid mode
# not supported"), runc needs cgroups enabled (it rejects cgroups = "disabled")
cgroups = "enabled"
log_driver = "k8s-file"
[network]
network_backend = "netavark"
network_config_dir = "$d/networks"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events.log"
tmp_dir = "$d/tmp"
static_dir = "$d/root/libpod"
volume_path = "$d/root/volumes"
CONF
  cat >"$d/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$d/root"
runroot = "$d/runroot"
CONF
  # No image (no registry): a rootfs of mount points; /usr (python3, python3-yaml), the lab's listen.py
  # and the fingerprints come in read-only, the scenario's state folder read-write (requests.log)
  local r="$d/rootfs"
  mkdir -p "$r"/{usr,etc,proc,sys,dev,tmp,run,lab,fingerprints,state}
  ln -sfn usr/bin "$r/bin"; ln -sfn usr/lib "$r/lib"; ln -sfn usr/lib64 "$r/lib64"; ln -sfn usr/sbin "$r/sbin"
  echo 'root:x:0:0:root:/:/bin/sh' >"$r/etc/passwd"
  echo 'root:x:0:' >"$r/etc/group"
}

podman_publish() { # CNAME PUBLISH LISTEN-SPEC...: a container running listen.py, published with -p PUBLISH
  local cname="$1" pub="$2"; shift 2
  # --ulimit: podman's default nofile 1048576 is above the hard limit here and runc has no CAP_SYS_RESOURCE (EPERM).
  # --rootfs is a switch: the rootfs folder is the first positional argument, where the image would be.
  pm run -d --name "$cname" --read-only --cgroup-parent "/$PODMAN_CGROUP" \
    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 -p "$pub" \
    -v /usr:/usr:ro -v "$HERE:/lab:ro" -v "$(readlink -f "$HERE/../fingerprints"):/fingerprints:ro" \
    -v "$STATE/$NAME:/state" \
    --rootfs "$PODMAN_DIR/rootfs" /usr/bin/python3 /lab/listen.py --log /state/requests.log "$@" >/dev/null
  # the container's namespace (/run/netns/netns-UUID), for podman_down should podman fail to remove it
  local sb spec port i
  sb="$(pm inspect "$cname" --format '{{.NetworkSettings.SandboxKey}}')"
  echo "$sb" >>"$PODMAN_DIR/sandboxes"
  for spec in "$@"; do # wait for listen.py inside the container (conmon's reservation on the host port is no proof)
    spec="${spec%%=*}"; port="${spec##*:}"
    for i in $(seq 1 100); do
      nsenter --net="$sb" ss -Htln "sport = :$port" | grep -q . && break
      sleep 0.05
    done
  done
}

podman_down() { # NAME: containers (netavark removes their rules, veths and namespaces), conmon, cgroups, storage
  local ns pid f d
  [ -d "$PODMAN_DIR" ] || return 0
  ns="$(ns_of "$1")"
  if ip netns list | grep -q "^$ns\b"; then
    NS="$ns" pm rm -a -f -t 0 >/dev/null 2>&1 || true
  fi
  for f in "$PODMAN_DIR"/runroot/overlay-containers/*/userdata/conmon.pid; do # conmon, if rm failed
    [ -f "$f" ] && pid="$(cat "$f")" && kill "$pid" 2>/dev/null || true
  done
  if [ -f "$PODMAN_DIR/sandboxes" ]; then
    while read -r f; do
      [ -n "$f" ] || continue
      umount "$f" 2>/dev/null || true
      rm -f "$f"
    done <"$PODMAN_DIR/sandboxes"
  fi
  { findmnt -rn -o TARGET | grep "^$PODMAN_DIR/" || true; } | sort -r | while read -r f; do umount "$f" 2>/dev/null || umount -l "$f"; done
  for d in /sys/fs/cgroup/*/"$PODMAN_CGROUP"; do # conmon's cgroup and the parent, deepest first
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  if [ -f "$PODMAN_DIR/created-run-containers" ]; then rm -rf /run/containers; fi
  if [ -f "$PODMAN_DIR/created-run-runc" ]; then rmdir /run/runc 2>/dev/null || true; fi
  rm -rf "$PODMAN_DIR"
  return 0
}

scenario_podman() { # the real Podman + netavark: vLLM in a container published on 8000 (DNAT to 10.88.0.x); the host's
  # INPUT drops everything but SSH and drops 8000 outright, which the DNAT bypasses. IPv4 only (podman's default network has no IPv6), so [::]:8000 is refused.
  base
  podman_on
  podman_publish vllm 8000:8000 "0.0.0.0:8000=vllm/open-0.10.1.1"
  x iptables -P INPUT DROP # the host's own input: default drop, SSH allowed, 8000 dropped outright
  x iptables -A INPUT -i lo -j ACCEPT
  x iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  x iptables -A INPUT -p tcp --dport 22 -j ACCEPT
  x iptables -I INPUT -p tcp --dport 8000 -j DROP
  listen "$NS" "0.0.0.0:22=ssh/openssh"
  wait_port "$NS" 8000 # conmon holds 0.0.0.0:8000 (podman's port reservation); the DNAT answers before it
  wait_port "$NS" 22
}

# ---------------------------------------------------------------------------------------------------

up() {
  NAME="$1"
  [ -n "${NUM[$NAME]:-}" ] || { log "unknown scenario $NAME; known: ${!NUM[*]}"; exit 2; }
  [ "$(id -u)" = 0 ] || { log "needs root"; exit 1; }
  down "$NAME" quiet
  NS="$(ns_of "$NAME")"
  mkdir -p "$STATE/$NAME"
  : >"$STATE/$NAME/pids"
  guard_routes_add
  "scenario_${NAME//-/_}"
  echo "$V4 $V6"
}

down() {
  local name="$1" quiet="${2:-}" ns n
  ns="$(ns_of "$name")"
  n="${NUM[$name]:-}"
  firewalld_down "$name" # firewalld stops before its bus, and before the namespace goes
  podman_down "$name" # the containers go through podman before the namespace's processes are killed
  if [ -f "$STATE/$name/pids" ]; then
    while read -r pid; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done <"$STATE/$name/pids"
  fi
  for x in $(ip netns list | awk '{print $1}' | grep -E "^$ns(-c[0-9]+)?$" || true); do
    for pid in $(ip netns pids "$x" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$x" 2>/dev/null || true
    rm -rf "/etc/netns/$x"
  done
  [ -n "$n" ] && ip link del "aish$n" 2>/dev/null || true
  rm -rf "$STATE/$name"
  if ! ip netns list 2>/dev/null | grep -q '^aish-'; then # the last scenario: its copies of python3 and state go too
    rm -rf "$BIN"
    rmdir "$STATE" 2>/dev/null || true
  fi
  guard_routes_del
  [ -z "$quiet" ] && log "$name down"
  return 0
}

capture() { # NAME DIR
  local name="$1" dir="$2"
  NS="$(ns_of "$name")"
  ip netns list | grep -q "^$NS\b" || { log "$name is not up"; exit 1; }
  mkdir -p "$dir"
  x ss -tulnpH >"$dir/ss-tulnpH.txt"
  x iptables-save | sed -E '/^# (Generated|Completed)/d' >"$dir/iptables-save.txt"
  x ip6tables-save | sed -E '/^# (Generated|Completed)/d' >"$dir/ip6tables-save.txt"
  x ufw status verbose >"$dir/ufw-status-verbose.txt"
  x ufw status numbered >"$dir/ufw-status-numbered.txt"
  x nft list ruleset >"$dir/nft-ruleset.txt" 2>/dev/null
  x ip -o addr show >"$dir/ip-addr-o.txt"
  x sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding net.ipv4.conf.all.route_localnet >"$dir/sysctl-forwarding.txt"
  [ -S "$STATE/$name/bus" ] && firewalld_capture "$name" "$dir"
  {
    echo "# $name (captured by test-fixtures/lab/scenario.sh capture $name)"
    echo
    sed -n "/^scenario_${name//-/_}() {/,/^}/p" "$0"
  } >"$dir/scenario.md"
  log "$name captured into $dir"
}

case "${1:-}" in
  up) up "${2:?scenario name}" ;;
  down) down "${2:?scenario name}" ;;
  down-all) for s in "${!NUM[@]}"; do down "$s" quiet; done; rm -rf "$BIN"; log "all down" ;;
  capture) capture "${2:?scenario name}" "${3:?folder}" ;;
  list) for s in "${!NUM[@]}"; do echo "$s 198.18.$((30 + ${NUM[$s]})).2 2001:2:0:$((30 + ${NUM[$s]}))::2"; done | sort ;;
  *) echo "usage: $0 up NAME | down NAME | down-all | list | capture NAME DIR" >&2; exit 2 ;;
esac
