/**
 * Doubles of the scan's stages for tests that run without root and without a network, as Tsunami's
 * {@code plugin/testing} does: an engine that decides probes from a table ({@link
 * org.aiscan.testing.FakeEngine}), fingerprinters that fail or never finish ({@link
 * org.aiscan.testing.FailingFingerprinter}), a writer that records what it was given ({@link
 * org.aiscan.testing.RecordingWriter}); for the SYN engine's parts, a frame sender that records every
 * frame ({@link org.aiscan.testing.RecordingFrameSender}), a capture whose answers come from a script
 * ({@link org.aiscan.testing.ScriptedFrameSource}) and a clock that moves only when the engine waits
 * ({@link org.aiscan.testing.FakeTicker}). Scan-job time is a {@code java.time.Clock.fixed} clock.
 */
package org.aiscan.testing;
