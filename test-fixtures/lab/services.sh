#!/usr/bin/env bash
# Real Debian services in the lab, for fingerprint tests against the genuine article.
#
#   services.sh up      start them in namespace $P-svc (198.18.0.30, 2001:2::30); the lab must be up
#   services.sh down    stop them and remove the namespace
#   services.sh list    print "PORT EXPECTED-ID EXPECTED-AUTH PACKAGE" for each service (what the tests check)
#
# Ports: 9090 prometheus · 9100 node_exporter · 8888 jupyter (no token) · 8889 jupyter (token) ·
#        6379 redis (no password, protected mode off) · 6380 redis (requirepass) ·
#        80 nginx default page · 8080 nginx basic auth in front of prometheus
# Needs: prometheus prometheus-node-exporter jupyter-notebook redis-server nginx apache2-utils.
set -euo pipefail

P="${AISCAN_LAB:-aisl}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS="$P-svc"
STATE="/run/aiscan-lab/$P/svc"
V4=198.18.0.30
V6=2001:2::30

log() { echo "services: $*" >&2; }
nsx() { ip netns exec "$NS" "$@"; }

list() {
  cat <<EOF
9090 prometheus none prometheus
9100 node-exporter none prometheus-node-exporter
8888 jupyter none python3-notebook
8889 jupyter required python3-notebook
6379 redis none redis-server
6380 redis required redis-server
80 http none nginx
8080 http required nginx
EOF
}

start() { # name, command...
  local name="$1"; shift
  nsx setsid "$@" >"$STATE/$name.log" 2>&1 </dev/null &
  echo $! >>"$STATE/pids"
}

wait_port() { # port
  local i
  for i in $(seq 1 200); do
    nsx ss -Htln "sport = :$1" | grep -q . && return 0
    sleep 0.05
  done
  log "nothing listens on $1; see $STATE/*.log"; return 1
}

up() {
  [ "$(id -u)" = 0 ] || { log "needs root"; exit 1; }
  ip netns list | grep -q "^$P-gw" || { log "the lab is down; run lab.sh up first"; exit 1; }
  for c in prometheus prometheus-node-exporter jupyter-notebook redis-server nginx htpasswd; do
    command -v "$c" >/dev/null || { log "missing $c: apt-get install -y prometheus prometheus-node-exporter jupyter-notebook redis-server nginx apache2-utils"; exit 1; }
  done
  down quiet
  mkdir -p "$STATE"/{prom,nb,www,nginx-tmp}
  : >"$STATE/pids"
  ip netns add "$NS"
  ip link add svc netns "$P-gw" type veth peer name eth0 netns "$NS"
  ip netns exec "$P-gw" ip link set svc master br0 up
  nsx ip link set lo up
  nsx ip addr add "$V4/24" dev eth0
  nsx ip -6 addr add "$V6/64" dev eth0 nodad
  nsx ip link set eth0 up
  nsx ip route add default via 198.18.0.1
  nsx ip -6 route add default via 2001:2::1
  # a new veth has a new MAC: the gateway's neighbour entries from a previous 'up' would send our
  # traffic to the old one for half a minute (a bench run once lost this host in 3 of 5 scans)
  ip -n "$P-gw" neigh flush to "$V4" 2>/dev/null || true
  ip -n "$P-gw" -6 neigh flush to "$V6" 2>/dev/null || true

  cat >"$STATE/prometheus.yml" <<EOF
global: {scrape_interval: 15s}
scrape_configs:
  - job_name: self
    static_configs: [{targets: ["$V4:9090"]}]
EOF
  start prometheus prometheus --config.file="$STATE/prometheus.yml" --storage.tsdb.path="$STATE/prom" \
    --web.listen-address="$V4:9090" --web.console.templates=/etc/prometheus/consoles --web.console.libraries=/etc/prometheus/console_libraries
  start node-exporter prometheus-node-exporter --web.listen-address="$V4:9100"
  export HOME="$STATE/nb" JUPYTER_CONFIG_DIR="$STATE/nb/.jupyter" JUPYTER_RUNTIME_DIR="$STATE/nb/runtime"
  start jupyter-open jupyter-notebook --no-browser --allow-root --ip="$V4" --port=8888 --notebook-dir="$STATE/nb" \
    --NotebookApp.token= --NotebookApp.password= --NotebookApp.open_browser=False
  start jupyter-token jupyter-notebook --no-browser --allow-root --ip="$V4" --port=8889 --notebook-dir="$STATE/nb" \
    --NotebookApp.token=lab-token-not-secret --NotebookApp.open_browser=False
  start redis-open redis-server --bind "$V4" --port 6379 --protected-mode no --save "" --appendonly no --dir "$STATE"
  start redis-auth redis-server --bind "$V4" --port 6380 --requirepass lab-password-not-secret --save "" --appendonly no --dir "$STATE"

  htpasswd -bc "$STATE/htpasswd" ops lab-password-not-secret >/dev/null 2>&1
  cat >"$STATE/nginx.conf" <<EOF
worker_processes 1;
pid $STATE/nginx.pid;
error_log $STATE/nginx-error.log;
events { worker_connections 256; }
http {
  access_log $STATE/nginx-access.log;
  client_body_temp_path $STATE/nginx-tmp; proxy_temp_path $STATE/nginx-tmp; fastcgi_temp_path $STATE/nginx-tmp;
  uwsgi_temp_path $STATE/nginx-tmp; scgi_temp_path $STATE/nginx-tmp;
  include /etc/nginx/mime.types;
  server { listen $V4:80; root /var/www/html; index index.nginx-debian.html index.html; }
  server {
    listen $V4:8080;
    auth_basic "Restricted";
    auth_basic_user_file $STATE/htpasswd;
    location / { proxy_pass http://$V4:9090; }
  }
}
EOF
  [ -f /var/www/html/index.nginx-debian.html ] || { mkdir -p /var/www/html; cp /usr/share/nginx/html/index.html /var/www/html/index.nginx-debian.html 2>/dev/null || true; }
  start nginx nginx -c "$STATE/nginx.conf" -g "daemon off;"
  local port
  for port in 9090 9100 8888 8889 6379 6380 80 8080; do wait_port "$port"; done
  log "up in $NS ($V4)"
}

down() {
  local quiet="${1:-}"
  if [ -f "$STATE/pids" ]; then
    while read -r pid; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done <"$STATE/pids"
  fi
  if ip netns list | grep -q "^$NS\b"; then
    for pid in $(ip netns pids "$NS" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    sleep 0.2
    for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$NS" 2>/dev/null || true
  fi
  rm -rf "$STATE"
  [ -z "$quiet" ] && log "down"
  return 0
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  list) list ;;
  *) echo "usage: $0 up|down|list" >&2; exit 2 ;;
esac
