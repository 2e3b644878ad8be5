package jrump.netchan;

import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;

/** The behaviour suite against the JDK's own channels on the host's loopback: the reference. */
class HostChannelsTest extends ChannelBehaviour {
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
