#!/bin/sh
# aiscan remediation for lab-ufw-docker (generated 2026-01-02T03:04:05Z by aiscan golden) — ufw.
# Review, then run as root on the host:   sh ufw.sh
# Check first, changing nothing:          UFW="ufw --dry-run" sh ufw.sh
set -eu
UFW="${UFW:-ufw}"

# 1. SSH stays reachable before anything else changes (rate limited: ufw allows 6 new connections per 30 s and source)
$UFW limit 22/tcp comment 'aiscan ssh'

# 2. the exposed ports: a deny at the top of the rules, the trusted networks above it

# 3. default deny for everything not allowed above; enable (SSH is allowed above)
$UFW default deny incoming
# ufw 0.36's dry run of 'enable' still writes ENABLED=yes to /etc/ufw/ufw.conf, which breaks the next real
# command on an inactive ufw, so a dry run stops before it
if [ "$UFW" = ufw ]; then $UFW --force enable; else echo "(dry run: not enabling)"; fi

# Ports Docker publishes bypass these rules: apply iptables.rules (DOCKER-USER) too; see README.md.
