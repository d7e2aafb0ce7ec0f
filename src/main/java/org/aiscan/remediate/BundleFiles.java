package org.aiscan.remediate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.aiscan.model.Diagnosis;
import org.aiscan.model.Fix;

/** Files being written, and which lines of which file address which diagnosis. */
final class BundleFiles {
    final Map<String, String> files = new LinkedHashMap<>();
    final Map<String, String> checks = new LinkedHashMap<>();
    final Map<Diagnosis, Map<String, List<String>>> lines = new LinkedHashMap<>();
    final Map<Diagnosis, Map<String, String>> titles = new LinkedHashMap<>();

    void tag(List<Diagnosis> ds, String file, String title, String line) {
        for (Diagnosis d : ds) {
            lines.computeIfAbsent(d, k -> new LinkedHashMap<>()).computeIfAbsent(file, k -> new ArrayList<>()).add(line);
            titles.computeIfAbsent(d, k -> new LinkedHashMap<>()).putIfAbsent(file, title);
        }
    }

    Map<Diagnosis, List<Fix>> fixes() {
        Map<Diagnosis, List<Fix>> out = new LinkedHashMap<>();
        for (Map.Entry<Diagnosis, Map<String, List<String>>> e : lines.entrySet()) {
            List<Fix> fx = new ArrayList<>();
            for (Map.Entry<String, List<String>> f : e.getValue().entrySet()) {
                fx.add(new Fix(titles.get(e.getKey()).get(f.getKey()), f.getKey(), String.join("\n", new LinkedHashSet<>(f.getValue()))));
            }
            out.put(e.getKey(), fx);
        }
        return out;
    }
}
