package org.aiscan.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Iptables;
import org.aiscan.host.Nft;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled evaluator against the text evaluators it replaces, on every rule of the corpus, the samples and a generated node. */
class CompiledRulesDifferentialTest {
    @TempDir
    Path tmp;

    @Test
    void sameAnswers() throws Exception {
        List<Snapshot> snaps = new ArrayList<>();
        for (HostCorpusTest.Case c : HostCorpusTest.cases()) {
            snaps.add(c.snapshot());
        }
        try (Stream<Path> s = Files.list(Path.of("test-fixtures/host-samples"))) {
            for (Path d : s.filter(Files::isDirectory).sorted().toList()) {
                snaps.add(Collector.fromFiles(d, "test"));
            }
        }
        snaps.add(KubeProxyNodeTest.node(tmp, KubeProxyNode.iptablesSave(300, 3)));
        AuditPolicy.Names names = AuditPolicy.defaultNames();
        Map<String, Integer> diffs = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        long evals = 0;
        int rules = 0;
        for (Snapshot snap : snaps) {
            HostView view = HostView.of(snap);
            HostModel host = new HostModel(view, names);
            List<Packet> packets4 = packets(host, 4);
            List<Packet> packets6 = packets(host, 6);
            for (HostView.NamedDump d : view.iptables) {
                List<Packet> ps = d.dump().family() == 4 ? packets4 : packets6;
                for (Iptables.Table t : d.dump().tables()) {
                    for (Iptables.Chain c : t.chains().values()) {
                        for (Iptables.Rule r : c.rules()) {
                            rules++;
                            FwRule f = host.rule(d.source(), r);
                            for (Packet p : withPorts(ps, r.text())) {
                                for (long mark : new long[] {0, 0x4000}) {
                                    evals++;
                                    LegacyIptablesMatch.Result o = LegacyIptablesMatch.eval(r, p, host, mark);
                                    FwRule.Result n = f.eval(p, host, mark);
                                    String diff = o.tri() != n.tri() ? "tri " + o.tri() + "->" + n.tri()
                                            : o.rateLimited() != n.rateLimited() ? "rate" : o.explicitPort() != f.explicitPort() ? "port"
                                            : o.sourceRestricted() != f.sourceRestricted() ? "source" : null;
                                    record(diffs, examples, diff, "ipt", r.text(), p, mark);
                                }
                            }
                        }
                    }
                }
            }
            if (view.nft != null) {
                for (Nft.Table t : view.nft.tables()) {
                    for (Nft.Chain c : t.chains()) {
                        for (Nft.Rule r : c.rules()) {
                            rules++;
                            FwRule f = host.rule(r, t);
                            for (Packet p : withPorts(t.family().equals("ip6") ? packets6 : t.family().equals("ip") ? packets4
                                    : concat(packets4, packets6), r.text())) {
                                evals++;
                                LegacyNftRuleEval.Result o = LegacyNftRuleEval.eval(r, t, p, host);
                                FwRule.Result n = f.eval(p, host, 0);
                                String diff = o.tri() != n.tri() ? "tri " + o.tri() + "->" + n.tri()
                                        : !action(n.stmt(), p).equals(action(o)) ? "action " + action(o) + "->" + action(n.stmt(), p)
                                        : o.rateLimited() != n.rateLimited() ? "rate" : o.explicitPort() != f.explicitPort() ? "port"
                                        : o.sourceRestricted() != f.sourceRestricted() ? "source"
                                        : !String.valueOf(o.map()).equals(String.valueOf(n.map())) ? "map" : null;
                                record(diffs, examples, diff, "nft", r.text(), p, 0);
                            }
                        }
                    }
                }
            }
        }
        System.out.printf("differential: %d snapshots, %d rules, %d evaluations, differences %s%n", snaps.size(), rules, evals, diffs);
        examples.forEach(System.out::println);
        assertTrue(diffs.isEmpty(), diffs + "\n" + String.join("\n", examples));
    }

    private static void record(Map<String, Integer> diffs, List<String> examples, String diff, String kind, String text, Packet p, long mark) {
        if (diff == null) {
            return;
        }
        if (kind.equals("nft") && diff.equals("tri FALSE->TRUE") && text.contains("meta mark & ")) {
            return; // the text evaluator read "meta mark & 0x4000 == 0" as the value "&" (false); a new connection's mark is 0, so it holds
        }
        String key = kind + " " + diff;
        int n = diffs.merge(key, 1, Integer::sum);
        if (n <= 4) {
            examples.add(key + " | " + text.trim() + " | " + p + " mark " + mark);
        }
    }

    private static String action(LegacyNftRuleEval.Result o) {
        return switch (o.action()) {
            case JUMP, GOTO -> o.action() + " " + o.target();
            case DNAT -> "DNAT " + o.natTo() + ":" + o.natPort();
            case REJECT -> "REJECT " + o.reset();
            default -> o.action().name();
        };
    }

    private static String action(Stmt s, Packet p) {
        if (s instanceof Stmt.Jump j) {
            return (j.isGoto() ? "GOTO " : "JUMP ") + j.chain();
        }
        if (s instanceof Stmt.Dnat d) {
            return "DNAT " + (d.to() == null ? p.dst() : d.to()) + ":" + (d.port() == 0 ? p.dport() : d.port());
        }
        if (s instanceof Stmt.Reject r) {
            return "REJECT " + r.reset();
        }
        return s.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    private static List<Packet> concat(List<Packet> a, List<Packet> b) {
        List<Packet> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static final Pattern NUMBER = Pattern.compile("\\b(\\d{2,5})\\b");

    /** The packets, and the same to up to three ports the rule names. */
    private static List<Packet> withPorts(List<Packet> base, String text) {
        Set<Integer> ports = new LinkedHashSet<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find() && ports.size() < 3) {
            int v = Integer.parseInt(m.group(1));
            if (v > 0 && v < 65536) {
                ports.add(v);
            }
        }
        List<Packet> out = new ArrayList<>(base);
        for (int port : ports) {
            for (Packet p : base.subList(0, Math.min(base.size(), 8))) {
                out.add(new Packet(p.src(), p.dst(), p.proto(), 0, port, p.inIface(), p.outIface(), p.origDst(), p.dnatted() ? p.origDport() : port));
            }
        }
        return out;
    }

    private static List<Packet> packets(HostModel host, int family) {
        List<Address> dsts = new ArrayList<>();
        host.addresses().stream().filter(a -> a.address().isV6() == (family == 6)).limit(2).forEach(a -> dsts.add(a.address()));
        dsts.add(Address.parse(family == 4 ? "127.0.0.1" : "::1"));
        dsts.add(Address.parse(family == 4 ? "172.17.0.2" : "fd00::2"));
        List<Address> srcs = family == 4
                ? List.of(Vantage.INTERNET_V4, Address.parse("10.0.0.5"), Address.parse("192.168.1.10"))
                : List.of(Vantage.INTERNET_V6, Address.parse("fd00::5"));
        List<Packet> out = new ArrayList<>();
        String up = host.uplink() == null ? "eth0" : host.uplink();
        for (Address s : srcs) {
            for (Address d : dsts) {
                for (String proto : List.of("tcp", "udp")) {
                    for (int port : new int[] {22, 8000, 30080}) {
                        for (String in : new String[] {up, "docker0", "tailscale0"}) {
                            Packet p = Packet.of(s, d, proto, port, in);
                            out.add(p);
                            out.add(p.forwardedTo("docker0"));
                            out.add(p.dnat(Address.parse(family == 4 ? "10.244.1.5" : "fd00::9"), 8080));
                        }
                    }
                }
            }
        }
        return out;
    }
}
