package org.aiscan.fingerprint;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a product numbers its releases, so that a reported version is compared with advisory ranges
 * in the right terms, and a version that names no release (a source build, a commit) matches none.
 * A fingerprint rule names its scheme ({@code version-scheme:}); the default is {@link #RELEASE}.
 */
public enum VersionScheme {
    /** Dotted releases with PEP 440 / semver qualifiers: 0.10.1.1, 1.83.7-stable, 3.1.0rc17, v2.29.0. */
    RELEASE("release"),
    /**
     * llama.cpp: releases are build numbers ({@code b6123}); llama-server reports {@code b6123-1a2b3c4d}.
     * A build number below 1,000 is not a release: the binary was built from source without its git
     * history (a tarball, a shallow clone, node-llama-cpp's bundle report {@code b1-<sha>}), so which
     * release it contains is unknown.
     */
    LLAMA_BUILD("llama-build"),
    /**
     * NVIDIA Triton: the server reports 2.N ({@code GET /v2}), advisories often name the monthly
     * container (24.05). Up to 25.06 container YY.MM holds server 2.(30 + 12·(YY−23) + MM−1) — 23.01
     * holds 2.30.0, 24.05 holds 2.46.0, 25.06 holds 2.59.0; 25.07 holds 2.59.1 and from 25.08 the
     * count resumes one month behind, 2.(60 + 12·(YY−25) + MM−8) — 26.01 holds 2.65.0 (NVIDIA's
     * release notes) — so container bounds are read as the server version they ship.
     */
    TRITON("triton"),
    /**
     * Releases, but builds from a branch report a commit hash (LibreChat's {@code /api/config} does):
     * a bare hex string names no release and matches nothing.
     */
    RELEASE_OR_COMMIT("release-or-commit");

    private static final Pattern LLAMA = Pattern.compile("^b(\\d+)(?:[-+].*)?$");
    private static final Pattern CONTAINER = Pattern.compile("^(\\d{2})\\.(\\d{2})(?:[.-].*)?$");
    private static final Pattern HEX = Pattern.compile("^[0-9a-fA-F]{7,40}$");
    /** The first llama.cpp build number published as a release tag is above this. */
    static final long FIRST_LLAMA_RELEASE = 1_000;

    private final String key;

    VersionScheme(String key) {
        this.key = key;
    }

    /** The name used in rule files. */
    public String key() {
        return key;
    }

    /** The scheme a rule file names (null: the default); null when the name is unknown. */
    public static @Nullable VersionScheme of(@Nullable String key) {
        if (key == null) {
            return RELEASE;
        }
        for (VersionScheme s : values()) {
            if (s.key.equals(key.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return null;
    }

    /**
     * A reported version in this scheme's terms, or null when it names no release (then no advisory
     * range can be judged).
     */
    public @Nullable Version reported(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        switch (this) {
            case LLAMA_BUILD -> {
                Matcher m = LLAMA.matcher(s);
                if (m.matches() && Long.parseLong(m.group(1)) < FIRST_LLAMA_RELEASE) {
                    return null;
                }
                return Version.parse(s);
            }
            case RELEASE_OR_COMMIT -> {
                return HEX.matcher(s).matches() && !s.matches("\\d+") ? null : Version.parse(s);
            }
            default -> {
                return Version.parse(s);
            }
        }
    }

    /** Why {@link #reported} gave null for {@code raw}, for the endpoint's notes; null when it did not. */
    public @Nullable String unknownBecause(@Nullable String raw) {
        if (raw == null || reported(raw) != null) {
            return null;
        }
        return switch (this) {
            case LLAMA_BUILD -> "version " + raw.trim() + " is a source build without git history: its release, and so its known "
                    + "vulnerabilities, cannot be told";
            case RELEASE_OR_COMMIT -> "version " + raw.trim() + " is a commit, not a release: known vulnerabilities cannot be told";
            default -> "version " + raw.trim() + " is not a release number";
        };
    }

    /** An advisory's range bound in this scheme's terms (a Triton container release becomes its server version). */
    public @Nullable Version bound(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim();
        if (this == TRITON) {
            Matcher m = CONTAINER.matcher(s);
            if (m.matches()) {
                int yy = Integer.parseInt(m.group(1));
                int mm = Integer.parseInt(m.group(2));
                if (yy >= 21 && mm >= 1 && mm <= 12) { // the formulas hold from 21.01 (server 2.6.0) on
                    int month = 12 * yy + mm;
                    if (month <= 12 * 25 + 6) {
                        return Version.parse("2." + (30 + 12 * (yy - 23) + mm - 1) + ".0");
                    }
                    if (month == 12 * 25 + 7) {
                        return Version.parse("2.59.1");
                    }
                    return Version.parse("2." + (60 + 12 * (yy - 25) + mm - 8) + ".0");
                }
            }
        }
        return Version.parse(s);
    }
}
