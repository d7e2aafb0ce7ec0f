package org.aiscan.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.aiscan.model.Address;
import org.aiscan.model.Endpoint;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.TextLines;
import org.aiscan.model.Utf8;
import org.jspecify.annotations.Nullable;

/**
 * Accepted exposures: endpoints someone reviewed and decided may stay reachable, each with a
 * reason and optionally the service it must be and a date after which it must be reviewed again.
 * <pre>
 * accepted:
 *   - endpoint: 198.18.0.10:22
 *     service: ssh
 *     reason: "bastion SSH for the ops team (ticket OPS-142)"
 *     expires: 2027-05-01
 * </pre>
 * Loading is strict: an unknown key, a missing reason or an unreadable endpoint or date fails
 * with {@code file:line}.
 */
public record Accepted(List<Entry> entries) {
    private static final Set<String> KEYS = Set.of("endpoint", "service", "reason", "expires");

    /** One accepted endpoint. */
    public record Entry(Address ip, int port, @Nullable String service, String reason, @Nullable LocalDate expires, int line) {
        public String endpoint() {
            return ip.endpoint(port);
        }
    }

    /** An open endpoint that is not (or no longer) accepted, and why. */
    public record Finding(Endpoint endpoint, String why) {
    }

    public Accepted {
        entries = List.copyOf(entries);
    }

    public static Accepted empty() {
        return new Accepted(List.of());
    }

    public static Accepted load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("--baseline " + file + ": no such file (create it with 'aiscan accept')");
        }
        String text = Utf8.read(file, file.toString());
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": not YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        List<Entry> out = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Accepted(out);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("accepted")) {
                throw new InvalidInputException(file + ":" + lineOf(text, k + ":", 0) + ": unknown key '" + k + "'; allowed: accepted");
            }
        }
        int from = 0;
        for (JsonNode n : root.path("accepted")) {
            String ep = n.path("endpoint").asText("");
            int line = lineOf(text, "endpoint:", from);
            from = line;
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!KEYS.contains(k)) {
                    throw new InvalidInputException(file + ":" + line + ": unknown key '" + k + "'; allowed: " + KEYS.stream().sorted().toList());
                }
            }
            Address ip;
            int port;
            try {
                int colon = ep.lastIndexOf(':');
                ip = Address.parse(ep.substring(0, colon));
                port = Integer.parseInt(ep.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (RuntimeException e) {
                throw new InvalidInputException(file + ":" + line + ": endpoint '" + ep + "' is not ADDRESS:PORT ([v6]:PORT for IPv6)");
            }
            String reason = n.path("reason").asText("").trim();
            if (reason.isEmpty()) {
                throw new InvalidInputException(file + ":" + line + ": " + ep + " needs a reason: why may it stay reachable?");
            }
            LocalDate expires = null;
            if (n.has("expires")) {
                try {
                    expires = LocalDate.parse(n.path("expires").asText());
                } catch (DateTimeParseException e) {
                    throw new InvalidInputException(file + ":" + line + ": expires '" + n.path("expires").asText() + "' is not a date (YYYY-MM-DD)");
                }
            }
            String service = n.has("service") ? n.path("service").asText() : null;
            out.add(new Entry(ip, port, service, reason, expires, line));
        }
        return new Accepted(out);
    }

    private static int lineOf(String text, String needle, int afterLine) {
        return Math.max(1, TextLines.lineOf(text, needle, afterLine));
    }

    /** The open endpoints no entry accepts today (not listed, expired, or now a different service). */
    public List<Finding> unaccepted(List<Endpoint> open, LocalDate today) {
        List<Finding> out = new ArrayList<>();
        for (Endpoint e : open) {
            Entry match = null;
            for (Entry a : entries) {
                if (a.ip().equals(e.port().address()) && a.port() == e.port().port()) {
                    match = a;
                    break;
                }
            }
            String now = e.service() == null ? null : e.service().id();
            if (match == null) {
                out.add(new Finding(e, "not accepted"));
            } else if (match.expires() != null && match.expires().isBefore(today)) {
                out.add(new Finding(e, "accepted until " + match.expires() + " (line " + match.line() + "): review it again"));
            } else if (match.service() != null && !match.service().equals(now)) {
                out.add(new Finding(e, "accepted as " + match.service() + " (line " + match.line() + "), now " + (now == null ? "unidentified" : now)));
            }
        }
        return out;
    }

    /** Adds entries and writes the file atomically (the YAML is regenerated; comments are not kept). */
    public static void append(Path file, List<Entry> add) throws IOException {
        Accepted cur = Files.exists(file) ? load(file) : empty();
        List<Entry> all = new ArrayList<>(cur.entries());
        for (Entry e : add) {
            all.removeIf(x -> x.ip().equals(e.ip()) && x.port() == e.port());
            all.add(e);
        }
        StringBuilder s = new StringBuilder("# aiscan accepted exposures: reviewed endpoints that may stay reachable.\n"
                + "# Each needs a reason; 'service' accepts it only while it is that service; after 'expires' it counts as new.\naccepted:\n");
        for (Entry e : all) {
            s.append("  - endpoint: \"").append(e.endpoint()).append("\"\n");
            if (e.service() != null) {
                s.append("    service: ").append(e.service()).append('\n');
            }
            s.append("    reason: \"").append(e.reason().replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
            if (e.expires() != null) {
                s.append("    expires: ").append(e.expires()).append('\n');
            }
        }
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), ".accepted", ".tmp");
        try {
            Utf8.write(tmp, s.toString());
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        load(file); // what was written reads back
    }
}
