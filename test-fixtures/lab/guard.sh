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
