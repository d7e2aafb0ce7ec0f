package org.aiscan.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.audit.Listener;

/**
 * The snapshot file, JSON, schema {@value Snapshot#SCHEMA} (README "Snapshot file"):
 * <pre>
 * { "schema": "aiscan-snapshot/1", "hostname": …, "collected_at": RFC 3339, "aiscan_version": …, "root": bool,
 *   "sources": [ { "name", "command": [..], "status", "exit_code", "millis", "stdout", "stderr", "note" } ],
 *   "parsed": { "listeners": [..], "iptables": [..], "ufw": {..}, "nft": [..], "docker": [..], "fail2ban": [..],
 *               "sysctl": {..}, "addresses": [..], "units": [..] },
 *   "problems": [ { "source", "line", "text", "message" } ] }
 * </pre>
 * {@code sources} is authoritative; {@code parsed} is written for people and other tools and is
 * rebuilt from the sources when the file is read.
 */
public final class SnapshotFile {
    /**
     * A source may hold up to {@link Collector#MAX_BYTES} (32 MiB) of text, more than Jackson's
     * default 20 MB string limit; a file edited to hold more is read and the source cut, with a note.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxStringLength(256 << 20).build()).build())
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    private SnapshotFile() {
    }

    /** Writes atomically: a temporary file in the same folder, then a rename. */
    public static void write(Snapshot s, Path file) throws IOException {
        write(s, HostView.of(s), file);
    }

    /** Writes {@code s} with its already parsed view {@code v} (parsing a large snapshot twice costs memory). */
    public static void write(Snapshot s, HostView v, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".aiscan-snapshot", ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), toJson(s, v));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static String toJsonText(Snapshot s) throws IOException {
        return toJsonText(s, HostView.of(s));
    }

    public static String toJsonText(Snapshot s, HostView v) throws IOException {
        return JSON.writeValueAsString(toJson(s, v));
    }

    static ObjectNode toJson(Snapshot s, HostView v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", s.schema());
        o.put("hostname", s.hostname());
        o.put("collected_at", s.collected().toString());
        o.put("aiscan_version", s.aiscanVersion());
        o.put("root", s.root());
        ArrayNode src = o.putArray("sources");
        for (Snapshot.Source x : s.sources()) {
            ObjectNode n = src.addObject();
            n.put("name", x.name());
            ArrayNode c = n.putArray("command");
            x.command().forEach(c::add);
            n.put("status", x.status());
            n.put("exit_code", x.exitCode());
            n.put("millis", x.millis());
            n.put("stdout", x.stdout());
            n.put("stderr", x.stderr());
            n.put("note", x.note());
        }
        ObjectNode p = o.putObject("parsed");
        ArrayNode ls = p.putArray("listeners");
        for (Listener l : v.listeners) {
            ObjectNode n = ls.addObject();
            n.put("proto", l.proto());
            n.put("bind", l.bind().name().toLowerCase());
            n.put("address", l.address() == null ? null : l.address().toString());
            n.put("port", l.port());
            n.put("iface", l.iface());
            n.put("process", l.processNames());
            n.put("line", l.line());
        }
        ArrayNode ip = p.putArray("iptables");
        for (HostView.NamedDump d : v.iptables) {
            ObjectNode n = ip.addObject();
            n.put("source", d.source());
            n.put("family", d.dump().family());
            n.put("flavour", d.dump().flavour());
            n.put("rules", d.dump().ruleCount());
            ObjectNode tables = n.putObject("policies");
            for (Iptables.Table t : d.dump().tables()) {
                ObjectNode tn = tables.putObject(t.name());
                t.chains().values().stream().filter(c -> c.policy() != null).forEach(c -> tn.put(c.name(), c.policy()));
            }
            ArrayNode w = n.putArray("warnings");
            d.dump().warnings().forEach(w::add);
        }
        if (v.ufw != null) {
            ObjectNode u = p.putObject("ufw");
            u.put("active", v.ufw.active());
            u.put("logging", v.ufw.logging());
            ObjectNode def = u.putObject("defaults");
            v.ufw.defaults().forEach(def::put);
            ArrayNode rules = u.putArray("rules");
            for (Ufw.Rule r : v.ufw.rules()) {
                ObjectNode n = rules.addObject();
                n.put("to", r.to().raw());
                n.put("action", r.action());
                n.put("direction", r.direction());
                n.put("from", r.from().raw());
                n.put("v6", r.v6());
                n.put("comment", r.comment());
                n.put("line", r.line());
            }
        }
        if (v.nft != null) {
            ArrayNode nt = p.putArray("nft");
            for (Nft.Table t : v.nft.tables()) {
                ObjectNode n = nt.addObject();
                n.put("family", t.family());
                n.put("name", t.name());
                n.put("managed_by_iptables", t.managedByIptables());
                ArrayNode chains = n.putArray("chains");
                for (Nft.Chain c : t.chains()) {
                    ObjectNode cn = chains.addObject();
                    cn.put("name", c.name());
                    cn.put("hook", c.hook());
                    if (c.priority() != null) {
                        cn.put("priority", c.priority());
                    }
                    cn.put("policy", c.policy());
                    cn.put("rules", c.rules().size());
                }
            }
        }
        ArrayNode dk = p.putArray("docker");
        for (HostFacts.DockerPort d : v.docker) {
            ObjectNode n = dk.addObject();
            n.put("container", d.container());
            n.put("host_address", d.hostAddress() == null ? null : d.hostAddress().toString());
            n.put("v6", d.v6());
            n.put("host_port", d.hostPort());
            n.put("container_port", d.containerPort());
            n.put("proto", d.proto());
        }
        ArrayNode jl = p.putArray("fail2ban");
        v.jails.forEach(j -> jl.addObject().put("jail", j.name()).put("banned", j.banned()));
        ObjectNode sc = p.putObject("sysctl");
        v.sysctl.forEach(sc::put);
        ArrayNode ad = p.putArray("addresses");
        v.addresses.forEach(a -> ad.addObject().put("iface", a.iface()).put("address", a.address().toString())
                .put("prefix", a.prefix()).put("scope", a.scope()));
        ArrayNode un = p.putArray("units");
        for (HostFacts.Unit u : v.units) {
            ObjectNode n = un.addObject();
            n.put("name", u.name());
            u.properties().forEach(n::put);
        }
        ArrayNode pr = o.putArray("problems");
        for (ParseProblem x : v.problems) {
            pr.addObject().put("source", x.source()).put("line", x.line()).put("text", x.text()).put("message", x.message());
        }
        return o;
    }

    /** Reads a snapshot file; a file that is not one fails with one line saying why. */
    public static Snapshot read(Path file) throws IOException {
        try {
            return parse(file);
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException(file + " is not a usable snapshot (" + e.getMessage() + "); make one with 'aiscan collect'");
        }
    }

    private static Snapshot parse(Path file) throws IOException {
        JsonNode o;
        try {
            o = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(file + " is not a snapshot (not JSON: " + e.getOriginalMessage() + ")");
        }
        if (o == null || !Snapshot.SCHEMA.equals(o.path("schema").asText())) {
            throw new InvalidInputException(file + " is not an " + Snapshot.SCHEMA + " snapshot (schema '" + o.path("schema").asText()
                    + "'); make one with 'aiscan collect'");
        }
        List<Snapshot.Source> sources = new ArrayList<>();
        for (JsonNode n : o.path("sources")) {
            List<String> cmd = new ArrayList<>();
            n.path("command").forEach(c -> cmd.add(c.asText()));
            String out = n.path("stdout").asText("");
            String note = n.path("note").isNull() ? null : n.path("note").asText(null);
            if (out.length() > Collector.MAX_BYTES) {
                out = out.substring(0, Collector.MAX_BYTES);
                note = (note == null ? "" : note + "; ") + "stdout cut at " + (Collector.MAX_BYTES >> 20) + " MiB when read";
            }
            sources.add(new Snapshot.Source(n.path("name").asText(), cmd, n.path("status").asText(), n.path("exit_code").asInt(),
                    n.path("millis").asLong(), out, n.path("stderr").asText(""), note));
        }
        return new Snapshot(Snapshot.SCHEMA, o.path("hostname").asText(), Instant.parse(o.path("collected_at").asText()),
                o.path("aiscan_version").asText(), o.path("root").asBoolean(), sources);
    }
}
