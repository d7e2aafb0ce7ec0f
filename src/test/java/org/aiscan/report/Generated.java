package org.aiscan.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aiscan.audit.AuditPolicy;
import org.aiscan.audit.Correlator;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.fingerprint.Ruleset;
import org.aiscan.host.Collector;
import org.aiscan.host.HostFacts;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.CveMatch;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.Endpoint;
import org.aiscan.model.Evidence;
import org.aiscan.model.EvidenceLine;
import org.aiscan.model.Fix;
import org.aiscan.model.PortResult;
import org.aiscan.model.PortState;
import org.aiscan.model.Remedy;
import org.aiscan.model.Risk;
import org.aiscan.model.ScanResult;
import org.aiscan.model.ScanRun;
import org.aiscan.model.ScanSummary;
import org.aiscan.model.Service;
import org.aiscan.model.Severity;
import org.aiscan.model.audit.AuditResult;

/**
 * Generated scans, audits and reports for the writers' property tests: anything the model types
 * accept and a scan file read back can hold — null service, id, version and detail, empty
 * evidence, unicode (astral planes and lone surrogates too), control characters, markup, formulas
 * and template syntax in every text, 0 to a few hundred endpoints (10,000 in a fixed example) —
 * with audits made by the real correlator on the research host samples (their addresses scanned,
 * the host name replaced by generated text) plus generated diagnoses, notes and fixes. Diagnosis
 * codes and severities stay in their fixed sets: only the audit (policy-checked) makes them.
 */
final class Generated {
    static final List<String> IDS = List.of("ollama", "vllm", "sglang", "tgi", "llama-cpp", "localai", "lm-studio", "triton", "torchserve",
            "xinference", "litellm", "comfyui", "sd-webui", "invokeai", "gradio", "open-webui", "anythingllm", "librechat", "dify", "flowise",
            "langflow", "n8n", "jupyter", "ray", "mlflow", "kubeflow", "tensorboard", "streamlit", "prometheus", "grafana", "node-exporter",
            "dcgm-exporter", "qdrant", "chroma", "weaviate", "milvus", "elasticsearch", "redis", "ssh", "http");
    static final List<String> CODES = List.of("FIREWALL_INACTIVE", "ALLOW_FROM_ANYWHERE", "DOCKER_BYPASSES_FIREWALL", "DOCKER_USER_TRUSTS_PRIVATE",
            "IPV6_UNFILTERED", "FIREWALL_STACK_SPLIT", "NO_RATE_LIMIT", "RATE_LIMIT_INEFFECTIVE", "RULE_SHADOWED", "UNAUTHENTICATED_AI_API",
            "SETUP_TAKEOVER", "PLAINTEXT_BASIC_AUTH", "ADMIN_ENDPOINT_EXPOSED", "WIDE_BIND_LATENT", "KNOWN_CVE", "OUTBOUND_UNRESTRICTED",
            "SSH_NOT_RATE_LIMITED", "NO_BRUTEFORCE_PROTECTION", "NO_RESOURCE_LIMIT");
    /** Host samples whose snapshots the generated audits run on. */
    static final List<String> SAMPLES = List.of("01-ufw-basic", "02-ufw-docker-bypass", "03-iptables-ratelimit-ipv6-open", "04-nftables-only",
            "05-no-firewall", "08-docker-nftables-backend-ufw", "lab-ufw-docker", "lab-shadowed");
    /** Text that has broken or could break a writer: markup, formulas, fences, template syntax, escapes. */
    static final List<String> HOSTILE = List.of("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE x; --",
            "=HYPERLINK(\"http://203.0.113.9\",\"x\")", "+SUM(1,1)", "-2+3", "@cmd", "\tx", "\r\nnext", "```\n# heading\n```", "| a | b |",
            "[link](http://203.0.113.9)", "![i](http://203.0.113.9/i.png)", "${7*7}", "<#assign x=1>", "#{x}", "{{7*7}}", "]]>", "<!--", "-->",
            "\u001b[31mred\u001b[0m", "\u0000", "\u0007bell", "\u202eevil", "\ud83d\ude00 emoji", "\ud800", "\udfff", "a\u0085b", "\u2028",
            "&amp;&lt;", "\\", "\\\"", "\"", "'", "$(reboot)", "`id`", "; rm -rf /", "\n", " ", "", "null", "NaN", "1e309",
            "<style>body{display:none}</style>", "<base href=http://203.0.113.9/>", "javascript:alert(1)", "%s%n%x", "\uFFFD\uFFFE\uFFFF");

    private static Ruleset rules;
    private static AuditPolicy policy;
    private static final Map<String, Snapshot> SNAPSHOTS = new LinkedHashMap<>();

    private Generated() {
    }

    static synchronized AuditPolicy policy() {
        if (policy == null) {
            try {
                policy = AuditPolicy.load(Path.of("rulesets/policy/audit.yaml"));
                rules = RuleLoader.usable(Path.of("rulesets"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return policy;
    }

    static synchronized Ruleset rules() {
        policy();
        return rules;
    }

    static synchronized Snapshot sample(String name) {
        return SNAPSHOTS.computeIfAbsent(name, n -> {
            try {
                return Collector.fromFiles(Path.of("test-fixtures/host-samples").resolve(n), "test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---------------------------------------------------------------------------------------- text

    /** Any text: words, hostile pieces, arbitrary UTF-16 code units (lone surrogates included), non-ASCII, mixtures. */
    static Gen<String> text() {
        Gen<String> words = Gen.string(Gen.charsOf("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-_/:"), 40);
        Gen<String> hostile = Gen.of(HOSTILE);
        Gen<String> any = Gen.string(Gen.chars('\u0000', '\uFFFF'), 30);
        Gen<String> unicode = Gen.string(Gen.chars('\u0080', '\uFFFF'), 20);
        Gen<String> astral = r -> {
            StringBuilder b = new StringBuilder();
            int n = r.nextInt(6);
            for (int i = 0; i < n; i++) {
                b.appendCodePoint(0x10000 + r.nextInt(0x100000));
            }
            return b.toString();
        };
        Gen<String> mix = r -> words.next(r) + hostile.next(r) + any.next(r);
        return Gen.<String>weighted(4, words, 3, hostile, 2, any, 1, unicode, 1, astral, 2, mix);
    }

    static Gen<String> nullable(Gen<String> g) {
        return g.orNull(0.25);
    }

    /** A fixed vocabulary value most of the time, anything else sometimes (a file edited by hand). */
    static Gen<String> mostly(List<String> values) {
        return Gen.<String>weighted(8, Gen.of(values), 1, text());
    }

    static Gen<List<String>> texts(int max) {
        return text().list(max);
    }

    // ---------------------------------------------------------------------------------------- scan

    static Gen<Address> address() {
        Gen<Address> v4 = Gen.longs(0, 0xFFFF_FFFFL).map(Address::v4);
        Gen<Address> v6 = r -> Address.v6(r.nextLong(), r.nextLong());
        return Gen.<Address>weighted(1, v4, 1, v6);
    }

    static Gen<Instant> instant() {
        return Gen.longs(0, 4_102_444_800L).map(Instant::ofEpochSecond);
    }

    static Gen<Service> service() {
        Gen<Evidence> evidence = r -> new Evidence(nullable(text()).next(r), r.nextInt(1000), nullable(text()).next(r),
                nullable(mostly(List.of("identify", "version", "auth", "tls"))).next(r));
        Gen<Risk> risk = r -> new Risk(mostly(Risk.SEVERITIES).next(r), texts(3).next(r), text().next(r));
        Gen<CveMatch> cve = r -> new CveMatch(nullable(mostly(List.of("CVE-2024-37032", "CVE-2025-51471", "GHSA-xxxx-yyyy-zzzz"))).next(r),
                nullable(mostly(List.of("critical", "high", "medium", "low"))).next(r), nullable(text()).next(r), nullable(text()).next(r),
                nullable(mostly(List.of("PYSEC-2023-272", "https://osv.dev/vulnerability/GO-2025-3558"))).next(r));
        Gen<String> auth = mostly(List.of(Service.AUTH_NONE, Service.AUTH_REQUIRED, Service.AUTH_UNKNOWN));
        Gen<String> detail = nullable(mostly(List.of("open", "product", "proxy", "setup-takeover", "registration-open")));
        return r -> new Service(nullable(mostly(IDS)).next(r), nullable(text()).next(r), nullable(text()).next(r), auth.next(r), detail.next(r),
                nullable(mostly(List.of("high", "medium", "low"))).next(r), evidence.list(4).next(r), risk.next(r), cve.list(3).next(r),
                r.nextBoolean(), texts(3).next(r));
    }

    static Gen<Endpoint> endpoint() {
        return r -> new Endpoint(new PortResult(address().next(r), 1 + r.nextInt(65535), Gen.of(PortState.values()).next(r),
                mostly(List.of("syn-ack", "conn-refused", "reset", "no-response", "host-unreach")).next(r), Gen.longs(-1, 10_000_000).next(r),
                instant().next(r)), service().orNull(0.2).next(r));
    }

    /** A port list as the run record holds it: nmap syntax, numbers and ranges (groups are resolved before). */
    static Gen<String> ports() {
        Gen<String> one = Gen.ints(1, 65535).map(String::valueOf);
        Gen<String> range = r -> {
            int a = 1 + r.nextInt(65535);
            return a + "-" + Math.min(65535, a + r.nextInt(200));
        };
        return Gen.<String>weighted(1, one, 1, range).list(6).map(l -> String.join(",", l));
    }

    static Gen<ScanRun> run() {
        return r -> new ScanRun(nullable(text()).next(r), instant().next(r), nullable(mostly(List.of("connect", "syn"))).next(r), texts(4).next(r),
                ports().next(r), Gen.longs(0, 1L << 40).next(r), Gen.longs(0, 1L << 40).next(r), r.nextLong(), mostly(List.of("0/1", "1/4")).next(r),
                Gen.longs(0, 10_000_000).next(r), texts(2).next(r), r.nextBoolean());
    }

    static Gen<ScanSummary> summary() {
        return r -> {
            long probes = Gen.longs(0, 1L << 40).next(r);
            return new ScanSummary(instant().next(r), r.nextDouble() * 1e6, probes, probes / 2, probes, 3, 2, 1, r.nextBoolean(),
                    nullable(text()).next(r), texts(3).next(r), texts(3).next(r));
        };
    }

    /** Endpoints: mostly a handful, sometimes none, sometimes a few hundred. */
    static Gen<List<Endpoint>> endpoints() {
        return Gen.<List<Endpoint>>weighted(1, Gen.constant(List.<Endpoint>of()), 12, endpoint().list(12), 1, endpoint().list(100, 300));
    }

    static Gen<ScanResult> scan() {
        return r -> {
            ScanRun run = run().next(r);
            return new ScanResult(Path.of("generated.jsonl"), run, distinct(endpoints().next(r)), summary().orNull(0.2).next(r), run.allStates());
        };
    }

    /** One verdict per (address, port), as every scan writes it: later duplicates dropped. */
    static List<Endpoint> distinct(List<Endpoint> eps) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return eps.stream().filter(e -> seen.add(e.port().endpoint())).toList();
    }

    // --------------------------------------------------------------------------------------- audit

    static Gen<Diagnosis> diagnosis() {
        Gen<EvidenceLine> ev = r -> new EvidenceLine(mostly(List.of("scan", "iptables-nft-v4", "ufw-numbered", "nft", "ss-tcp")).next(r),
                r.nextInt(100_001), text().next(r));
        Gen<Map<String, String>> params = r -> {
            Map<String, String> m = new LinkedHashMap<>();
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                m.put(mostly(List.of("port", "family", "container")).next(r), text().next(r));
            }
            return m;
        };
        Gen<Remedy> remedy = r -> new Remedy(mostly(List.of("bind-loopback", "docker-user-drop", "ufw-deny")).next(r), params.next(r));
        return r -> new Diagnosis(DiagnosisCode.valueOf(Gen.of(CODES).next(r)), text().next(r), address().orNull(0.3).next(r), r.nextInt(65536),
                nullable(mostly(List.of("tcp", "udp"))).next(r), Gen.of(Severity.ALL).next(r), text().next(r), ev.list(5).next(r),
                remedy.list(3).next(r));
    }

    /** A scan (its endpoints partly moved onto the audited host) and the audit of it. */
    record Audited(ScanResult scan, AuditResult audit) {
    }

    static Audited audit(ScanResult scan, String sample, String hostname, List<Diagnosis> extra, List<Address> unmatched, List<String> notes) {
        List<Correlator.SnapshotInput> inputs = new ArrayList<>();
        ScanResult s = scan;
        if (sample != null) {
            Snapshot base = sample(sample);
            Snapshot snap = new Snapshot(base.schema(), hostname, base.collected(), base.aiscanVersion(), base.root(), base.sources());
            List<Address> addrs = HostView.of(snap).addresses.stream().filter(a -> !a.iface().equals("lo")).map(HostFacts.InterfaceAddress::address)
                    .toList();
            if (!addrs.isEmpty()) {
                List<Endpoint> moved = new ArrayList<>();
                int i = 0;
                for (Endpoint e : scan.endpoints()) {
                    if (i % 2 == 0) {
                        Address a = addrs.get(i / 2 % addrs.size());
                        PortResult p = e.port();
                        moved.add(new Endpoint(new PortResult(a, p.port(), p.state(), p.reason(), p.rttMicros(), p.time()), e.service()));
                    } else {
                        moved.add(e);
                    }
                    i++;
                }
                List<String> targets = new ArrayList<>(scan.run().targets());
                addrs.forEach(a -> targets.add(a.toString()));
                ScanRun r = scan.run();
                ScanRun run = new ScanRun(r.version(), r.started(), r.engine(), targets, r.ports(), r.addresses(), r.probes(), r.seed(), r.shard(),
                        r.rate(), r.scannerAddresses(), r.allStates());
                s = new ScanResult(scan.file(), run, distinct(moved), scan.summary(), scan.allStates());
            }
            inputs.add(new Correlator.SnapshotInput(Path.of("test-fixtures/host-samples").resolve(sample), snap));
        }
        AuditResult a = new Correlator(policy(), rules()).run(s, inputs, List.of());
        List<Diagnosis> ds = new ArrayList<>(a.diagnoses());
        ds.addAll(extra);
        List<Address> um = new ArrayList<>(a.unmatched());
        um.addAll(unmatched);
        List<String> ns = new ArrayList<>(a.notes());
        ns.addAll(notes);
        return new Audited(s, new AuditResult(a.scanFile(), a.scanComplete(), a.hosts(), ds, um, ns));
    }

    /** A whole report: a scan, its audit and fixes for some diagnoses. */
    static Gen<Report> report() {
        Gen<Fix> fix = r -> new Fix(text().next(r), mostly(List.of("ufw.sh", "iptables.rules", "nftables.nft")).next(r), text().next(r));
        return r -> {
            Audited x = audit(scan().next(r), Gen.of(SAMPLES).orNull(0.3).next(r), text().next(r), diagnosis().list(6).next(r),
                    address().list(8).next(r), texts(3).next(r));
            AuditResult a = x.audit();
            List<Fix> fixes = fix.list(2).next(r);
            Map<Diagnosis, List<Fix>> byDiagnosis = new LinkedHashMap<>();
            if (!fixes.isEmpty() && !a.diagnoses().isEmpty()) {
                byDiagnosis.put(a.diagnoses().get(0), fixes);
            }
            return new Report(x.scan(), a, byDiagnosis, nullable(text()).next(r), instant().next(r));
        };
    }

    /** A report with exactly {@code n} endpoints (0 or 10,000 for the edge cases), open, services of every kind, audited on a sample. */
    static Report sized(int n) {
        java.util.Random rnd = new java.util.Random(n);
        List<Endpoint> eps = new ArrayList<>(n);
        List<Service> services = service().list(64, 64).next(new java.util.Random(7));
        for (int i = 0; i < n; i++) {
            Address a = Address.v4(0xC6120000L + i / 50); // 198.18.0.0/15
            Service s = i % 7 == 0 ? null : services.get(rnd.nextInt(services.size()));
            eps.add(new Endpoint(new PortResult(a, 1 + i, PortState.OPEN, "syn-ack", rnd.nextInt(100_000), Instant.EPOCH), s));
        }
        ScanRun run = new ScanRun("test", Instant.EPOCH, "syn", List.of("198.18.0.0/16"), "1-65535", 65_536, 65_536L * 65_535, 1, "0/1", 0,
                List.of("198.18.255.1"), false);
        ScanSummary sum = new ScanSummary(Instant.EPOCH, 1, 100, 100, 100, n, 0, 0, true, null, List.of(), List.of());
        ScanResult scan = new ScanResult(Path.of("sized.jsonl"), run, eps, sum, false);
        Audited x = audit(scan, "05-no-firewall", "gpu-box", diagnosis().list(3, 3).next(new java.util.Random(8)), List.of(), List.of());
        return new Report(x.scan(), x.audit(), Map.of(), "test", Instant.EPOCH);
    }
}
