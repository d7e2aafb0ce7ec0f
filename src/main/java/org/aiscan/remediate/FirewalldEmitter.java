package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.audit.FrontEnd;
import org.aiscan.model.audit.HostSummary;

/**
 * firewalld.sh on hosts where firewalld runs (RHEL and its kin): rich rules in the zone of the public
 * interface with a negative priority, so they come before the zone's own services, ports and target —
 * the trusted networks accepted first, then everyone else dropped — and the port taken out of the
 * zone's list. SSH keeps a rule of its own before anything changes (rate limited when it was not).
 * Each line changes the permanent configuration and the running firewall (no reload, which would drop
 * runtime rules other tools added); the same lines run against a copy of the configuration with
 * {@code firewall-offline-cmd} to check them.
 */
final class FirewalldEmitter implements Emitter {
    @Override
    public void emit(Plan p, BundleFiles out) {
        if (p.facts.mechanism == FrontEnd.FIREWALLD) {
            firewalld(out, p, p.header, p.facts, p.exposures, p.sshLimit);
        }
    }

    void firewalld(BundleFiles out, Plan plan, String header, Facts f, Map<Integer, Exposure> exposures, List<Diagnosis> sshLimit) {
        HostSummary.Zone zone = f.iface == null ? null : f.host.uplinkZone();
        boolean named = zone != null && zone.name().matches("[A-Za-z0-9_.-]{1,17}");
        String z = "--zone=" + (named ? zone.name() : "\"$ZONE\"") + " ";
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n# ").append(header).append(" — firewalld");
        s.append(named ? " (zone " + zone.name() + ", which holds " + f.iface + ").\n" : " (the default zone).\n");
        s.append("# Review, then run as root on the host:   sh firewalld.sh\n")
                .append("# Each change goes to the permanent configuration and to the running firewall: no --reload, which would\n")
                .append("# drop what other tools added at runtime.\n")
                .append("# Check first, changing nothing:          ").append(CHECK).append('\n')
                .append("set -eu\nfw() { firewall-cmd --permanent \"$@\" && firewall-cmd \"$@\"; }\nFWCMD=\"${FWCMD:-fw}\"\n");
        if (!named) {
            s.append("ZONE=\"${ZONE:-$(firewall-cmd --get-default-zone 2>/dev/null || echo public)}\"\n");
        }
        s.append('\n');
        int prio = -100;
        s.append("# 1. SSH stays reachable before anything else changes");
        List<String> ssh = new ArrayList<>();
        if (!sshLimit.isEmpty()) {
            s.append(" (rate limited: 6 new connections a minute; more fall to the zone's target)");
            ssh.add("$FWCMD " + z + "--add-rich-rule='rule priority=\"" + prio++ + "\" port port=\"" + f.sshPort
                    + "\" protocol=\"tcp\" accept limit value=\"6/m\"'");
            ssh.add("$FWCMD " + z + "--add-rich-rule='rule priority=\"" + prio++ + "\" port port=\"" + f.sshPort
                    + "\" protocol=\"tcp\" drop'");
        } else {
            ssh.add("$FWCMD " + z + "--add-rich-rule='rule priority=\"" + prio++ + "\" port port=\"" + f.sshPort
                    + "\" protocol=\"tcp\" accept'");
        }
        s.append('\n');
        for (String l : ssh) {
            s.append(l).append('\n');
        }
        out.tag(sshLimit, "firewalld.sh", "Rate-limit SSH (firewalld rich rules before the zone's ssh service)", String.join("\n", ssh));
        s.append("\n# 2. the exposed ports: the trusted networks accepted, then everyone else dropped, before the zone's own rules\n");
        for (Exposure e : exposures.values()) {
            if (e.inputFamilies.isEmpty()) {
                continue;
            }
            List<String> block = new ArrayList<>();
            for (int fam : new int[] {4, 6}) {
                for (Cidr t : plan.trusted(fam)) {
                    block.add("$FWCMD " + z + "--add-rich-rule='rule priority=\"" + prio++ + "\" family=\"ipv" + fam + "\" source address=\""
                            + t + "\" port port=\"" + e.port + "\" protocol=\"tcp\" accept'");
                }
            }
            block.add("$FWCMD " + z + "--add-rich-rule='rule priority=\"" + prio++ + "\" port port=\"" + e.port
                    + "\" protocol=\"tcp\" drop'");
            if (zone != null && zone.ports().contains(e.port + "/tcp")) {
                block.add("$FWCMD " + z + "--remove-port=" + e.port + "/tcp");
            }
            for (String l : block) {
                s.append(l).append('\n');
                out.tag(e.because, "firewalld.sh", "Close port " + e.port + " to everyone but the trusted networks (firewalld)", l);
            }
        }
        if (exposures.values().stream().anyMatch(e -> !e.forwardFamilies.isEmpty())) {
            s.append("\n# Forwarded ports (Docker, kube-proxy, …) never reach the zone's input rules: apply iptables.rules too.\n");
        }
        out.files.put("firewalld.sh", s.toString());
        out.checks.put("firewalld.sh", CHECK);
    }

    /** Runs the script with firewall-offline-cmd against a throwaway copy of /etc/firewalld: every line is checked, nothing on the host changes. */
    static final String CHECK = "C=$(mktemp -d) && cp -a /etc/firewalld/. \"$C\" && FWCMD=\"firewall-offline-cmd --system-config $C\" sh firewalld.sh; "
            + "rm -rf \"$C\"";
}
