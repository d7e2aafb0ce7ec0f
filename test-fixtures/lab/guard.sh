# Sourced by lab.sh and scenario.sh. While any lab namespace exists, the root namespace holds
# unreachable routes for the lab ranges, so an address of 198.18.0.0/15 or 2001:2::/48 that no lab
# answers is refused by the kernel instead of following the default route off the machine.
# More specific lab routes still win.

guard_routes_add() {
  ip route show type unreachable 2>/dev/null | grep -q '^unreachable 198.18.0.0/15' || ip route add unreachable 198.18.0.0/15
  ip -6 route show type unreachable 2>/dev/null | grep -q '^unreachable 2001:2::/48' || ip -6 route add unreachable 2001:2::/48
}

guard_routes_del() { # only when no lab or scenario namespace is left
  ip netns list 2>/dev/null | grep -qE '^(aisl|aish|aisn)-' && return 0
  ip route del unreachable 198.18.0.0/15 2>/dev/null || true
  ip -6 route del unreachable 2001:2::/48 2>/dev/null || true
}

# Stop the processes listed in STATE/pids and remove every namespace named PREFIX-*, with its
# /etc/netns copy; whatever still runs inside one of them is ours and is ended first.
lab_namespaces_down() { # prefix state-dir
  local pid ns
  if [ -f "$2/pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done <"$2/pids"
  fi
  for ns in $(ip netns list | awk '{print $1}' | grep "^$1-" || true); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "/etc/netns/$ns"
  done
}
