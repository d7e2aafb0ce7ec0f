package org.aiscan.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aiscan.host.HostView;
import org.aiscan.model.Address;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Outcome;
import org.aiscan.model.PacketPath;
import org.aiscan.model.PortState;
import org.aiscan.model.audit.Forwarder;
import org.aiscan.model.audit.Listener;
import org.aiscan.model.audit.Packet;
import org.aiscan.model.audit.Prediction;
import org.jspecify.annotations.Nullable;

/**
 * The firewall evaluator: walks a connection attempt through a snapshot the way the kernel does.
 *
 * <ol>
 *   <li>prerouting: every base chain on the hook in priority order (iptables raw, mangle and nat
 *       PREROUTING, nft chains of any table); a drop there is final, the first DNAT rewrites the
 *       destination and binds the connection (later nat chains are skipped);</li>
 *   <li>the routing decision: a local destination goes to INPUT, anything else is forwarded (when
 *       the host forwards) out of the interface whose subnet holds it;</li>
 *   <li>input or forward: every base chain in priority order; accept ends one chain, drop or reject
 *       is final, a chain's end applies its policy;</li>
 *   <li>the receiver: a listening socket whose bind covers the destination on INPUT, the DNAT
 *       destination on FORWARD.</li>
 * </ol>
 */
public final class Netfilter {
    private final HostModel host;

    /** With the interface and table names of the default policy. */
    public Netfilter(HostView view) {
        this(view, AuditPolicy.defaultNames());
    }

    public Netfilter(HostView view, AuditPolicy.Names names) {
        this.host = new HostModel(view, names);
    }

    HostModel host() {
        return host;
    }

    /** A new TCP or UDP connection from {@code src} to the host's {@code dst:port}. */
    public Prediction evaluate(Address src, Address dst, String proto, int port) {
        return evaluate(Packet.of(src, dst, proto, port, host.ingress(src, dst)));
    }

    public Prediction evaluate(Packet in) {
        Trace tr = newTrace(in.family());
        int fam = in.family();
        Packet p = in;
        EvidenceLine dnat = null;
        Forwarder via = Forwarder.NONE;
        List<EvidenceLine> viaRules = List.of();
        boolean natBound = false;
        Walks w = walks(tr);
        for (HostModel.HookChain hc : host.chains(fam, HostModel.Hook.PREROUTING, p.inIface())) {
            if (hc.nat() && natBound) {
                continue;
            }
            int entered = tr.entered.size();
            int jumps = tr.jumps.size();
            Verdict v = run(hc, p, w);
            if (v.terminal()) {
                return done(in, p, PacketPath.NONE, v, dnat, tr, List.of(), via, viaRules);
            }
            if (v.kind() == Verdict.Kind.DNAT) {
                p = p.dnat(v.natTo(), v.natPort());
                dnat = v.by();
                List<String> names = new ArrayList<>(tr.entered.subList(entered, tr.entered.size()));
                if (hc instanceof HostModel.NftHook h) {
                    names.add(0, h.table().name() + "/" + h.chain().name()); // the base chain: which tool's table
                }
                via = forwarder(names, host.forwarders());
                viaRules = List.copyOf(tr.jumps.subList(jumps, tr.jumps.size()));
                natBound = true;
                tr.step(dnat);
            }
        }
        PacketPath path;
        HostModel.Hook hook;
        if (host.isLocal(p.dst())) {
            path = PacketPath.INPUT;
            hook = HostModel.Hook.INPUT;
        } else {
            path = PacketPath.FORWARD;
            hook = HostModel.Hook.FORWARD;
            Boolean fwd = host.forwarding(fam);
            if (Boolean.FALSE.equals(fwd)) {
                EvidenceLine why = host.forwardingEvidence(fam);
                tr.step(why);
                return done(in, p, path, Verdict.of(Verdict.Kind.DROP, why), dnat, tr, List.of(), via, viaRules);
            }
            String out = host.ifaceOnLink(p.dst());
            p = p.forwardedTo(out != null ? out : host.uplink());
        }
        Verdict v = filter(hook, p, w);
        return done(in, p, path, v, dnat, tr, v.terminal() ? List.of() : receivers(path, p, tr), via, viaRules);
    }

    /** Why an accepted connection's receiver is unknown. */
    static final EvidenceLine NO_LISTENERS = new EvidenceLine("snapshot", 0,
            "which sockets listen is unknown: no ss or netstat output was given (ss -tlnp)");

    /** Every base chain of the hook in priority order: the first drop or reject, else the last chain's accept. */
    private Verdict filter(HostModel.Hook hook, Packet p, Walks w) {
        Verdict last = null;
        for (HostModel.HookChain hc : host.chains(p.family(), hook, p.inIface())) {
            Verdict v = run(hc, p, w);
            if (v.terminal()) {
                return v;
            }
            last = v;
        }
        return last != null ? last : Verdict.policy(Verdict.Kind.ACCEPT, new EvidenceLine("firewall", 0, "no base chain on the "
                + hook.name().toLowerCase(java.util.Locale.ROOT) + " hook for IPv" + p.family() + ": nothing filters it"));
    }

    /**
     * Who takes the connection: sockets whose bind covers the destination on INPUT (unknown, and said
     * so in the trace, when no ss or netstat output was collected), the DNAT destination on FORWARD.
     */
    private List<EvidenceLine> receivers(PacketPath path, Packet p, Trace tr) {
        List<EvidenceLine> receivers = new ArrayList<>();
        if (path == PacketPath.INPUT && !host.listenersSeen()) {
            tr.uncertain(NO_LISTENERS);
        }
        if (path == PacketPath.INPUT) {
            for (Listener l : host.view.listeners) {
                if (l.proto().equals(p.proto()) && l.port() == p.dport() && l.covers(p.dst(), p.inIface())) {
                    receivers.add(new EvidenceLine(l.proto().equals("udp") ? "ss-udp" : "ss-tcp", l.line(), l.text().trim()));
                }
            }
        } else if (path == PacketPath.FORWARD) {
            receivers.add(new EvidenceLine("nat", 0, "DNAT to " + endpoint(p.dst(), p.dport())));
        }
        return receivers;
    }

    /** A trace that starts out uncertain for every reason the family's rules may be incomplete. */
    private Trace newTrace(int family) {
        Trace tr = new Trace();
        host.firewallUnread().forEach(tr::uncertain);
        host.unseen(family).forEach(tr::uncertain);
        return tr;
    }

    /** The walks of one evaluation, sharing its trace (and, for iptables, the packet's mark). */
    private record Walks(IptablesWalk ipt, NftWalk nft, ListingWalk listing) {
    }

    private Walks walks(Trace tr) {
        return new Walks(new IptablesWalk(host, tr), new NftWalk(host, tr), new ListingWalk(host, tr));
    }

    private Verdict run(HostModel.HookChain hc, Packet p, Walks w) {
        if (hc instanceof HostModel.IptHook h) {
            return w.ipt().run(h, p);
        }
        if (hc instanceof HostModel.ListingHook h) {
            return w.listing().run(h, p);
        }
        return w.nft().run((HostModel.NftHook) hc, p);
    }

    private static Prediction done(Packet in, Packet p, PacketPath path, Verdict v, @Nullable EvidenceLine dnat, Trace tr, List<EvidenceLine> receivers) {
        return done(in, p, path, v, dnat, tr, receivers, Forwarder.NONE, List.of());
    }

    private static Prediction done(Packet in, Packet p, PacketPath path, Verdict v, EvidenceLine dnat, Trace tr, List<EvidenceLine> receivers,
                                   Forwarder via, List<EvidenceLine> viaRules) {
        Outcome outcome = switch (v.kind()) {
            case DROP -> Outcome.DROP;
            case REJECT -> Outcome.REJECT;
            default -> Outcome.ACCEPT;
        };
        PortState state = switch (outcome) {
            case DROP -> PortState.FILTERED;
            case REJECT -> v.reset() ? PortState.CLOSED : PortState.FILTERED;
            case ACCEPT -> receivers.isEmpty() ? PortState.CLOSED : PortState.OPEN;
        };
        tr.step(v.by());
        String forwardedTo = path == PacketPath.FORWARD ? endpoint(p.dst(), p.dport()) : null;
        return new Prediction(in, path, outcome, v.reset(), v.by(), dnat, forwardedTo, receivers, state, tr.uncertain, tr.rateLimits,
                tr.accepts, tr.shadowed, tr.privateTrust, tr.steps, tr.userRules, via, viaRules);
    }

    /**
     * The forwarder of a DNAT from the chains on its deciding path, in order: iptables chain names
     * ({@code KUBE-NODEPORTS}), nftables {@code table/chain} names and {@code @map} names of the
     * verdict maps that decided ({@code @service-nodeports}). Chains the walk left without a verdict
     * do not count: a Docker port on a Kubernetes node passes KUBE-SERVICES first and is Docker's. The
     * name prefixes of each forwarder are policy data ({@code names.forwarders}), tried in their order.
     */
    static Forwarder forwarder(List<String> entered, java.util.Map<Forwarder, List<String>> prefixes) {
        for (java.util.Map.Entry<Forwarder, List<String>> f : prefixes.entrySet()) {
            for (String e : entered) {
                String n = e.toLowerCase(Locale.ROOT);
                if (f.getValue().stream().anyMatch(x -> n.startsWith(x.toLowerCase(Locale.ROOT)))) {
                    return f.getKey();
                }
            }
        }
        return Forwarder.OTHER;
    }

    static String endpoint(Address a, int port) {
        return a.endpoint(port);
    }

    /**
     * The counterfactual for a forwarded connection: what the host's input rules would do with it had
     * no DNAT taken it away (the rules an operator wrote for this port, e.g. ufw's).
     */
    public Prediction evaluateInputOnly(Packet in) {
        Trace tr = newTrace(in.family());
        Walks w = walks(tr);
        Packet p = Packet.of(in.src(), in.origDst(), in.proto(), in.origDport(), in.inIface());
        Verdict v = filter(HostModel.Hook.INPUT, p, w);
        return done(p, p, PacketPath.INPUT, v, null, tr, v.terminal() ? List.of() : receivers(PacketPath.INPUT, p, tr));
    }

    /**
     * A new outbound TCP connection from the host to {@code dst:port} through the output hook: whether
     * the host may open it. The result's receivers are empty; only {@code outcome} matters.
     */
    public Prediction evaluateOutbound(Address dst, int port) {
        Trace tr = newTrace(dst.isV6() ? 6 : 4);
        Address src = null;
        for (Address a : host.publicAddresses()) {
            if (a.isV6() == dst.isV6()) {
                src = a;
                break;
            }
        }
        if (src == null) {
            src = dst.isV6() ? Address.parse("::1") : Address.parse("127.0.0.1");
        }
        Packet p = new Packet(src, dst, "tcp", 0, port, null, host.uplink(), dst, port);
        Verdict v = filter(HostModel.Hook.OUTPUT, p, walks(tr));
        return done(p, p, PacketPath.OUTPUT, v, null, tr, List.of());
    }
}
