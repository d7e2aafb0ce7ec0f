package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.audit.Forwarder;
import org.aiscan.model.audit.FrontEnd;
import org.aiscan.model.audit.HostSummary;

/** ufw.sh: SSH first, then a deny per exposed port with the trusted networks above it, then default deny. */
final class UfwEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        if (p.facts.mechanism == FrontEnd.UFW) {
            ufw(out, p, p.header, p.facts, p.exposures, p.sshLimit, p.facts.host, p.ds);
        }
    }

    void ufw(BundleFiles out, Plan plan, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> sshLimit, HostSummary v,
                     List<Diagnosis> ds) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n# ").append(header).append(" — ufw.\n")
                .append("# Review, then run as root on the host:   sh ufw.sh\n")
                .append("# Check first, changing nothing:          UFW=\"ufw --dry-run\" sh ufw.sh\n")
                .append("set -eu\nUFW=\"${UFW:-ufw}\"\n\n");
        s.append("# 1. SSH stays reachable before anything else changes").append(sshLimit.isEmpty() ? "" : " (rate limited: ufw allows 6 new "
                + "connections per 30 s and source)").append('\n');
        String ssh = "$UFW " + (sshLimit.isEmpty() ? "allow " : "limit ") + f.sshPort + "/tcp comment 'aiscan ssh'";
        s.append(ssh).append('\n');
        out.tag(sshLimit, "ufw.sh", "Rate-limit SSH with ufw", ssh);
        if (f.ufwIpv6Off && exposures.values().stream().anyMatch(e -> e.inputFamilies.contains(6))) {
            s.append("\n# ufw manages IPv6 only with IPV6=yes\n")
                    .append("if [ \"$UFW\" = ufw ]; then sed -i 's/^IPV6=.*/IPV6=yes/' /etc/default/ufw; fi\n");
        }
        s.append("\n# 2. the exposed ports: a deny at the top of the rules, the trusted networks above it\n");
        for (Exposure e : exposures.values()) {
            if (e.inputFamilies.isEmpty()) {
                continue;
            }
            List<String> block = new ArrayList<>();
            List<String> keep = new ArrayList<>();
            for (HostSummary.UfwRule r : v.ufwRules()) {
                String to = r.to();
                boolean in = r.direction() == null || r.direction().equals("IN");
                if (!in || r.toAddress() != null || r.toIface() != null || !to.equals(e.port + "/tcp")) {
                    continue;
                }
                if (r.fromAddress() == null) {
                    if (!r.v6() && (r.action().equals("DENY") || r.action().equals("ALLOW") || r.action().equals("REJECT"))) {
                        block.add("$UFW delete " + r.action().toLowerCase(java.util.Locale.ROOT) + " " + e.port + "/tcp");
                    }
                } else if (r.action().equals("ALLOW")) {
                    // a network the operator already allows keeps its access: moved above the new deny
                    try {
                        Cidr from = Cidr.parse(r.fromAddress());
                        block.add("$UFW delete allow from " + from + " to any port " + e.port + " proto tcp");
                        keep.add("$UFW prepend allow from " + from + " to any port " + e.port + " proto tcp comment 'aiscan kept " + e.port + "'");
                    } catch (IllegalArgumentException ex) {
                        // not an address (an application profile): left where it is
                    }
                }
            }
            block.add("$UFW prepend deny " + e.port + "/tcp comment 'aiscan deny " + e.port + "'");
            block.addAll(keep);
            for (int fam : new int[] {6, 4}) {
                if (!e.inputFamilies.contains(fam)) {
                    continue;
                }
                for (Cidr t : plan.trusted(fam)) {
                    block.add("$UFW prepend allow from " + t + " to any port " + e.port + " proto tcp comment 'aiscan trusted " + e.port + "'");
                }
            }
            for (String l : block) {
                s.append(l).append('\n');
                out.tag(e.because, "ufw.sh", "Close port " + e.port + " to everyone but the trusted networks (ufw)", l);
            }
        }
        s.append("\n# 3. default deny for everything not allowed above; enable (SSH is allowed above)\n");
        s.append("$UFW default deny incoming\n")
                .append("# ufw 0.36's dry run of 'enable' still writes ENABLED=yes to /etc/ufw/ufw.conf, which breaks the next real\n")
                .append("# command on an inactive ufw, so a dry run stops before it\n")
                .append("if [ \"$UFW\" = ufw ]; then $UFW --force enable; else echo \"(dry run: not enabling)\"; fi\n");
        out.tag(Plan.of(ds, DiagnosisCode.FIREWALL_INACTIVE), "ufw.sh", "Default deny with ufw", "$UFW default deny incoming\n$UFW --force enable");
        if (exposures.values().stream().anyMatch(e -> !e.forwardFamilies.isEmpty() && e.via == Forwarder.DOCKER)) {
            s.append("\n# Ports Docker publishes bypass these rules: apply iptables.rules (DOCKER-USER) too; see README.md.\n");
        }
        if (exposures.values().stream().anyMatch(e -> !e.forwardFamilies.isEmpty() && e.via != Forwarder.DOCKER)) {
            s.append("\n# Ports kube-proxy or another DNAT forwards bypass these rules: apply iptables.rules (raw table) too; see README.md.\n");
        }
        out.files.put("ufw.sh", s.toString());
        out.checks.put("ufw.sh", "UFW=\"ufw --dry-run\" sh ufw.sh");
    }
}
