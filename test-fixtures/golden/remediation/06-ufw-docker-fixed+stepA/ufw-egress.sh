#!/bin/sh
# aiscan remediation for stepA (generated 2026-01-02T03:04:05Z by aiscan golden) — optional: outbound default deny (ufw).
# Not part of the main steps: it breaks anything that needs other outbound ports (model downloads, pip, ...).
# Check: UFW="ufw --dry-run" sh ufw-egress.sh
set -eu
UFW="${UFW:-ufw}"
$UFW allow out 53 comment 'aiscan dns'
$UFW allow out 123/udp comment 'aiscan ntp'
$UFW allow out 80/tcp comment 'aiscan http'
$UFW allow out 443/tcp comment 'aiscan https'
$UFW default deny outgoing
