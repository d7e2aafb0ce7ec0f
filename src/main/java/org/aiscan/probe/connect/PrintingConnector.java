package org.aiscan.probe.connect;

import java.io.PrintWriter;
import java.nio.channels.SocketChannel;
import org.aiscan.target.Probe;

/**
 * The dry run's connector: each connect the engine would start becomes the line
 * {@code ADDRESS PORT connect}, and nothing is sent (the socket is made but never connected). It
 * reports every attempt as done at once, so the engine neither waits nor retries: each probe is
 * printed once, in the order the engine reaches it.
 */
public final class PrintingConnector implements Connector {
    private final PrintWriter out;

    public PrintingConnector(PrintWriter out) {
        this.out = out;
    }

    @Override
    public boolean connect(SocketChannel ch, Probe probe) {
        out.println(probe.address() + " " + probe.port() + " connect");
        return true;
    }
}
