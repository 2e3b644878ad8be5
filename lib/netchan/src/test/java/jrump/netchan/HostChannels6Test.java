package jrump.netchan;

import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;

/** The IPv6 suite against the JDK's own provider on the host's ::1: the reference the kernels must match. */
class HostChannels6Test extends ChannelBehaviour6 {
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
        return Addrs.of("::1");
    }

    @Override
    InetAddress serverAddress4() {
        return Addrs.of("127.0.0.1");
    }
}
