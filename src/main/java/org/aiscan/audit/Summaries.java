package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import org.aiscan.host.Firewalld;
import org.aiscan.host.HostFacts;
import org.aiscan.host.HostView;
import org.aiscan.host.Iptables;
import org.aiscan.host.Ufw;
import org.aiscan.model.Address;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostSummary;
import org.aiscan.model.audit.Listener;

/** The {@link HostSummary} of a parsed snapshot: what a remediation bundle reads of the host. */
final class Summaries {
    private Summaries() {
    }

    static HostSummary of(HostView v, List<EndpointCheck> endpoints, AuditPolicy policy) {
        boolean dockerUser4 = false;
        boolean dockerUser6 = false;
        List<HostSummary.InputAllow> allows = new ArrayList<>();
        for (HostView.NamedDump d : v.iptables) {
            Iptables.Table filter = d.dump().table("filter");
            if (filter != null && filter.chain("DOCKER-USER") != null) {
                if (d.dump().family() == 4) {
                    dockerUser4 = true;
                } else {
                    dockerUser6 = true;
                }
            }
        }
        for (int family : new int[] {4, 6}) {
            for (HostView.NamedDump d : v.iptables(family)) {
                Iptables.Table t = d.dump().table("filter");
                Iptables.Chain c = t == null ? null : t.chain("INPUT");
                if (c == null) {
                    continue;
                }
                for (Iptables.Rule r : c.rules()) {
                    Iptables.Option src = r.match("-s");
                    Iptables.Option dp = r.match("--dport");
                    if ("ACCEPT".equals(r.target()) && src != null && !src.negated() && dp != null && !dp.negated()) {
                        allows.add(new HostSummary.InputAllow(family, src.value(), dp.value()));
                    }
                }
            }
        }
        String defaults = v.snapshot.text("ufw-defaults");
        boolean ufwIpv6Off = defaults != null && defaults.lines().anyMatch(l -> l.trim().matches("IPV6\\s*=\\s*\"?no\"?"));
        String up = null;
        Address public4 = null;
        Address public6 = null;
        for (HostFacts.InterfaceAddress ia : v.addresses) {
            if (!ia.iface().equals("lo") && "global".equals(ia.scope()) && !policy.names().containerBridge(ia.iface())) {
                up = up == null ? ia.iface() : up;
                if (!ia.address().isV6() && public4 == null) {
                    public4 = ia.address();
                }
                if (ia.address().isV6() && public6 == null) {
                    public6 = ia.address();
                }
            }
        }
        AuditPolicy.ServiceClass login = policy.serviceClass("remote-login");
        int sshPort = login.ports().isEmpty() ? 22 : login.ports().get(0);
        for (Listener l : v.listeners) {
            if (l.proto().equals("tcp") && l.wide() && l.processes().stream().anyMatch(o -> login.processes().contains(o.name()))) {
                sshPort = l.port();
                break;
            }
        }
        for (EndpointCheck e : endpoints) {
            if (e.service() != null && e.service().id() != null && login.ids().contains(e.service().id())) {
                sshPort = e.port();
                break;
            }
        }
        HostSummary.Zone zone = null;
        Firewalld.Zone z = v.firewalld == null || up == null ? null : v.firewalld.zoneOf(up);
        if (z != null) {
            zone = new HostSummary.Zone(z.name(), z.ports());
        }
        List<HostSummary.UfwRule> ufw = new ArrayList<>();
        for (Ufw.Rule r : v.ufw == null ? List.<Ufw.Rule>of() : v.ufw.rules()) {
            ufw.add(new HostSummary.UfwRule(r.to().raw().replace(" (v6)", "").trim(), r.to().address(), r.to().iface(), r.from().address(),
                    r.direction(), r.action(), r.v6()));
        }
        return new HostSummary(v.owner(), dockerUser4, dockerUser6, ufwIpv6Off, up, public4, public6, sshPort, zone, allows, ufw,
                v.units.stream().map(HostFacts.Unit::name).toList());
    }
}
