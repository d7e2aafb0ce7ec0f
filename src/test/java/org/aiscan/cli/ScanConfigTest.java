package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.aiscan.grab.Limits;
import org.aiscan.host.Collector;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortState;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.syn.SendOptions;
import org.aiscan.probe.syn.SynSupport;
import org.aiscan.schedule.StateDir;
import org.aiscan.target.Shard;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The scan's command line and environment become one checked configuration. */
class ScanConfigTest {
    private static ScanConfig config(Map<String, String> env, String... args) {
        CommandLine cl = ScanCommand.commandLine();
        cl.parseArgs(args);
        return ScanConfig.of((ScanCommand) cl.getCommandSpec().userObject(), env);
    }

    private static ScanConfig config(String... args) {
        return config(Map.of(), args);
    }

    @Test
    void theDefaultsAreTheOptionTablesAndTheGrabbersOwn() {
        ScanConfig c = config("198.18.0.1");
        assertEquals(List.of("198.18.0.1"), c.targets().described());
        assertTrue(c.ports().size() > 30, "the ai-default group");
        assertEquals(Shard.WHOLE, c.shard());
        assertNull(c.seed());
        assertEquals(new EngineOptions(5000, 1500, ScanConfig.CONNECT_MIN_TIMEOUT, 1, 4096), c.probing().connect());
        assertEquals(new EngineOptions(5000, 1500, ScanConfig.SYN_MIN_TIMEOUT, 1, 4096), c.probing().syn());
        assertEquals(Limits.DEFAULT, c.identify().limits(), "the option defaults are Limits.DEFAULT's");
        assertTrue(c.identify().on());
        assertEquals(32, c.identify().threads());
        assertEquals(SendOptions.DEFAULT, c.probing().sending());
        assertFalse(c.probing().guard().restricted());
        assertFalse(c.state().used() || c.output().dryRun() || c.cdsTraining());
        assertTrue(c.output().shown().test(PortState.OPEN) && !c.output().shown().test(PortState.FILTERED));
    }

    @Test
    void theEnvironmentIsReadHereAndNowhereElse() {
        ScanConfig c = config(Map.of("AISCAN_ALLOWED_NETS", "127.0.0.0/8", "AISCAN_SEND", "pcap", "AISCAN_QDISC_BYPASS", "1",
                "AISCAN_CDS_TRAINING", "1"), "--send-threads", "2", "127.0.0.1");
        assertTrue(c.probing().guard().restricted());
        assertTrue(c.probing().guard().allows(Address.parse("127.0.0.2")));
        assertFalse(c.probing().guard().allows(Address.parse("198.18.0.1")));
        assertEquals(new SendOptions(2, true, true), c.probing().sending());
        assertTrue(c.cdsTraining());
        assertFalse(config(Map.of("AISCAN_SEND", "af_packet"), "127.0.0.1").probing().sending().pcapOnly());
    }

    @Test
    void budgetsShortenTheWaitsOfOneRequest() {
        Limits l = config("--request-timeout", "700", "--endpoint-budget", "900", "--host-budget", "1000", "127.0.0.1").identify().limits();
        assertEquals(new Limits(700, 700, 700, Limits.DEFAULT.bannerMillis(), 700, 900, 1000, Limits.DEFAULT.maxBytes(),
                Limits.DEFAULT.maxHeaderBytes()), l);
    }

    @Test
    void aMinimumTimeoutNeverExceedsTheTimeout() {
        assertEquals(new EngineOptions(7, 30, 30, 1, 4096), config("--rate", "7", "--timeout", "30", "--min-timeout", "90", "127.0.0.1")
                .probing().syn());
    }

    @Test
    void outOfRangeValuesAreUsageErrorsNamingTheOption() {
        for (String[] bad : new String[][] {{"--rate", "-1"}, {"--timeout", "0"}, {"--min-timeout", "0"}, {"--retries", "11"},
            {"--fingerprint-threads", "0"}, {"--request-timeout", "99"}, {"--host-budget", "9000"}, {"--concurrency", "0"},
            {"-p", "0"}, {"--shard", "4/4"}}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> config(bad[0], bad[1], "127.0.0.1"), bad[0]);
            assertTrue(e.getMessage().contains(bad[0]) || e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void sourceAddressesAndRouterMacAreCheckedWhenSynIsConsidered() {
        ScanConfig c = config("--source-ip", "198.18.0.2", "--source-ip", "2001:2::2", "--interface", "veth0", "127.0.0.1");
        assertEquals(new SynSupport.Overrides("veth0", Address.parse("198.18.0.2"), Address.parse("2001:2::2"), null), c.probing().overrides());
        ScanConfig bad = config("--mode", "connect", "--source-ip", "nowhere", "127.0.0.1"); // a connect scan never asks
        assertThrows(InvalidInputException.class, () -> bad.probing().overrides());
        ScanConfig mac = config("--router-mac", "02:00", "127.0.0.1");
        assertThrows(InvalidInputException.class, () -> mac.probing().overrides());
    }

    @Test
    void inputFilesAreDescribedAfterTheTargets() {
        assertEquals(List.of("198.18.0.1", "-iL a.txt", "-iL -"), config("-iL", "a.txt", "-iL", "-", "198.18.0.1").targets().described());
    }

    @Test
    void aStateFolderIsUsedWithEitherOption() {
        Map<String, String> env = Map.of("XDG_STATE_HOME", "/x/state");
        assertEquals(StateDir.defaultDir(Collector.isRoot(), "/x/state"), config(env, "--resume", "127.0.0.1").state().dir());
        assertEquals(Path.of("s"), config(env, "--resume", "--state-dir", "s", "127.0.0.1").state().dir());
        assertTrue(config("--state-dir", "s", "127.0.0.1").state().used());
        assertFalse(config(env, "127.0.0.1").state().used());
        assertEquals(Path.of("/var/lib/aiscan"), StateDir.defaultDir(true, "/x/state"));
        assertEquals(Path.of("/x/state/aiscan"), StateDir.defaultDir(false, "/x/state"));
        assertEquals(Path.of(System.getProperty("user.home"), ".local/state/aiscan"), StateDir.defaultDir(false, "relative"));
        assertEquals(Path.of(System.getProperty("user.home"), ".local/state/aiscan"), StateDir.defaultDir(false, null));
        assertTrue(config("--all-states", "127.0.0.1").output().shown().test(PortState.CLOSED));
    }
}
