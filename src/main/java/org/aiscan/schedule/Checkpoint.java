package org.aiscan.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.aiscan.model.CannotProceedException;

/**
 * How far an unfinished scan got: what it scans (so a resume can refuse different arguments), the
 * permutation seed, the slice size and how many slices are complete with every result written,
 * and the counters at that point. Written atomically after each slice.
 */
public record Checkpoint(List<String> targets, String ports, long seed, String shard, long chunk, long chunksDone, long[] counters) {
    public static final String FILE = "checkpoint.json";
    public static final String SCHEMA = "aiscan-checkpoint/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Checkpoint {
        targets = List.copyOf(targets);
        counters = counters.clone();
    }

    public Checkpoint advanced(long done, long[] now) {
        return new Checkpoint(targets, ports, seed, shard, chunk, done, now);
    }

    public void write(Path runDir) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        targets.forEach(o.putArray("targets")::add);
        o.put("ports", ports);
        o.put("seed", seed);
        o.put("shard", shard);
        o.put("chunk", chunk);
        o.put("chunks_done", chunksDone);
        ObjectNode c = o.putObject("counters");
        c.put("sent", counters[0]);
        c.put("decided", counters[1]);
        c.put("open", counters[2]);
        c.put("closed", counters[3]);
        c.put("filtered", counters[4]);
        Path tmp = Files.createTempFile(runDir, ".checkpoint", ".tmp");
        try {
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, runDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Checkpoint read(Path runDir) throws IOException {
        Path f = runDir.resolve(FILE);
        JsonNode o;
        try {
            o = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new CannotProceedException(f + ": unreadable checkpoint (" + e.getMessage() + "); start a new run without --resume");
        }
        if (o == null || !SCHEMA.equals(o.path("schema").asText())) {
            throw new CannotProceedException(f + ": not an " + SCHEMA + " checkpoint; start a new run without --resume");
        }
        List<String> t = new ArrayList<>();
        o.path("targets").forEach(x -> t.add(x.asText()));
        JsonNode c = o.path("counters");
        return new Checkpoint(t, o.path("ports").asText(), o.path("seed").asLong(), o.path("shard").asText(), o.path("chunk").asLong(),
                o.path("chunks_done").asLong(), new long[] {c.path("sent").asLong(), c.path("decided").asLong(), c.path("open").asLong(),
                c.path("closed").asLong(), c.path("filtered").asLong()});
    }
}
