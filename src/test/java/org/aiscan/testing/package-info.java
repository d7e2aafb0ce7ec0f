/**
 * Doubles of the scan's stages for tests that run without root and without a network, as Tsunami's
 * {@code plugin/testing} does: an engine that decides probes from a table ({@link
 * org.aiscan.testing.FakeEngine}), fingerprinters that fail or never finish ({@link
 * org.aiscan.testing.FailingFingerprinter}), a writer that records what it was given ({@link
 * org.aiscan.testing.RecordingWriter}). Time is a {@code java.time.Clock.fixed} clock.
 */
package org.aiscan.testing;
