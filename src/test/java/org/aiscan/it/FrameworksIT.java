package org.aiscan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.aiscan.lab.GroundTruthCheck;
import org.aiscan.lab.Lab;
import org.aiscan.lab.ScanOutput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain servers of the common frameworks (ten uvicorn one-route apps under Debian's uvicorn, Go
 * net/http, Node http, nginx) and the OpenAI-compatible stub, started by test-fixtures/lab/frameworks.sh
 * in a namespace that holds only loopback. What a real server does with a raw probe meant for another
 * protocol is measured and printed (uvicorn waits for the rest of a request head; the others answer
 * 400 at once); the scan must find every listening port ({@code ss} in the namespace), name none of the
 * plain servers as an AI product, stall on none, and name the stub by its protocol: open with frontier
 * models (critical, the models as evidence) and behind OpenAI's 401 (required).
 */
class FrameworksIT {
    static final Path SCRIPT = Lab.ROOT.resolve("test-fixtures/lab/frameworks.sh");
    static final String NS = "aisfw";

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(Lab.isRoot(), "needs root for network namespaces");
        Lab.Run r = Lab.run(List.of(SCRIPT.toString(), "up"), 300);
        assertEquals(0, r.code(), "frameworks.sh up failed: " + r.err());
    }

    @AfterAll
    static void down() throws Exception {
        if (Lab.isRoot()) {
            Lab.run(List.of(SCRIPT.toString(), "down"), 60);
        }
    }

    static Map<Integer, JsonNode> scan(Path dir, String ports) throws Exception {
        Path out = dir.resolve("scan-" + System.nanoTime() + ".jsonl");
        long t0 = System.nanoTime();
        Lab.Run r = Lab.run(List.of("ip", "netns", "exec", NS, GroundTruthCheck.AISCAN.toString(), "127.0.0.1", "-p", ports, "--jsonl",
                out.toString(), "-q"), 120);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.code(), r.err());
        System.out.printf("FrameworksIT: scan with fingerprinting of 127.0.0.1 -p %s: %.2f s%n", ports, secs);
        Map<Integer, JsonNode> byPort = new TreeMap<>();
        for (JsonNode p : ScanOutput.parse(Files.readString(out)).ports()) {
            byPort.put(p.get("port").asInt(), p);
        }
        return byPort;
    }

    /**
     * The premise of the probe plan, measured on the real servers (from inside the namespace, by a
     * Python client): uvicorn never answers a raw payload of another protocol, it waits for the rest of
     * a request head; Go, Node and nginx answer 400 at once. Should a release change that, this fails
     * and the plan's reason is measured again.
     */
    @Test
    void whatRealServersDoWithARawProbeOfAnotherProtocol() throws Exception {
        for (String[] s : List.of(new String[] {"8000", "uvicorn 0.17.6 (h11)", "no answer"}, new String[] {"8010", "Go net/http", "400"},
                new String[] {"8011", "Node http", "400"}, new String[] {"8012", "nginx", "400"})) {
            Lab.Run r = Lab.run(List.of("ip", "netns", "exec", NS, "/usr/bin/python3", "-c",
                    "import socket,time\ns=socket.create_connection(('127.0.0.1'," + s[0] + "));s.settimeout(3)\nt=time.time();s.sendall(b'PING\\r\\n')\n"
                            + "try:\n d=s.recv(64);print('%.0f ms: %r'%((time.time()-t)*1000,d[:40]))\nexcept socket.timeout:\n print('no answer in 3 s')"), 20);
            System.out.printf("FrameworksIT: raw \"PING\\r\\n\" to %-22s %s%n", s[1], r.out().strip());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains(s[2]), s[1] + " was expected to give '" + s[2] + "': " + r.out());
        }
    }

    @Test
    void tenUvicornServersAndTheOtherFrameworksAreHttpAndNothingStalls(@TempDir Path dir) throws Exception {
        Map<Integer, JsonNode> uvicorn = scan(dir, "8000-8009");
        assertEquals(10, uvicorn.size(), uvicorn.keySet().toString());
        Map<Integer, JsonNode> all = scan(dir, "8000-8014");
        TreeSet<Integer> truth = new TreeSet<>();
        for (String line : Lab.run(List.of(SCRIPT.toString(), "truth"), 20).out().split("\n")) {
            if (line.startsWith("open ")) {
                truth.add(Integer.parseInt(line.split("\\s+")[2]));
            }
        }
        assertEquals(truth, new TreeSet<>(all.keySet()), "found = what ss shows listening in the namespace");
        List<String> wrong = new ArrayList<>();
        for (String line : Lab.run(List.of(SCRIPT.toString(), "list"), 20).out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 4) {
                continue;
            }
            JsonNode p = all.get(Integer.parseInt(f[0]));
            assertNotNull(p, line);
            JsonNode s = p.get("service");
            String id = s.get("id").isNull() ? "null" : s.get("id").asText();
            assertFalse(s.get("notes").toString().contains("stalled"), f[3] + " stalled: " + s.get("notes"));
            if (f[1].equals("-")) {
                if (!(id.equals("http") || id.equals("null")) || !p.get("risk").get("severity").asText().equals("info")) {
                    wrong.add(f[3] + " on " + f[0] + " is " + id + " " + p.get("risk").get("severity").asText());
                }
            } else if (!f[1].equals(id) || !f[2].equals(s.get("auth").asText())) {
                wrong.add(f[3] + " on " + f[0] + " is " + id + " auth " + s.get("auth").asText() + ", expected " + f[1] + " " + f[2]);
            }
        }
        assertTrue(wrong.isEmpty(), wrong.toString());
        JsonNode stubLine = all.get(8013);
        JsonNode stub = stubLine.get("service");
        assertEquals("critical", stubLine.get("risk").get("severity").asText(), stubLine.toString());
        assertTrue(stub.get("evidence").toString().contains("models: gpt-4o, claude-sonnet-4"), "the listed models as evidence: " + stub);
        assertEquals("required", all.get(8014).get("service").get("auth").asText());
    }
}
