package org.aiscan.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One host scenario of {@code test-fixtures/lab/scenario.sh}: a namespace with a real firewall
 * (ufw, iptables with Docker's chains, ip6tables or nftables) and listeners, reachable from the root
 * namespace at {@link #v4()} and {@link #v6()}.
 */
public final class Scenario implements AutoCloseable {
    public static final Path SCRIPT = Lab.ROOT.resolve("test-fixtures/lab/scenario.sh");

    private final String name;
    private final String v4;
    private final String v6;

    private Scenario(String name, String v4, String v6) {
        this.name = name;
        this.v4 = v4;
        this.v6 = v6;
    }

    /** Builds scenario {@code name}; skips the test when this machine cannot. */
    public static Scenario up(String name) throws IOException, InterruptedException {
        assumeTrue(Lab.isRoot(), "host scenarios need root");
        Lab.Run r = Lab.run(List.of(SCRIPT.toString(), "up", name), 120);
        if (r.code() != 0) {
            Lab.run(List.of(SCRIPT.toString(), "down", name), 60);
            throw new IllegalStateException("scenario.sh up " + name + " failed (" + r.code() + "): " + r.err());
        }
        String[] a = r.out().trim().split("\\s+");
        return new Scenario(name, a[0], a[1]);
    }

    public String name() {
        return name;
    }

    public String v4() {
        return v4;
    }

    public String v6() {
        return v6;
    }

    /** The ports a scan of this scenario covers: the AI set and SSH, and the NodePort of the Kubernetes scenarios. */
    public String scanPorts() {
        return name.startsWith("kube-") ? "ai-default,22,30080" : "ai-default,22";
    }

    public String namespace() {
        return "aish-" + name;
    }

    /** The scenario's number N (its addresses are 198.18.(30+N).x). */
    public int number() {
        return Integer.parseInt(v4.split("\\.")[2]) - 30;
    }

    /** The root-namespace end of the scenario's veth. */
    public String rootIface() {
        return "aish" + number();
    }

    /** An address of the scenario's link on the root side, other than the scanner's .1 (host part {@code host}). */
    public String rootAddress(int family, int host) {
        return family == 4 ? "198.18." + (30 + number()) + "." + host : "2001:2:0:" + (30 + number()) + "::" + Integer.toHexString(host);
    }

    /**
     * Adds {@link #rootAddress} (both families) to the root side of the veth, e.g. as a trusted source.
     * They are never picked as a source by themselves (IPv4: a secondary address; IPv6: deprecated),
     * so the scanner keeps sending from .1 / ::1 and only a socket bound to them uses them.
     */
    public void addRootAddresses(int host) throws IOException, InterruptedException {
        Lab.run(List.of("ip", "addr", "add", rootAddress(4, host) + "/24", "dev", rootIface()), 10);
        Lab.run(List.of("ip", "-6", "addr", "add", rootAddress(6, host) + "/64", "dev", rootIface(), "nodad", "preferred_lft", "0"), 10);
    }

    /** Runs a command inside the scenario's namespace. */
    public Lab.Run exec(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace()));
        java.nio.file.Path bus = java.nio.file.Path.of("/run/aiscan-lab/scenarios", name, "bus");
        if (java.nio.file.Files.exists(bus)) { // firewalld's private system bus: firewall-cmd must never reach another
            full.addAll(List.of("env", "DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + bus));
        }
        full.addAll(List.of(cmd));
        return Lab.run(full, timeoutSeconds);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Lab.run(List.of(SCRIPT.toString(), "down", name), 60);
    }
}
