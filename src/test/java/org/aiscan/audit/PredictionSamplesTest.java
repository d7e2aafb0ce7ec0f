package org.aiscan.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.model.Address;
import org.aiscan.model.Cidr;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.Observed;
import org.aiscan.model.PacketPath;
import org.aiscan.model.VantageKind;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.EndpointCheck;
import org.aiscan.model.audit.Reach;
import org.aiscan.model.audit.Vantage;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Predictions without a scan against what was measured on the research hosts (reachability.txt,
 * curl from the root namespace): evaluated for the measuring source with {@code --from}, the
 * predicted endpoints among those probed are exactly the reachable ones.
 */
class PredictionSamplesTest {
    private static final Pattern SOURCE = Pattern.compile("^# probes from the root namespace \\(source (\\S+) / (\\S+)\\)");
    private static final Pattern PROBE = Pattern.compile("^(UN)?REACHABLE\\s+tcp/(\\d+) v[46]\\s+\\(http://\\[?([0-9a-f.:]+?)\\]?:\\d+/\\)");

    static Correlator correlator() throws Exception {
        DiagnoserSamplesTest.load();
        return new Correlator(DiagnoserSamplesTest.policy, DiagnoserSamplesTest.rules);
    }

    static Correlator.SnapshotInput sample(String name) throws Exception {
        Path dir = DiagnoserSamplesTest.SAMPLES.resolve(name);
        return new Correlator.SnapshotInput(dir, Collector.fromFiles(dir, "test"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"01-ufw-basic", "02-ufw-docker-bypass", "03-iptables-ratelimit-ipv6-open", "04-nftables-only", "05-no-firewall",
        "07-ufw-edge-cases"})
    void predictedEndpointsAreTheMeasuredOnes(String name) throws Exception {
        List<String> lines = Files.readAllLines(DiagnoserSamplesTest.SAMPLES.resolve(name).resolve("reachability.txt"));
        Matcher src = SOURCE.matcher(lines.get(0));
        assertTrue(src.find(), lines.get(0));
        Set<String> probed = new TreeSet<>();
        Set<String> reachable = new TreeSet<>();
        for (String l : lines) {
            Matcher m = PROBE.matcher(l);
            if (m.find()) {
                Address a = Address.parse(m.group(3));
                String ep = (a.isV6() ? "[" + a + "]" : a.toString()) + ":" + m.group(2);
                probed.add(ep);
                if (m.group(1) == null) {
                    reachable.add(ep);
                }
            }
        }
        assertTrue(probed.size() >= 4 && !reachable.isEmpty(), name + ": " + probed);
        List<Vantage> vantages = List.of(Vantage.internet(), Vantage.of(VantageKind.FROM, Cidr.parse(src.group(1) + "/32")),
                Vantage.of(VantageKind.FROM, Cidr.parse(src.group(2) + "/128")));
        AuditResult r = correlator().predict(List.of(sample(name)), vantages, PortSpec.parse("ai-default"));
        assertTrue(r.predicted());
        assertEquals(null, r.scanFile());
        Set<String> predicted = new TreeSet<>();
        for (Reach x : r.reach()) {
            if (!x.vantage().equals(vantages.get(0).label()) && probed.contains(x.endpoint())) {
                predicted.add(x.endpoint());
            }
        }
        assertEquals(reachable, predicted, name);
    }

    @Test
    void dockerPublishedPortsArePredictedAndDiagnosedWithoutAScan() throws Exception {
        AuditResult r = correlator().predict(List.of(sample("02-ufw-docker-bypass")), List.of(Vantage.internet()), PortList.of());
        assertTrue(r.reach().stream().anyMatch(x -> x.port() == 8000 && x.prediction().path() == PacketPath.FORWARD), r.reach().toString());
        assertTrue(r.diagnoses().stream().anyMatch(d -> d.code() == DiagnosisCode.DOCKER_BYPASSES_FIREWALL && d.port() == 8000),
                r.diagnoses().toString());
        EndpointCheck e = r.hosts().get(0).endpoints().stream().filter(x -> x.port() == 8000 && !x.ip().isV6()).findFirst().orElseThrow();
        assertEquals(Observed.UNKNOWN, e.observed(), "nothing was observed");
    }

    @Test
    void aTrustedPrivateNetworkPassesTheUfwDockerBlockTheInternetDoesNot() throws Exception {
        // 06 step A measured it: from 10.250.12.1 port 8000 answers, from 198.18.12.1 it does not
        Vantage trusted = Vantage.of(VantageKind.TRUSTED, Cidr.parse("10.250.12.0/24"));
        AuditResult r = correlator().predict(List.of(sample("06-ufw-docker-fixed/stepA")), List.of(Vantage.internet(), trusted),
                PortList.of());
        assertEquals(Address.parse("10.250.12.1"), trusted.source(false));
        assertFalse(r.reach().stream().anyMatch(x -> x.port() == 8000 && x.vantage().equals(Vantage.internet().label())), r.reach().toString());
        assertTrue(r.reach().stream().anyMatch(x -> x.port() == 8000 && x.vantage().equals(trusted.label())), r.reach().toString());
        assertTrue(r.diagnoses().stream().noneMatch(d -> d.code() == DiagnosisCode.DOCKER_USER_TRUSTS_PRIVATE && d.ip() != null
                && d.why().contains("10.250.12.1")), "a trusted vantage raises nothing of its own");
    }

    @Test
    void receiverPortsComeFromListenersDnatAndDocker() throws Exception {
        HostView v = HostView.of(sample("02-ufw-docker-bypass").snapshot());
        PortList p = Correlator.receiverPorts(v, PortList.of(7));
        assertTrue(p.contains(7) && p.contains(8000) && p.contains(22), p.toSpec());
        List<Integer> loopbackOnly = new ArrayList<>();
        v.listeners.stream().filter(l -> !l.wide() && l.proto().equals("tcp")).forEach(l -> loopbackOnly.add(l.port()));
        String rules = Files.readString(DiagnoserSamplesTest.SAMPLES.resolve("02-ufw-docker-bypass/iptables-save.txt"));
        int checked = 0;
        for (int port : loopbackOnly) {
            boolean elsewhere = v.listeners.stream().anyMatch(l -> l.port() == port && l.wide()) || rules.contains("--dport " + port + " -j DNAT");
            assertEquals(elsewhere, p.contains(port), "loopback-only port " + port);
            checked++;
        }
        assertTrue(checked > 0, "the sample has loopback-only listeners");
    }

    /** Docker with userland-proxy off (or any DNAT): no socket on the host, the nat rule is the only receiver. */
    @Test
    void aDnatRuleWithNoListenerIsACandidateAndPredictedOpen() throws Exception {
        List<org.aiscan.host.Snapshot.Source> src = List.of(
                source("ip-addr", "1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet 198.51.100.5/24 scope global eth0\n"
                        + "3: docker0    inet 172.17.0.1/16 scope global docker0\n"),
                source("sysctl", "net.ipv4.ip_forward = 1\n"),
                source("iptables-v4", "*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n"
                        + "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 9999 -j DNAT --to-destination 172.17.0.2:80\n"
                        + "-A DOCKER -p tcp -m multiport --dports 7000:7002,7010 -j DNAT --to-destination 172.17.0.3:80\nCOMMIT\n"));
        org.aiscan.host.Snapshot snap = new org.aiscan.host.Snapshot(org.aiscan.host.Snapshot.SCHEMA, "dnat-only", java.time.Instant.EPOCH,
                "t", true, src);
        PortList p = Correlator.receiverPorts(HostView.of(snap), PortList.of());
        assertEquals("7000-7002,7010,9999", p.toSpec());
        AuditResult r = correlator().predict(List.of(new Correlator.SnapshotInput(Path.of("dnat.json"), snap)), List.of(Vantage.internet()),
                PortList.of());
        assertTrue(r.reach().stream().anyMatch(x -> x.port() == 9999 && x.prediction().path() == PacketPath.FORWARD), r.reach().toString());
    }

    private static org.aiscan.host.Snapshot.Source source(String name, String text) {
        return new org.aiscan.host.Snapshot.Source(name, List.of("t"), "ok", 0, 0, text, "", null);
    }

    @Test
    void aRepresentativeSourceIsInsideItsNetwork() {
        for (String c : Stream.of("10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32", "2001:db8::5/128", "198.51.100.0/31").toList()) {
            Cidr n = Cidr.parse(c);
            assertTrue(n.contains(Vantage.representative(n)), c);
        }
        assertEquals(Address.parse("10.0.0.1"), Vantage.representative(Cidr.parse("10.0.0.0/8")));
    }
}
