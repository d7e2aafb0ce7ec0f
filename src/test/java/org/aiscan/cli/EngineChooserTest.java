package org.aiscan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.aiscan.console.Console;
import org.aiscan.probe.ProbeEngine;
import org.aiscan.target.TargetSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The engine choice that needs no raw socket: what the user asked for, said in no line. */
class EngineChooserTest {
    @Test
    void connectWhenAskedWithoutLookingAtSynOptions() {
        CommandLine cl = ScanCommand.commandLine();
        cl.parseArgs("--mode", "connect", "--source-ip", "not-an-address", "127.0.0.1");
        ScanConfig c = ScanConfig.of((ScanCommand) cl.getCommandSpec().userObject(), Map.of("AISCAN_ALLOWED_NETS", "127.0.0.0/8"));
        TargetSet set = ScanTargets.build(c.targets());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try (Console console = Console.plain(new PrintStream(said, true, StandardCharsets.UTF_8), false)) {
            ProbeEngine e = EngineChooser.choose(set, c.ports().size(), c.probing(), console);
            assertEquals("connect", e.name());
        }
        assertEquals("", said.toString());
    }
}
