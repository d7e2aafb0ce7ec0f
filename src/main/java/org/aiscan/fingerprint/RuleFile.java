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

/**
 * A rule file as written, {@code rulesets/fingerprints/<id>.yaml}: the YAML bound field by field,
 * nullable and unchecked. {@link RuleCompiler} checks it and turns it into a {@link Rule}; nothing
 * else reads this form. Field names in the file are the kebab-case forms of the components
 * ({@code after-identify}, {@code any-words}, …). The meaning of each field is documented on the
 * compiled types.
 */
record RuleFile(String id, String name, String category, String kind, Integer priority, List<Integer> ports, List<String> units,
                Map<String, Probe> probes, List<Identify> identify, List<Extract> version, List<Auth> auth, List<Expose> exposes,
                RiskSpec risk, String versionScheme, List<String> references) {

    /** Parts of a rule whose line is remembered while reading, so that a problem names the element that is wrong. */
    interface Located {
    }

    record Probe(String path, String send, Boolean banner, Boolean afterIdentify, Boolean portOnly) implements Located {
    }

    record Identify(String confidence, String condition, List<Matcher> match, String note) implements Located {
    }

    record Matcher(String probe, List<Integer> status, List<String> words, List<String> anyWords, String equals, Regex regex,
                   HeaderCheck header, List<JsonCheck> json, String part, Boolean caseInsensitive, Boolean negative) implements Located {
    }

    record HeaderCheck(String name, List<String> words, Regex regex, Boolean absent) {
    }

    record JsonCheck(String path, Boolean exists, Boolean absent, JsonNode equals, Regex regex, String type, List<String> keys,
                     List<String> onlyKeys) implements Located {
    }

    record Extract(String probe, String json, String header, Regex regex, String part, String strip, Regex base64) implements Located {
    }

    record Expose(String what, String probe, String json) implements Located {
    }

    record Auth(String state, String detail, String condition, List<Matcher> match, String evidence, String severity, String summary)
            implements Located {
    }

    record RiskSpec(String severity, List<String> impacts, String summary, String protectedSeverity) implements Located {
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
