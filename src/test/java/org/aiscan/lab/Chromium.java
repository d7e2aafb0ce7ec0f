package org.aiscan.lab;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Headless Debian chromium driven over the DevTools protocol on a pipe ({@code
 * --remote-debugging-pipe}: commands on fd 3, answers on fd 4, NUL-terminated JSON, here through
 * two FIFOs), inside a network namespace of its own that has only loopback: neither a page nor the
 * browser's background services can reach anything. One browser loads many pages; for each, the
 * console messages, exceptions and network requests it made are collected with the result of a
 * script evaluated in the loaded page.
 */
public final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String ns;
    private final Process process;
    private final OutputStream commands;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Path dir;
    private final Thread reader;
    private String session;
    private int id;

    /** What one page did. */
    public record Page(String url, JsonNode value, List<String> console, List<String> requests) {
    }

    /**
     * One page load, timed: {@code millis} from sending {@code Page.navigate} to the arrival of
     * {@code Page.loadEventFired} (the browser's own clock for the same span in {@code browserMillis},
     * from the document's request to the load event), with every console message, log entry and
     * exception, and every request other than the document itself, {@code data:} URLs included.
     */
    public record Visit(String url, long millis, long browserMillis, List<String> console, List<String> requests) {
    }

    /** A message from the browser and when it arrived ({@link System#nanoTime()}). */
    private record Message(JsonNode json, long nanos) {
    }

    private Chromium(String ns, Path dir) throws IOException, InterruptedException {
        this.ns = ns;
        this.dir = dir;
        Path in = dir.resolve("cdp-in");
        Path out = dir.resolve("cdp-out");
        for (Path f : List.of(in, out)) {
            Lab.run(List.of("mkfifo", f.toString()), 10);
        }
        String cmd = "TMPDIR=" + dir + " exec chromium --headless=new --no-sandbox --disable-gpu --no-first-run --no-default-browser-check "
                + "--disable-background-networking --disable-component-update --disable-sync --disable-extensions --disable-quic "
                + "--user-data-dir=" + dir.resolve("profile") + " --remote-debugging-pipe about:blank 3<" + in + " 4>" + out;
        process = new ProcessBuilder("ip", "netns", "exec", ns, "sh", "-c", cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.log").toFile()).start();
        commands = new FileOutputStream(in.toFile()); // unblocks the shell's open of fd 3
        InputStream answers = new FileInputStream(out.toFile());
        reader = new Thread(() -> read(answers), "cdp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts chromium in a fresh namespace with only loopback (skips the test when chromium is missing). */
    public static Chromium start(Path dir) throws IOException, InterruptedException {
        assumeTrue(Lab.run(List.of("sh", "-c", "command -v chromium"), 10).code() == 0, "chromium is not installed");
        String ns = "aisr-cdp-" + ProcessHandle.current().pid();
        Lab.run(List.of("ip", "netns", "del", ns), 10);
        Lab.run(List.of("ip", "netns", "add", ns), 10);
        Lab.run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"), 10);
        Files.createDirectories(dir);
        Chromium c = new Chromium(ns, dir);
        JsonNode t = c.call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"));
        JsonNode a = c.call(null, "Target.attachToTarget", JSON.createObjectNode().put("targetId", t.path("targetId").asText()).put("flatten", true));
        c.session = a.path("sessionId").asText();
        for (String domain : List.of("Page", "Runtime", "Log", "Network")) {
            c.call(c.session, domain + ".enable", JSON.createObjectNode());
        }
        return c;
    }

    private void read(InputStream in) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == 0) {
                    messages.add(new Message(JSON.readTree(buf.toString(StandardCharsets.UTF_8)), System.nanoTime()));
                    buf.reset();
                } else {
                    buf.write(b);
                }
            }
        } catch (IOException e) {
            // the browser went away: calls time out with its log
        }
    }

    private synchronized JsonNode call(String sessionId, String method, ObjectNode params) throws IOException, InterruptedException {
        return call(sessionId, method, params, null);
    }

    private synchronized JsonNode call(String sessionId, String method, ObjectNode params, List<JsonNode> events)
            throws IOException, InterruptedException {
        List<Message> got = new ArrayList<>();
        JsonNode r = call(sessionId, method, params, got, 30);
        if (events != null) {
            got.forEach(x -> events.add(x.json()));
        }
        return r;
    }

    /** Sends a command and waits ({@code seconds} at most) for its answer; events on the way go to {@code events}. */
    private synchronized JsonNode call(String sessionId, String method, ObjectNode params, List<Message> events, int seconds)
            throws IOException, InterruptedException {
        int my = ++id;
        ObjectNode m = JSON.createObjectNode().put("id", my).put("method", method);
        m.set("params", params);
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        commands.write(JSON.writeValueAsBytes(m));
        commands.write(0);
        commands.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Message got = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (got == null) {
                throw new IOException(method + ": no answer from chromium in " + seconds + " s; its log: "
                        + Files.readString(dir.resolve("chromium.log")));
            }
            JsonNode x = got.json();
            if (x.path("id").asInt() == my) {
                if (x.has("error")) {
                    throw new IOException(method + ": " + x.path("error"));
                }
                return x.path("result");
            }
            if (x.has("method")) {
                events.add(got);
            }
        }
    }

    /**
     * Loads {@code file}, waits for its load event, evaluates {@code script} (an expression whose
     * value is JSON-serialisable) and returns it with the page's console messages, exceptions and
     * every request it made beyond the file itself.
     */
    public synchronized Page open(Path file, String script) throws IOException, InterruptedException {
        String url = file.toUri().toString();
        List<JsonNode> events = new ArrayList<>();
        call(session, "Page.navigate", JSON.createObjectNode().put("url", url), events);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (events.stream().noneMatch(e -> e.path("method").asText().equals("Page.loadEventFired"))) {
            Message x = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (x == null) {
                throw new IOException(url + ": no load event in 30 s");
            }
            events.add(x.json());
        }
        JsonNode r = call(session, "Runtime.evaluate", JSON.createObjectNode().put("expression", script).put("returnByValue", true), events);
        if (r.has("exceptionDetails")) {
            throw new IOException(url + ": the check script failed: " + r.path("exceptionDetails"));
        }
        List<String> console = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        for (JsonNode e : events) {
            String method = e.path("method").asText();
            JsonNode p = e.path("params");
            switch (method) {
                case "Runtime.consoleAPICalled" -> console.add(p.path("type").asText() + ": " + p.path("args"));
                case "Runtime.exceptionThrown" -> console.add("exception: " + p.path("exceptionDetails").path("text").asText());
                case "Log.entryAdded" -> console.add(p.path("entry").path("level").asText() + ": " + p.path("entry").path("text").asText());
                case "Network.requestWillBeSent" -> {
                    String u = p.path("request").path("url").asText();
                    if (!u.equals(url) && !u.startsWith("data:")) {
                        requests.add(u);
                    }
                }
                default -> {
                }
            }
        }
        return new Page(url, r.path("result").path("value"), console, requests);
    }

    /**
     * Loads {@code file} and times it (see {@link Visit}); then waits {@code settleMillis} more for
     * anything the page does after its load event. Messages left from an earlier page are dropped first.
     */
    public synchronized Visit visit(Path file, long settleMillis) throws IOException, InterruptedException {
        String url = file.toUri().toString();
        messages.clear();
        List<Message> got = new ArrayList<>();
        long sent = System.nanoTime();
        call(session, "Page.navigate", JSON.createObjectNode().put("url", url), got, 30);
        long deadline = sent + TimeUnit.SECONDS.toNanos(30);
        long loaded = got.stream().filter(x -> x.json().path("method").asText().equals("Page.loadEventFired")).mapToLong(Message::nanos)
                .findFirst().orElse(-1);
        while (loaded < 0) {
            Message x = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (x == null) {
                throw new IOException(url + ": no load event in 30 s");
            }
            got.add(x);
            if (x.json().path("method").asText().equals("Page.loadEventFired")) {
                loaded = x.nanos();
            }
        }
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settleMillis);
        for (Message x; (x = messages.poll(Math.max(1, settle - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            got.add(x);
        }
        List<JsonNode> events = got.stream().map(Message::json).toList();
        double start = Double.NaN;
        double load = Double.NaN;
        List<String> console = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        for (JsonNode e : events) {
            JsonNode p = e.path("params");
            switch (e.path("method").asText()) {
                case "Network.requestWillBeSent" -> {
                    String u = p.path("request").path("url").asText();
                    if (u.equals(url) && Double.isNaN(start)) {
                        start = p.path("timestamp").asDouble();
                    } else if (!u.equals(url)) {
                        requests.add(u.length() > 120 ? u.substring(0, 120) + "…" : u);
                    }
                }
                case "Page.loadEventFired" -> load = p.path("timestamp").asDouble();
                default -> console(e, console);
            }
        }
        long browser = Double.isNaN(start) || Double.isNaN(load) ? -1 : Math.round((load - start) * 1000);
        return new Visit(url, TimeUnit.NANOSECONDS.toMillis(loaded - sent), browser, console, requests);
    }

    /** A console message, log entry or exception, as a line; other events are not added. */
    private static void console(JsonNode e, List<String> out) {
        JsonNode p = e.path("params");
        switch (e.path("method").asText()) {
            case "Runtime.consoleAPICalled" -> out.add(p.path("type").asText() + ": " + p.path("args"));
            case "Runtime.exceptionThrown" -> out.add("exception: " + p.path("exceptionDetails").path("text").asText() + " "
                    + p.path("exceptionDetails").path("exception").path("description").asText(""));
            case "Log.entryAdded" -> out.add(p.path("entry").path("level").asText() + ": " + p.path("entry").path("text").asText());
            default -> {
            }
        }
    }

    /** Sets the page's viewport, as a window of {@code width} × {@code height} CSS pixels at scale 1 would show it. */
    public synchronized void viewport(int width, int height) throws IOException, InterruptedException {
        call(session, "Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /**
     * Evaluates {@code expression} in the loaded page, waiting for its promise ({@code seconds} at
     * most), and returns its value; console messages and exceptions it causes go to {@code console}.
     */
    public synchronized JsonNode evaluate(String expression, int seconds, List<String> console) throws IOException, InterruptedException {
        List<Message> events = new ArrayList<>();
        JsonNode r = call(session, "Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true), events, seconds);
        events.forEach(e -> console(e.json(), console));
        if (r.has("exceptionDetails")) {
            throw new IOException("the script failed: " + r.path("exceptionDetails").path("exception").path("description").asText(
                    r.path("exceptionDetails").toString()));
        }
        return r.path("result").path("value");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            commands.close();
        } catch (IOException e) {
            // already gone
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Lab.run(List.of("ip", "netns", "exec", ns, "sh", "-c", "pkill -f 'user-data-dir=" + dir.resolve("profile") + "' || true"), 10);
        Lab.run(List.of("ip", "netns", "del", ns), 10);
    }
}
