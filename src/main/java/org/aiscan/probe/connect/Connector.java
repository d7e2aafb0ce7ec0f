package org.aiscan.probe.connect;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import org.aiscan.target.Probe;

/**
 * How a connect attempt leaves: the kernel's {@code connect()} in a scan ({@link #KERNEL}), a line
 * on the dry run's output instead ({@link PrintingConnector}).
 */
@FunctionalInterface
public interface Connector {
    /** {@link SocketChannel#connect}: the SYN leaves now. */
    Connector KERNEL = (ch, probe) -> ch.connect(new InetSocketAddress(probe.address().toInetAddress(), probe.port()));

    /**
     * Starts connecting the non-blocking {@code ch} to the probe's endpoint.
     *
     * @return true when the connection is established at once; false while it is pending
     */
    boolean connect(SocketChannel ch, Probe probe) throws IOException;
}
