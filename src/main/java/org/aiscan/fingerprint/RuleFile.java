package org.aiscan.fingerprint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rule file as written, {@code rulesets/fingerprints/<id>.yaml}: the YAML bound field by field,
 * nullable and unchecked. {@link RuleCompiler} checks it and turns it into a {@link Rule}; nothing
 * else reads this form. Field names in the file are the kebab-case forms of the components
 * ({@code after-identify}, {@code any-words}, …). The meaning of each field is documented on the
 * compiled types.
 */
record RuleFile(@Nullable String id, @Nullable String name, @Nullable String category, @Nullable String kind, @Nullable Integer priority, List<Integer> ports, List<String> units,
                @Nullable Map<String, Probe> probes, List<Identify> identify, List<Extract> version, List<Auth> auth, List<Expose> exposes,
                RiskSpec risk, String versionScheme, List<String> references) {

    /** Parts of a rule whose line is remembered while reading, so that a problem names the element that is wrong. */
    interface Located {
    }

    record Probe(@Nullable String path, @Nullable String send, Boolean banner, Boolean afterIdentify, Boolean portOnly) implements Located {
    }

    record Identify(@Nullable String confidence, String condition, List<Matcher> match, @Nullable String note) implements Located {
    }

    record Matcher(String probe, @Nullable List<Integer> status, @Nullable List<String> words, @Nullable List<String> anyWords, @Nullable String equals, @Nullable Regex regex,
                   @Nullable HeaderCheck header, List<JsonCheck> json, String part, Boolean caseInsensitive, Boolean negative) implements Located {
    }

    record HeaderCheck(@Nullable String name, List<String> words, @Nullable Regex regex, Boolean absent) {
    }

    record JsonCheck(String path, Boolean exists, Boolean absent, @Nullable JsonNode equals, @Nullable Regex regex, @Nullable String type, @Nullable List<String> keys,
                     @Nullable List<String> onlyKeys) implements Located {
    }

    record Extract(String probe, @Nullable String json, @Nullable String header, @Nullable Regex regex, String part, @Nullable String strip, @Nullable Regex base64) implements Located {
    }

    record Expose(@Nullable String what, String probe, String json) implements Located {
    }

    record Auth(@Nullable String state, @Nullable String detail, String condition, List<Matcher> match, @Nullable String evidence, @Nullable String severity, String summary)
            implements Located {
    }

    record RiskSpec(String severity, List<String> impacts, @Nullable String summary, @Nullable String protectedSeverity) implements Located {
    }

    /**
     * Remembers the line each {@link Located} part starts on. Installed on the reader as a module; the
     * lines of one read go into the identity map given as the reader's attribute {@link #ATTRIBUTE}
     * (identity: two matchers written alike are still two places in the file).
     */
    static final class Lines {
        static final String ATTRIBUTE = "aiscan.rule-lines";

        private Lines() {
        }

        static SimpleModule module() {
            SimpleModule m = new SimpleModule("rule-lines");
            m.setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc, JsonDeserializer<?> d) {
                    return Located.class.isAssignableFrom(desc.getBeanClass()) ? new Recording(d) : d;
                }
            });
            return m;
        }

        static Map<Object, Integer> newMap() {
            return new IdentityHashMap<>();
        }

        private static final class Recording extends DelegatingDeserializer {
            private static final long serialVersionUID = 1L;

            Recording(JsonDeserializer<?> delegate) {
                super(delegate);
            }

            @Override
            protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
                return new Recording(delegate);
            }

            @Override
            @SuppressWarnings("unchecked")
            public Object deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                int line = p.currentTokenLocation().getLineNr();
                Object o = super.deserialize(p, ctx);
                Object lines = ctx.getAttribute(ATTRIBUTE);
                if (o != null && lines instanceof Map<?, ?> map) {
                    ((Map<Object, Integer>) map).put(o, line);
                }
                return o;
            }
        }
    }
}
