/**
 * Fingerprints as data. Each product is one YAML file under {@code rulesets/fingerprints/}: the
 * read-only probes it needs, matchers that identify it, extractors for its version, the states its
 * authentication can be in, the risk when it is open, and the CVE ranges that apply. Java here
 * implements matcher <em>types</em> (status, word, regex, header, JSON) and the order of play; it
 * never names a product. Loading is strict: an unknown key or a bad regex fails with
 * {@code file:line: what and why}.
 */
@NullMarked
package org.aiscan.fingerprint;

import org.jspecify.annotations.NullMarked;
