package jrump.netchan;

import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;

/** The HTTP cases on the host's stack (the JDK's provider): the reference. */
class HostHttpTest extends HttpBehaviour {
    @Override
    SelectorProvider serverSide() {
        return SelectorProvider.provider();
    }

    @Override
    SelectorProvider clientSide() {
        return SelectorProvider.provider();
    }

    @Override
    InetAddress serverAddress() {
        return InetAddress.getLoopbackAddress();
    }
}
