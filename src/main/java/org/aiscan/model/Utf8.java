package org.aiscan.model;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Text files in UTF-8, both ways, without surprises. Writing: text that UTF-8 cannot carry (a lone
 * surrogate from a banner or a JSON escape) becomes U+FFFD instead of failing the whole file, as
 * {@link Files#newBufferedWriter} would. Reading: a file that is not UTF-8 text (a binary passed by
 * mistake) is one line naming the file and the byte, never "Input length = 1".
 */
public final class Utf8 {
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private Utf8() {
    }

    private static CharsetEncoder encoder() {
        return StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).replaceWith(REPLACEMENT);
    }

    /** A buffered writer that never fails on what it is given to write. */
    public static Writer writer(Path file, OpenOption... options) throws IOException {
        return writer(Files.newOutputStream(file, options));
    }

    public static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, encoder()));
    }

    /** The bytes of {@code s} in UTF-8, a lone surrogate as U+FFFD. */
    public static byte[] bytes(String s) {
        try {
            ByteBuffer b = encoder().encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing encoder failed", e);
        }
    }

    /** Writes {@code text} to {@code file} (replacing it), a lone surrogate as U+FFFD. */
    public static void write(Path file, String text) throws IOException {
        Files.write(file, bytes(text));
    }

    /**
     * A reader that stops at the first byte that is not UTF-8 with an {@link InvalidInputException}
     * naming {@code what} (the option and file as the user gave them).
     */
    public static BufferedReader reader(Path file, String what) throws IOException {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(what + ": a folder, not a file");
        }
        return reader(Files.newInputStream(file), what);
    }

    /** {@link #reader(Path, String)} for a stream (stdin). */
    public static BufferedReader reader(java.io.InputStream in, String what) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new BufferedReader(new InputStreamReader(in, d)) {
            @Override
            public String readLine() throws IOException {
                try {
                    return super.readLine();
                } catch (CharacterCodingException e) {
                    throw notText(what, 0);
                }
            }

            @Override
            public int read(char[] cbuf, int off, int len) throws IOException {
                try {
                    return super.read(cbuf, off, len);
                } catch (CharacterCodingException e) {
                    throw notText(what, 0);
                }
            }
        };
    }

    /** The whole file as text, or an {@link InvalidInputException} naming {@code what} and the line of the first bad byte. */
    public static String read(Path file, String what) throws IOException {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(what + ": a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new InvalidInputException(what + ": no such file");
        }
        byte[] b = Files.readAllBytes(file);
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(b.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            long line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (b[i] == '\n') {
                    line++;
                }
            }
            throw notText(what, line);
        }
        d.flush(out);
        return out.flip().toString();
    }

    private static InvalidInputException notText(String what, long line) {
        return new InvalidInputException(what + (line > 0 ? ":" + line : "") + ": not UTF-8 text (a binary file?)");
    }
}
