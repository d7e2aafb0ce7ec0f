package org.aiscan.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Fix;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.HostAudit;
import org.aiscan.model.audit.Vantage;
import org.aiscan.remediate.Planner;
import org.aiscan.target.PortSpec;

/**
 * A generated fleet audit, the size of a real one: {@code n} hosts (at most 256), each a host sample
 * of {@code test-fixtures/host-samples} (ufw, ufw with Docker, plain iptables, nftables only, no
 * firewall, …) chosen by a seeded draw and moved to an address of its own: the sample's
 * {@code 198.18.N.0/24} and {@code 2001:2:0:N::/64} become host i's {@code 198.19.i.0/24} and
 * {@code 2001:2:0:(100+i hex)::/64} in every collected output, so its rules, sockets and addresses
 * still agree. The snapshots go through the real audit: a prediction for the internet, then a
 * scan that sees most (not all) of what was predicted open and, now and then, a port nobody
 * predicted, the correlation of the two, and the remediation bundle's fixes. The same seed gives
 * the same report.
 */
final class FleetGen {
    private static final String[] ROLES = {"gpu", "infer", "notebook", "rag", "train", "edge", "agent", "lab"};
    private static final int[] SURPRISES = {11434, 8888, 3000, 7860, 8000};
    private static final Pattern V4 = Pattern.compile("(?<![0-9.])198\\.18\\.(\\d+)\\.");
    private static final Pattern V6 = Pattern.compile("(?<![0-9a-fA-F:])2001:2:0:(\\d+):", Pattern.CASE_INSENSITIVE);

    private FleetGen() {
    }

    /** The report of an {@code n}-host fleet from {@code seed}, compared with last week's scan when {@code compared}. */
    static Report report(int n, long seed, boolean compared) throws Exception {
        if (n < 1 || n > 256) {
            throw new IllegalArgumentException("1 to 256 hosts: each gets a /24 of 198.19.0.0/16");
        }
        AuditPolicy policy = AuditPolicy.load(Path.of(AuditPolicy.FILE));
        Correlator correlator = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset());
        List<Snapshot> samples = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("test-fixtures/host-samples"))) {
            for (Path d : s.filter(Files::isDirectory).sorted().toList()) {
                samples.add(Collector.fromFiles(d, "test"));
            }
        }
        Random rnd = new Random(seed);
        List<Correlator.SnapshotInput> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Snapshot sample = samples.get(rnd.nextInt(samples.size()));
            String name = ROLES[rnd.nextInt(ROLES.length)] + "-" + String.format("%03d", i + 1);
            inputs.add(new Correlator.SnapshotInput(Path.of(name + ".json"), moved(sample, name, i)));
        }
        return build(inputs, correlator, policy, rnd, 92, 4, compared);
    }

    /** The report of these snapshots with a scan that sees open everything predicted open from the internet. */
    static Report scanned(List<Correlator.SnapshotInput> inputs, Correlator correlator, AuditPolicy policy) throws Exception {
        return build(inputs, correlator, policy, new Random(0), 100, 0, false);
    }

    /**
     * Predicts, scans ({@code seenPercent} of what is predicted open is seen open, and one host in
     * {@code 100 / surprisePercent} has a port open nobody predicted), correlates and plans the fixes.
     */
    private static Report build(List<Correlator.SnapshotInput> inputs, Correlator correlator, AuditPolicy policy, Random rnd, int seenPercent,
                                int surprisePercent, boolean compared) throws Exception {
        int n = inputs.size();
        long seed = rnd.nextLong();
        AuditResult predicted = correlator.predict(inputs, List.of(Vantage.internet()), PortSpec.parse("ai-default"));
        List<Endpoint> open = new ArrayList<>();
        List<Endpoint> closedSince = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (HostAudit h : predicted.hosts()) {
            for (EndpointCheck c : h.endpoints()) {
                boolean reachable = c.prediction().state() == PortState.OPEN && c.proto().equals("tcp");
                if (reachable && seen.add(c.endpoint())) {
                    Endpoint e = new Endpoint(new PortResult(c.ip(), c.port(), PortState.OPEN, "syn-ack", 200 + rnd.nextInt(4000),
                            Instant.EPOCH.plusMillis(rnd.nextInt(600_000))), c.service());
                    (rnd.nextInt(100) < seenPercent ? open : closedSince).add(e);
                }
            }
            if (!h.addresses().isEmpty() && rnd.nextInt(100) < surprisePercent) { // something nobody predicted answers
                Address a = h.addresses().get(0);
                int port = SURPRISES[rnd.nextInt(SURPRISES.length)];
                if (seen.add(a.endpoint(port))) {
                    open.add(new Endpoint(new PortResult(a, port, PortState.OPEN, "syn-ack", 900, Instant.EPOCH), null));
                }
            }
        }
        List<String> targets = new ArrayList<>();
        predicted.hosts().forEach(h -> h.addresses().forEach(a -> targets.add(a.toString())));
        long addresses = targets.size();
        if (n > 16) { // a fleet is scanned by its ranges
            targets.clear();
            targets.addAll(List.of("198.19.0.0/16", "2001:2:0:100::/56"));
            addresses = 65_536L + n;
        }
        long probes = addresses * 80;
        ScanRun run = new ScanRun("test", Instant.EPOCH, "syn", targets, "ai-default", addresses, probes, seed, "0/1", 20_000,
                List.of(Vantage.INTERNET_V4.toString(), Vantage.INTERNET_V6.toString()), false);
        ScanSummary done = new ScanSummary(Instant.EPOCH.plusSeconds(262), 262.1, probes, probes, probes, open.size(), 0, 0, true, null,
                List.of(), List.of());
        ScanResult scan = new ScanResult(Path.of("fleet-" + n + ".jsonl"), run, open, done, false);
        Report report = audited(correlator, policy, scan, inputs);
        if (!compared) {
            return report;
        }
        // last week's scan: what this one did not see open was open then (fixed since), a few of today's were not (new)
        List<Endpoint> added = new ArrayList<>();
        List<Endpoint> still = new ArrayList<>();
        for (Endpoint e : open) {
            (rnd.nextInt(100) < 5 ? added : still).add(e);
        }
        return report.comparedWith(new Comparison("fleet-last-week.jsonl", Instant.EPOCH.minusSeconds(7 * 86_400), closedSince, added, still,
                List.of()));
    }

    /** The sample as collected on host {@code i}: its name, and its public /24 and /64 moved to the host's own. */
    static Snapshot moved(Snapshot s, String name, int i) {
        List<Snapshot.Source> out = new ArrayList<>();
        for (Snapshot.Source x : s.sources()) {
            out.add(new Snapshot.Source(x.name(), x.command(), x.status(), x.exitCode(), x.millis(), move(x.stdout(), i), move(x.stderr(), i),
                    x.note()));
        }
        return new Snapshot(s.schema(), name, s.collected(), s.aiscanVersion(), s.root(), out);
    }

    static String move(String text, int i) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String v4 = V4.matcher(text).replaceAll(m -> Matcher.quoteReplacement("198.19." + i + "."));
        return V6.matcher(v4).replaceAll(m -> Matcher.quoteReplacement("2001:2:0:" + Integer.toHexString(0x100 + i) + ":"));
    }

    /** The scan audited against the snapshots from the internet's addresses, with the bundle's fixes (trusted: 10.20.0.0/16). */
    static Report audited(Correlator correlator, AuditPolicy policy, ScanResult scan, List<Correlator.SnapshotInput> inputs)
            throws IOException {
        AuditResult audit = correlator.run(scan, inputs, List.of(Vantage.INTERNET_V4, Vantage.INTERNET_V6));
        Planner planner = new Planner(new Planner.Options(List.of(Cidr.parse("10.20.0.0/16")), "/etc/nginx/aiscan"), "test",
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        Map<Diagnosis, List<Fix>> fixes = new LinkedHashMap<>();
        for (HostAudit h : audit.hosts()) {
            fixes.putAll(planner.plan(h, audit.diagnoses()).fixes());
        }
        return new Report(scan, audit, fixes, "test", Instant.EPOCH);
    }
}
