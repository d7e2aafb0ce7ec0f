package org.aiscan.fingerprint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.aiscan.model.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Brings OSV records from an advisory mirror (osv.dev exports, the GitHub Advisory Database, the
 * PyPA database; JSON or YAML, one record or an array per file) into the catalog folder: each
 * record's packages are mapped to aiscan services ({@code packages.yaml}), only the matching
 * {@code affected} entries are kept, and the record replaces one of the same id or alias — an
 * advisory supersedes a range copied from elsewhere.
 */
public final class OsvImport {
    /**
     * One (ecosystem, package) an aiscan service is published as.
     *
     * @param reports where one service is several packages (Jupyter's classic notebook and
     *                jupyter-server answer the same {@code /api}), the releases of this package a
     *                reported version can be, e.g. {@code >= 4, < 7}; null when the service is one package
     */
    public record Package(String ecosystem, String name, String service, @Nullable String reports) {
    }

    /** What an import did. */
    public record Outcome(Map<String, Integer> added, Map<String, Integer> replaced, Map<String, Integer> skipped, List<String> changed) {
    }

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper OUT = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, String> services = new LinkedHashMap<>();

    public OsvImport(List<Package> packages) {
        for (Package p : packages) {
            services.put(key(p.ecosystem(), p.name()), p.service());
        }
    }

    /** The package map of a catalog folder: {@code packages.yaml}, a list of {ecosystem, name, service[, reports]}. */
    public static List<Package> readPackages(Path file) throws IOException {
        return readPackages(Files.readString(file), file.toString());
    }

    /** The package map from its text; {@code label} names the file in an error. */
    public static List<Package> readPackages(String text, String label) throws IOException {
        JsonNode root = YAML.readTree(text);
        List<Package> out = new ArrayList<>();
        if (root != null) {
            for (JsonNode n : root) {
                if (!n.hasNonNull("ecosystem") || !n.hasNonNull("name") || !n.hasNonNull("service")) {
                    throw new InvalidInputException(label + ": each entry needs ecosystem, name and service");
                }
                out.add(new Package(n.get("ecosystem").asText(), n.get("name").asText(), n.get("service").asText(),
                        n.hasNonNull("reports") ? n.get("reports").asText() : null));
            }
        }
        return out;
    }

    /** PEP 503 normalisation for PyPI, lower case elsewhere. */
    static String key(String ecosystem, String name) {
        String e = ecosystem.toLowerCase(Locale.ROOT);
        String n = name.toLowerCase(Locale.ROOT);
        if (e.equals("pypi")) {
            n = n.replaceAll("[-_.]+", "-");
        }
        return e + ":" + n;
    }

    /** Every OSV file under {@code inputs} (files or folders; .json, .yaml, .yml). */
    static List<Path> files(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(json|ya?ml)$")).sorted().forEach(out::add);
                }
            } else if (Files.isRegularFile(in)) {
                out.add(in);
            } else {
                throw new InvalidInputException("'" + in + "' is neither an OSV file nor a folder of them");
            }
        }
        return out;
    }

    /** Imports the records of {@code inputs} into the catalog folder {@code into}. */
    public Outcome run(List<Path> inputs, Path into, java.time.Instant now) throws IOException {
        Map<String, Map<String, ObjectNode>> byService = new TreeMap<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (Path f : files(inputs)) {
            JsonNode root;
            try {
                root = f.toString().endsWith(".json") ? CveCatalog.JSON.readTree(f.toFile()) : YAML.readTree(f.toFile());
            } catch (IOException e) {
                throw new InvalidInputException("cannot read OSV file " + f + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
            List<JsonNode> records = new ArrayList<>();
            if (root instanceof ArrayNode a) {
                a.forEach(records::add);
            } else if (root != null && root.isObject()) {
                records.add(root);
            }
            for (JsonNode r : records) {
                mapped(r, f, now, byService, skipped);
            }
        }
        Map<String, Integer> added = new TreeMap<>();
        Map<String, Integer> replaced = new TreeMap<>();
        List<String> changed = new ArrayList<>();
        Files.createDirectories(into);
        for (Map.Entry<String, Map<String, ObjectNode>> e : byService.entrySet()) {
            Path file = into.resolve(e.getKey() + ".json");
            Map<String, ObjectNode> existing = new TreeMap<>();
            if (Files.exists(file)) {
                for (JsonNode n : CveCatalog.JSON.readTree(file.toFile())) {
                    existing.put(n.get("id").asText(), (ObjectNode) n);
                }
            }
            for (ObjectNode rec : e.getValue().values()) {
                String id = rec.get("id").asText();
                List<String> names = new ArrayList<>(List.of(id));
                rec.path("aliases").forEach(a -> names.add(a.asText()));
                String old = null;
                for (Map.Entry<String, ObjectNode> x : existing.entrySet()) {
                    List<String> theirs = new ArrayList<>(List.of(x.getKey()));
                    x.getValue().path("aliases").forEach(a -> theirs.add(a.asText()));
                    if (theirs.stream().anyMatch(names::contains)) {
                        old = x.getKey();
                        break;
                    }
                }
                if (old != null) {
                    ObjectNode before = existing.remove(old);
                    if (!before.path("affected").equals(rec.path("affected"))) {
                        changed.add(e.getKey() + " " + old + " -> " + id);
                    }
                    replaced.merge(e.getKey(), 1, Integer::sum);
                } else {
                    added.merge(e.getKey(), 1, Integer::sum);
                }
                existing.put(id, rec);
            }
            ArrayNode out = OUT.createArrayNode();
            existing.values().forEach(out::add);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            OUT.writeValue(tmp.toFile(), out);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return new Outcome(added, replaced, skipped, changed);
    }

    /** The record restricted to its packages aiscan knows, with aiscan's own fields, per service. */
    private void mapped(JsonNode r, Path from, java.time.Instant now, Map<String, Map<String, ObjectNode>> byService,
                        Map<String, Integer> skipped) {
        if (!r.hasNonNull("id")) {
            skipped.merge("(no id)", 1, Integer::sum);
            return;
        }
        Map<String, ArrayNode> affected = new LinkedHashMap<>();
        for (JsonNode aff : r.path("affected")) {
            JsonNode pkg = aff.path("package");
            String service = pkg.hasNonNull("ecosystem") && pkg.hasNonNull("name")
                    ? services.get(key(pkg.get("ecosystem").asText(), pkg.get("name").asText())) : null;
            if (service == null) {
                skipped.merge(pkg.path("ecosystem").asText("?") + ":" + pkg.path("name").asText("?"), 1, Integer::sum);
                continue;
            }
            affected.computeIfAbsent(service, k -> OUT.createArrayNode()).add(aff);
        }
        String severity = r.path("database_specific").path("severity").asText(null);
        for (Map.Entry<String, ArrayNode> e : affected.entrySet()) {
            if (severity == null) {
                skipped.merge(e.getKey() + " (no database_specific.severity)", 1, Integer::sum);
                continue;
            }
            ObjectNode copy = r.deepCopy();
            copy.set("affected", e.getValue());
            ObjectNode db = copy.has("database_specific") && copy.get("database_specific").isObject()
                    ? (ObjectNode) copy.get("database_specific") : copy.putObject("database_specific");
            ObjectNode mine = db.putObject("aiscan");
            mine.put("service", e.getKey());
            mine.put("source", "imported from " + from.getFileName() + " on " + now.toString().substring(0, 10)
                    + (r.hasNonNull("modified") ? " (record modified " + r.get("modified").asText() + ")" : ""));
            mine.put("checked", r.get("id").asText());
            byService.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(r.get("id").asText(), copy);
        }
    }
}
