package org.aiscan.testing;

import java.util.concurrent.CountDownLatch;
import org.aiscan.model.Address;
import org.aiscan.model.Service;
import org.aiscan.scan.ServiceIdentifier;

/**
 * Fingerprinters that go wrong: one that throws on every endpoint (a rule or a transport bug), and
 * one that never finishes until its thread is interrupted (a tarpit no budget caught).
 */
public final class FailingFingerprinter implements ServiceIdentifier {
    private final boolean hang;
    private final CountDownLatch started = new CountDownLatch(1);

    private FailingFingerprinter(boolean hang) {
        this.hang = hang;
    }

    /** Throws on every endpoint. */
    public static FailingFingerprinter throwing() {
        return new FailingFingerprinter(false);
    }

    /** Never returns until interrupted. */
    public static FailingFingerprinter hanging() {
        return new FailingFingerprinter(true);
    }

    /** Counted down when the first endpoint is taken. */
    public CountDownLatch started() {
        return started;
    }

    @Override
    public Service identify(Address address, int port) {
        started.countDown();
        if (!hang) {
            throw new IllegalStateException("fingerprinter broke on " + address.endpoint(port));
        }
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    @Override
    public int rules() {
        return 0;
    }
}
