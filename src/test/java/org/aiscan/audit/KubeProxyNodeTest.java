package org.aiscan.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.aiscan.fingerprint.RuleLoader;
import org.aiscan.host.Collector;
import org.aiscan.host.HostView;
import org.aiscan.host.Snapshot;
import org.aiscan.model.Address;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.DiagnosisCode;
import org.aiscan.model.PacketPath;
import org.aiscan.model.PortState;
import org.aiscan.model.audit.AuditResult;
import org.aiscan.model.audit.Forwarder;
import org.aiscan.model.audit.Prediction;
import org.aiscan.model.audit.Reach;
import org.aiscan.model.audit.Vantage;
import org.aiscan.target.PortList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kube-proxy node in iptables mode, generated as kube-proxy writes it ({@link KubeProxyNode}): its
 * host INPUT drops everything but SSH, and every NodePort reaches a pod through kube-proxy's DNAT
 * (the rules as written decide: NodePort → KUBE-EXT → KUBE-SVC → KUBE-SEP → DNAT, KUBE-FORWARD
 * accepts the masquerade mark). The audit must find every NodePort without being told the ports,
 * predict it reachable with certainty, name Kubernetes (not Docker) and the service, and keep the
 * ClusterIPs (which a packet to the node address never matches) out.
 */
class KubeProxyNodeTest {
    static final Address NODE = Address.parse("203.0.113.10");

    @TempDir
    Path dir;

    static Snapshot node(Path dir, String iptablesSave) throws Exception {
        Files.writeString(dir.resolve("iptables-save.txt"), iptablesSave);
        Files.writeString(dir.resolve("ip-addr-o.txt"), """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                2: eth0    inet 203.0.113.10/24 brd 203.0.113.255 scope global eth0\\       valid_lft forever preferred_lft forever
                3: cni0    inet 10.244.0.1/24 brd 10.244.0.255 scope global cni0\\       valid_lft forever preferred_lft forever
                """);
        Files.writeString(dir.resolve("ip-route.txt"), "default via 203.0.113.1 dev eth0 proto static\n10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1\n");
        Files.writeString(dir.resolve("sysctl-forwarding.txt"), "net.ipv4.ip_forward = 1\nnet.ipv6.conf.all.forwarding = 0\n");
        Files.writeString(dir.resolve("ss-tulnpH.txt"), """
                tcp   LISTEN 0      4096         0.0.0.0:22         0.0.0.0:*    users:(("sshd",pid=811,fd=3))
                tcp   LISTEN 0      4096               *:10250            *:*    users:(("kubelet",pid=1201,fd=21))
                """);
        return Collector.fromFiles(dir, "node-1");
    }

    @Test
    void everyNodePortOfATenThousandRuleNodeIsReachableThroughKubernetes() throws Exception {
        int services = 800;
        String save = KubeProxyNode.iptablesSave(services, 3);
        long rules = save.lines().filter(l -> l.startsWith("-A ")).count();
        assertTrue(rules >= 10_000, "at least 10,000 rules: " + rules);
        Snapshot snap = node(dir, save);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        AuditPolicy policy = AuditPolicy.load(Path.of(AuditPolicy.FILE));
        AuditResult r = new Correlator(policy, RuleLoader.load(Path.of("rulesets")).ruleset())
                .predict(List.of(new Correlator.SnapshotInput(dir, snap)), List.of(Vantage.internet()), PortList.of());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long after = rt.totalMemory() - rt.freeMemory();
        Map<Integer, Reach> open = new TreeMap<>();
        for (Reach x : r.reach()) {
            open.put(x.port(), x);
        }
        long nodePorts = 0;
        for (int i = 0; i < services; i++) {
            Reach x = open.get(KubeProxyNode.nodePort(i));
            assertTrue(x != null, "NodePort " + KubeProxyNode.nodePort(i) + " predicted reachable");
            Prediction p = x.prediction();
            assertFalse(p.isUncertain(), "certain: " + p.uncertain());
            assertEquals(Forwarder.KUBERNETES_NODEPORT, p.via(), "NodePort " + x.port());
            assertEquals(PacketPath.FORWARD, p.path());
            assertTrue(p.forwardedTo().startsWith("10.244.3."), "the walk follows the endpoint every connection the random shares leave takes: "
                    + p.forwardedTo());
            nodePorts++;
        }
        assertEquals(List.of(22), open.keySet().stream().filter(port -> port < 30000).toList(),
                "besides the NodePorts only SSH (INPUT drops the kubelet's 10250; the ClusterIP port 8000 is no port of the node)");
        long diagnosed = r.diagnoses().stream().filter(d -> d.code() == DiagnosisCode.KUBERNETES_SERVICE_EXPOSED).count();
        assertEquals(services, diagnosed, "one Kubernetes diagnosis per NodePort");
        assertEquals(0, r.diagnoses().stream().filter(d -> d.code().name().startsWith("DOCKER")).count(), "nothing is Docker's");
        Diagnosis d = r.diagnoses().stream().filter(x -> x.code() == DiagnosisCode.KUBERNETES_SERVICE_EXPOSED && x.port() == 30007).findFirst().orElseThrow();
        assertTrue(d.why().contains("ai/model-7:http"), d.why());
        assertTrue(d.evidence().stream().anyMatch(e -> e.text().contains("-A KUBE-NODEPORTS -p tcp -m comment --comment \"ai/model-7:http\"")),
                d.evidence().toString());
        System.out.printf("KubeProxyNodeTest: %d rules, %d services: %d NodePorts predicted reachable via Kubernetes in %d ms "
                + "(load, walk and diagnose; heap %+.1f MiB, %.1f MiB in use)%n", rules, services, nodePorts, ms,
                (after - before) / 1048576.0, after / 1048576.0);
        assertTrue(HostView.of(snap).problems.isEmpty(), "kube-proxy's rules read whole: " + HostView.of(snap).problems);
    }

    /**
     * Docker on the same node: its DNAT comes after kube-proxy's KUBE-SERVICES in PREROUTING. The walk
     * passes KUBE-SERVICES without a verdict, so the port is Docker's, not Kubernetes'.
     */
    @Test
    void aDockerPortOnAKubernetesNodeIsDockers() throws Exception {
        String save = KubeProxyNode.iptablesSave(3, 2)
                .replace(":KUBE-MARK-MASQ - [0:0]\n", ":KUBE-MARK-MASQ - [0:0]\n:DOCKER - [0:0]\n")
                .replace("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n",
                        "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n"
                                + "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n"
                                + "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 172.17.0.2:8000\n")
                .replace(":KUBE-EXTERNAL-SERVICES - [0:0]\n", ":KUBE-EXTERNAL-SERVICES - [0:0]\n:DOCKER-USER - [0:0]\n:DOCKER - [0:0]\n")
                .replace("-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL\n",
                        "-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -j DOCKER\n"
                                + "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes load balancer firewall\" -j KUBE-PROXY-FIREWALL\n"
                                + "-A DOCKER-USER -j RETURN\n"
                                + "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 8000 -j ACCEPT\n");
        Snapshot snap = node(dir, save);
        Files.writeString(dir.resolve("ip-addr-o.txt"), Files.readString(dir.resolve("ip-addr-o.txt"))
                + "4: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\\       valid_lft forever preferred_lft forever\n");
        snap = Collector.fromFiles(dir, "node-1");
        Netfilter nf = new Netfilter(HostView.of(snap));
        Prediction docker = nf.evaluate(Vantage.INTERNET_V4, NODE, "tcp", 8000);
        assertEquals(PortState.OPEN, docker.state(), docker.steps().toString());
        assertEquals(Forwarder.DOCKER, docker.via(), "KUBE-SERVICES was walked and left: " + docker.viaRules());
        Prediction nodePort = nf.evaluate(Vantage.INTERNET_V4, NODE, "tcp", KubeProxyNode.nodePort(1));
        assertEquals(Forwarder.KUBERNETES_NODEPORT, nodePort.via());
        assertFalse(nodePort.isUncertain(), nodePort.uncertain().toString());
        AuditResult r = new Correlator(AuditPolicy.load(Path.of(AuditPolicy.FILE)), RuleLoader.load(Path.of("rulesets")).ruleset())
                .predict(List.of(new Correlator.SnapshotInput(dir, snap)), List.of(Vantage.internet()), PortList.of());
        assertTrue(r.diagnoses().stream().anyMatch(d -> d.code() == DiagnosisCode.DOCKER_BYPASSES_FIREWALL && d.port() == 8000), r.diagnoses().toString());
        assertFalse(r.diagnoses().stream().anyMatch(d -> d.code() == DiagnosisCode.KUBERNETES_SERVICE_EXPOSED && d.port() == 8000));
    }

    /**
     * The real dumps of the corpus: every NodePort is a receiver the audit evaluates without -p, no
     * ClusterIP port is (kube-proxy's rules for them name other addresses).
     */
    @Test
    void theRealDumpsNodePortsAreReceiversAndTheirClusterIpPortsAreNot() throws Exception {
        record Want(String folder, String address, List<Integer> nodePorts, List<Integer> clusterOnly) {
        }
        for (Want w : List.of(new Want("34-", "10.34.4.246", List.of(30000), List.of(53, 443, 3001, 4317, 4318, 8000, 9153)),
                new Want("43-", "192.168.1.5", List.of(31306, 31674, 32117), List.of(53, 9153, 50000)))) {
            Path folder;
            try (var s = Files.list(HostCorpusTest.CORPUS)) {
                folder = s.filter(d -> d.getFileName().toString().startsWith(w.folder())).findFirst().orElseThrow();
            }
            Snapshot snap = org.aiscan.host.Snapshots.withAddresses(Collector.fromFiles(folder, "test"), List.of(Address.parse(w.address())));
            PortList ports = Correlator.receiverPorts(HostView.of(snap), PortList.of());
            for (int p : w.nodePorts()) {
                assertTrue(ports.contains(p), w.folder() + " NodePort " + p + " is a receiver: " + ports);
            }
            for (int p : w.clusterOnly()) {
                assertFalse(ports.contains(p), w.folder() + " ClusterIP port " + p + " is no port of the node: " + ports);
            }
        }
    }

    /** kube-proxy's comment names the Service in an iptables -L listing too ({@code /* default/nginx-svc: *}{@code /}). */
    @Test
    void theServiceIsNamedFromAListing() throws Exception {
        Path folder;
        try (var s = Files.list(HostCorpusTest.CORPUS)) {
            folder = s.filter(d -> d.getFileName().toString().startsWith("04-")).findFirst().orElseThrow();
        }
        Snapshot snap = org.aiscan.host.Snapshots.withAddresses(Collector.fromFiles(folder, "test"), List.of(Address.parse("203.0.113.10")));
        AuditResult r = new Correlator(AuditPolicy.load(Path.of(AuditPolicy.FILE)), RuleLoader.load(Path.of("rulesets")).ruleset())
                .predict(List.of(new Correlator.SnapshotInput(folder, snap)), List.of(Vantage.internet()), PortList.of());
        Diagnosis d = r.diagnoses().stream().filter(x -> x.code() == DiagnosisCode.KUBERNETES_SERVICE_EXPOSED && x.port() == 30080).findFirst()
                .orElseThrow(() -> new AssertionError(r.diagnoses().toString()));
        assertTrue(d.why().contains("NodePort of default/nginx-svc:"), d.why());
    }
}
