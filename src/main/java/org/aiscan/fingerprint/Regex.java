package org.aiscan.fingerprint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A regular expression compiled while the rule is read, so a bad one fails with its line number. */
@JsonDeserialize(using = Regex.Reader.class)
public record Regex(String source, Pattern pattern) {
    /** Compiles at parse time and reports syntax errors at the parser's position. */
    static final class Reader extends JsonDeserializer<Regex> {
        @Override
        public Regex deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                throw JsonMappingException.from(p, "a regex must be a string");
            }
            try {
                return new Regex(text, Pattern.compile(text, Pattern.DOTALL));
            } catch (PatternSyntaxException e) {
                throw JsonMappingException.from(p, "bad regex '" + text + "': " + e.getDescription()
                        + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            }
        }
    }
}
