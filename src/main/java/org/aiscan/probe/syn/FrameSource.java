package org.aiscan.probe.syn;

import java.io.IOException;

/**
 * Where the SYN engine's receive thread reads the frames addressed to it: libpcap's capture in a
 * scan ({@link PcapSource}), nothing in a dry run, scripted frames in tests.
 */
public interface FrameSource {
    /** Called for each frame, on the receive thread. */
    @FunctionalInterface
    interface Handler {
        /**
         * @param frame the frame's bytes (at most the snap length)
         * @param capturedNanos when the frame was captured, on the {@link Ticker#nanoTime()} clock
         */
        void onFrame(byte[] frame, long capturedNanos);
    }

    /** What the capture counted; {@code received} less {@code dropped} were handed on. */
    record Stats(long received, long dropped, long droppedByInterface) {
    }

    /** Hands every frame to {@code handler} until {@link #stop()} is called; then returns. */
    void loop(Handler handler) throws Exception;

    /** Ends {@link #loop}; callable from any thread, more than once. */
    void stop();

    /** Frames captured so far that will be (or were) handed on; 0 when the source cannot say. */
    long captured();

    /** The capture's counts so far. */
    Stats stats() throws IOException;

    void close();
}
