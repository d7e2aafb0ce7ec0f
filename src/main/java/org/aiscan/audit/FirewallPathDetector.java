package org.aiscan.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.host.HostFacts;
import org.aiscan.host.Iptables;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Observed;
import org.aiscan.model.PacketPath;
import org.aiscan.model.PortState;
import org.aiscan.model.Service;
import org.aiscan.model.audit.AcceptRule;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.Forwarder;
import org.aiscan.model.audit.ListenerCheck;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.ShadowedDeny;
import org.aiscan.model.audit.UserRule;
import org.jspecify.annotations.Nullable;

/**
 * Why a reachable endpoint is reachable, from its path through the firewall: Docker's DNAT around
 * the input rules (with every DOCKER-USER rule the packet met and why none stopped it), a DOCKER-USER
 * block that trusts private sources or does not cover the container's network, IPv6 open where IPv4
 * is filtered, an accept from anywhere, a deny shadowed by an earlier accept, and rate limits missing
 * or never reached.
 */
final class FirewallPathDetector implements Detector {
    @Override
    public void detect(HostContext c, Findings out) {
        for (EndpointCheck e : c.host.endpoints()) {
            Prediction p = e.prediction();
            boolean reachable = e.open() || e.observed() == Observed.UNKNOWN && p.state() == PortState.OPEN;
            if (reachable && !p.isUncertain()) {
                path(c, out, e.ip(), e.port(), "tcp", p, e.service());
            }
        }
        for (ListenerCheck l : c.host.listeners()) {
            Prediction p = l.prediction();
            if (p.state() == PortState.OPEN && !p.isUncertain()) {
                path(c, out, l.ip(), l.listener().port(), l.listener().proto(), p, null);
            }
        }
    }

    /** The firewall findings of one reachable endpoint. */
    static void path(HostContext c, Findings out, Address ip, int port, String proto, Prediction p, @Nullable Service s) {
        Map<String, String> params = Findings.params(ip, port, proto);
        String serviceName = HostContext.serviceName(s);
        boolean ai = c.isAi(s, port);
        EvidenceIndex ix = c.evidence;
        if (p.path() == PacketPath.FORWARD && p.dnat() != null) {
            if (p.via().kubernetes()) {
                kubernetes(c, out, ip, port, proto, p, params);
            } else if (p.via() == Forwarder.DOCKER) {
                dockerUser(c, out, ip, port, proto, p, params);
            } else {
                forwarded(c, out, ip, port, proto, p, params);
            }
        }
        // IPV6_UNFILTERED: open over IPv6 while the same port is blocked over IPv4
        if (ip.isV6()) {
            for (Address v4 : c.nf.host().publicAddresses()) {
                if (v4.isV6()) {
                    continue;
                }
                Prediction q = c.nf.evaluate(c.source(4), v4, proto, port);
                if (q.blocked() && !q.isUncertain()) {
                    List<EvidenceLine> ev = new ArrayList<>();
                    ev.add(p.decidedBy());
                    ev.add(q.decidedBy());
                    ev.addAll(ix.listeners(ip, port, proto));
                    ev.addAll(ix.globalV6());
                    out.add(DiagnosisCode.IPV6_UNFILTERED, ip, port, proto, null, ev, params, Map.of());
                    break;
                }
            }
        }
        // ALLOW_FROM_ANYWHERE: an explicit accept for this port with no source restriction (on the input
        // path: a forwarded port's accept is Docker's own, reported as a bypass)
        if (ai && c.defaultDeny(ip.isV6() ? 6 : 4) && p.path() == PacketPath.INPUT) {
            for (AcceptRule a : p.accepts()) {
                if (a.explicitPort() && !a.sourceRestricted()) {
                    List<EvidenceLine> ev = new ArrayList<>();
                    ev.add(a.rule());
                    ev.addAll(ix.ufwRows(a.rule()));
                    out.add(DiagnosisCode.ALLOW_FROM_ANYWHERE, ip, port, proto, null, ev, params, Map.of("service", serviceName));
                    break;
                }
            }
        }
        for (ShadowedDeny sh : p.shadowed()) {
            List<EvidenceLine> ev = new ArrayList<>();
            ev.add(sh.accept());
            ev.addAll(ix.ufwRows(sh.accept()));
            ev.add(sh.deny());
            ev.addAll(ix.ufwRows(sh.deny()));
            out.add(DiagnosisCode.RULE_SHADOWED, ip, port, proto, null, ev, params, Map.of());
        }
        rateLimits(c, out, ip, port, proto, p, s, params, serviceName, ai);
    }

    /**
     * KUBERNETES_SERVICE_EXPOSED: kube-proxy's DNAT sends the connection to a pod before the routing
     * decision (a NodePort on every node address, or a Service's external or load-balancer IP). The
     * evidence is the walk itself: each jump on the deciding path, the DNAT, the forward accept, and
     * the input rule that would have stopped the connection had it been the host's own.
     */
    private static void kubernetes(HostContext c, Findings out, Address ip, int port, String proto, Prediction p, Map<String, String> params) {
        List<EvidenceLine> ev = new ArrayList<>(p.viaRules());
        ev.add(p.dnat());
        ev.add(p.decidedBy());
        Prediction input = c.nf.evaluateInputOnly(p.packet());
        if (input.blocked() && !input.isUncertain()) {
            ev.add(input.decidedBy());
            ev.addAll(c.evidence.ufwRows(input.decidedBy()));
        }
        Map<String, String> ps = new LinkedHashMap<>(params);
        ps.put("container", p.forwardedTo());
        ps.put("k8s_service", k8sService(p, c.policy.names()));
        out.add(DiagnosisCode.KUBERNETES_SERVICE_EXPOSED, p.via() == Forwarder.KUBERNETES_NODEPORT ? null : "service-ip", ip, port, proto, null, ev, ps,
                Map.of("container", p.forwardedTo(), "k8s_service", ps.get("k8s_service")));
    }

    /** The namespace/name:port of the Service, from the first rule or map element on the path that names it (the policy's patterns), else "unnamed". */
    static String k8sService(Prediction p, AuditPolicy.Names names) {
        for (EvidenceLine e : p.viaRules()) {
            String s = names.kubernetesService(e.text());
            if (s != null) {
                return s;
            }
        }
        return "unnamed";
    }

    /**
     * DNAT_BYPASSES_FIREWALL: a port forwarded by Podman (netavark, CNI), LXD or a DNAT rule of the
     * host's own, past input rules that would block it.
     */
    private static void forwarded(HostContext c, Findings out, Address ip, int port, String proto, Prediction p, Map<String, String> params) {
        Prediction input = c.nf.evaluateInputOnly(p.packet());
        if (!input.blocked() || input.isUncertain()) {
            return;
        }
        List<EvidenceLine> ev = new ArrayList<>(p.viaRules());
        ev.add(p.dnat());
        ev.add(p.decidedBy());
        ev.add(input.decidedBy());
        ev.addAll(c.evidence.ufwRows(input.decidedBy()));
        ev.addAll(c.evidence.listeners(ip, port, proto));
        Map<String, String> ps = new LinkedHashMap<>(params);
        ps.put("container", p.forwardedTo());
        String variant = switch (p.via()) {
            case PODMAN -> "podman";
            case LXD -> "lxd";
            default -> null;
        };
        out.add(DiagnosisCode.DNAT_BYPASSES_FIREWALL, variant, ip, port, proto, null, ev, ps, Map.of("container", p.forwardedTo()));
    }

    /** DOCKER_BYPASSES_FIREWALL and DOCKER_USER_TRUSTS_PRIVATE for a connection Docker's DNAT forwards. */
    private static void dockerUser(HostContext c, Findings out, Address ip, int port, String proto, Prediction p, Map<String, String> params) {
        EvidenceIndex ix = c.evidence;
        List<EvidenceLine> walked = walked(p, ix);
        Prediction input = c.nf.evaluateInputOnly(p.packet());
        if (input.blocked() && !input.isUncertain()) {
            List<EvidenceLine> ev = new ArrayList<>();
            ev.add(p.dnat());
            ev.addAll(walked);
            ev.add(p.decidedBy());
            ev.add(input.decidedBy());
            ev.addAll(ix.ufwRows(input.decidedBy()));
            ev.addAll(ix.listeners(ip, port, proto));
            ev.addAll(ix.docker(port));
            Map<String, String> ps = new LinkedHashMap<>(params);
            ps.put("container", p.forwardedTo());
            out.add(DiagnosisCode.DOCKER_BYPASSES_FIREWALL, ip, port, proto, null, ev, ps, Map.of("container", p.forwardedTo()));
        }
        if (!p.privateTrust().isEmpty() && c.policy.isPrivate(p.packet().src())) {
            List<EvidenceLine> ev = new ArrayList<>(p.privateTrust());
            ev.add(p.dnat());
            out.add(DiagnosisCode.DOCKER_USER_TRUSTS_PRIVATE, ip, port, proto, null, ev, params, Map.of("source", p.packet().src().toString()));
        }
        // the coverage gap: a block (ufw-docker's) drops new connections to the private ranges only, and this
        // container's network is in none of them
        List<String> covered = new ArrayList<>();
        List<EvidenceLine> drops = new ArrayList<>();
        for (UserRule u : p.userRules()) {
            Iptables.Rule r = ix.iptablesRule(u.rule());
            if (r == null || u.matched() || r.match("-d") == null || r.match("-d").negated()) {
                continue;
            }
            String t = String.valueOf(r.target());
            if (!t.equals("RETURN") && !t.equals("ACCEPT") && c.policy.isPrivateNetwork(r.match("-d").value())) {
                covered.add(r.match("-d").value());
                drops.add(u.rule());
            }
        }
        Address container = forwardedAddress(p);
        if (!covered.isEmpty() && p.accepted() && container != null) {
            List<EvidenceLine> ev = new ArrayList<>(drops);
            ev.add(p.dnat());
            String network = container.toString();
            for (HostFacts.InterfaceAddress a : c.view.addresses) {
                Cidr net = new Cidr(a.address(), a.prefix());
                if (a.address().isV6() == container.isV6() && net.contains(container) && !a.iface().equals("lo")) {
                    network = net + " (" + a.iface() + ")";
                    ev.add(new EvidenceLine("ip-addr", a.line(), a.iface() + " " + a.address() + "/" + a.prefix()));
                    break;
                }
            }
            out.add(DiagnosisCode.DOCKER_USER_TRUSTS_PRIVATE, "coverage-gap", ip, port, proto, null, ev, params,
                    Map.of("covered", String.join(", ", covered), "network", network));
        }
    }

    /** The address DNAT forwards the connection to ({@code 10.17.0.2} of {@code 10.17.0.2:8000}), or null. */
    static @Nullable Address forwardedAddress(Prediction p) {
        String f = p.forwardedTo();
        if (f == null) {
            return null;
        }
        try {
            return Address.parse(f.startsWith("[") ? f.substring(1, f.indexOf(']')) : f.substring(0, f.lastIndexOf(':')));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The DOCKER-USER rules the connection met, each with what became of it; empty when the chain
     * holds nothing of the user's (Docker's own bare RETURN).
     */
    static List<EvidenceLine> walked(Prediction p, EvidenceIndex ix) {
        boolean any = p.userRules().stream().anyMatch(u -> {
            Iptables.Rule r = ix.iptablesRule(u.rule()); // Docker's own: RETURN without a match (in any layout: -S, -L, save)
            return r == null ? !u.rule().text().matches("-A DOCKER-USER -j RETURN") : !("RETURN".equals(r.target()) && r.matches().isEmpty());
        });
        List<EvidenceLine> out = new ArrayList<>();
        if (!any) {
            return out;
        }
        for (UserRule u : p.userRules()) {
            String how = u.matched() ? "taken" : u.whyNot() != null ? "not taken: " + u.whyNot() : "not taken";
            out.add(new EvidenceLine(u.rule().source(), u.rule().line(), u.rule().text() + "   [" + how + "]"));
        }
        return out;
    }

    private static void rateLimits(HostContext c, Findings out, Address ip, int port, String proto, Prediction p, @Nullable Service s,
                                   Map<String, String> params, String serviceName, boolean ai) {
        boolean costly = s != null && c.policy.inClass("costly", c.category(s), s.risk().reasons());
        boolean ssh = proto.equals("tcp") && c.policy.remoteLogin(s == null ? null : s.id(), port);
        if (!p.rateLimits().isEmpty() || !(ai || costly || ssh)) {
            return;
        }
        List<EvidenceLine> elsewhere = c.evidence.rateLimits(port, proto);
        if (!elsewhere.isEmpty()) {
            List<EvidenceLine> ev = new ArrayList<>(elsewhere);
            ev.add(p.decidedBy());
            if (p.dnat() != null) {
                ev.add(0, p.dnat());
            }
            out.add(DiagnosisCode.RATE_LIMIT_INEFFECTIVE, ip, port, proto, null, ev, params, Map.of("path", p.path().name()));
        } else if (costly) {
            List<EvidenceLine> ev = new ArrayList<>();
            ev.add(p.decidedBy());
            ev.addAll(c.evidence.listeners(ip, port, proto));
            out.add(DiagnosisCode.NO_RATE_LIMIT, ip, port, proto, null, ev, params, Map.of("service", serviceName));
        } else if (ssh) {
            List<EvidenceLine> ev = new ArrayList<>();
            ev.add(p.decidedBy());
            ev.addAll(c.evidence.ufwRows(p.decidedBy()));
            out.add(DiagnosisCode.SSH_NOT_RATE_LIMITED, ip, port, proto, null, ev, params, Map.of());
        }
    }
}
