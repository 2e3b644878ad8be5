package jrump.netchan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;

import org.junit.jupiter.api.Test;

/**
 * The behaviour suite over IPv6 (every channel opened with INET6, the server on an IPv6 address), plus
 * what dual-stack sockets must show: IPv4 peers of an INET6 channel as Inet4Address, as the JDK does.
 */
abstract class ChannelBehaviour6 extends ChannelBehaviour {
    /** An IPv4 address of the server side, reachable from the client side. */
    abstract InetAddress serverAddress4();

    @Override
    ProtocolFamily family() {
        return StandardProtocolFamily.INET6;
    }

    private static InetAddress addr(InetSocketAddress a) {
        return a.getAddress();
    }

    private static InetSocketAddress remote(SocketChannel c) throws Exception {
        return (InetSocketAddress) c.getRemoteAddress();
    }

    private static InetSocketAddress local(SocketChannel c) throws Exception {
        return (InetSocketAddress) c.getLocalAddress();
    }

    private static void oneByteEachWay(SocketChannel a, SocketChannel b) throws Exception {
        a.write(ByteBuffer.wrap(new byte[] {42}));
        ByteBuffer got = ByteBuffer.allocate(1);
        ChannelBehaviour.readFully(b, got);
        assertThat(got.get(0)).isEqualTo((byte) 42);
        b.write(ByteBuffer.wrap(new byte[] {7}));
        ChannelBehaviour.readFully(a, got.clear());
        assertThat(got.get(0)).isEqualTo((byte) 7);
    }

    @Test
    void dualStack_oneListenerOnTheWildcard_takesIpv4AndIpv6Clients() throws Exception {
        try (ServerSocketChannel ss = listener(serverSide())) {
            ss.bind(new InetSocketAddress(0)); // 0.0.0.0 on an INET6 channel: "::", as the JDK binds it
            assertThat(addr((InetSocketAddress) ss.getLocalAddress()).isAnyLocalAddress()).isTrue();
            int port = ((InetSocketAddress) ss.getLocalAddress()).getPort();
            // an IPv4-only client: the server sees it as an Inet4Address, not ::ffff:a.b.c.d
            try (SocketChannel c4 = clientSide().openSocketChannel(StandardProtocolFamily.INET)) {
                c4.connect(new InetSocketAddress(serverAddress4(), port));
                try (SocketChannel s = ss.accept()) {
                    assertThat(addr(remote(s))).isInstanceOf(Inet4Address.class).isEqualTo(addr(local(c4)));
                    assertThat(remote(s).getPort()).isEqualTo(local(c4).getPort());
                    assertThat(addr(local(s))).isInstanceOf(Inet4Address.class).isEqualTo(serverAddress4());
                    oneByteEachWay(c4, s);
                }
            }
            // an IPv6 client
            try (SocketChannel c6 = tcp(clientSide())) {
                c6.connect(new InetSocketAddress(serverAddress(), port));
                try (SocketChannel s = ss.accept()) {
                    assertThat(addr(remote(s))).isInstanceOf(Inet6Address.class).isEqualTo(addr(local(c6)));
                    assertThat(addr(local(s))).isEqualTo(serverAddress());
                    oneByteEachWay(c6, s);
                }
            }
            // a dual-stack client given an IPv4 address connects over IPv4 and shows IPv4 addresses
            try (SocketChannel c = tcp(clientSide())) {
                c.connect(new InetSocketAddress(serverAddress4(), port));
                assertThat(remote(c)).isEqualTo(new InetSocketAddress(serverAddress4(), port));
                assertThat(addr(local(c))).isInstanceOf(Inet4Address.class);
                try (SocketChannel s = ss.accept()) {
                    assertThat(addr(remote(s))).isInstanceOf(Inet4Address.class).isEqualTo(addr(local(c)));
                    oneByteEachWay(c, s);
                }
            }
        }
    }

    @Test
    void dualStack_datagrams_fromIpv4AndIpv6Senders() throws Exception {
        try (DatagramChannel server = udp(serverSide()); DatagramChannel c4 = clientSide().openDatagramChannel(StandardProtocolFamily.INET);
                DatagramChannel c6 = udp(clientSide())) {
            server.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            c4.send(ByteBuffer.wrap("four".getBytes()), new InetSocketAddress(serverAddress4(), port));
            ByteBuffer b = ByteBuffer.allocate(100);
            InetSocketAddress from = (InetSocketAddress) server.receive(b);
            assertThat(new String(b.array(), 0, b.position())).isEqualTo("four");
            assertThat(from.getAddress()).isInstanceOf(Inet4Address.class);
            assertThat(from.getPort()).isEqualTo(((InetSocketAddress) c4.getLocalAddress()).getPort());
            server.send(ByteBuffer.wrap("back".getBytes()), from); // to an Inet4Address from an INET6 channel
            ByteBuffer r = ByteBuffer.allocate(100);
            c4.receive(r);
            assertThat(new String(r.array(), 0, r.position())).isEqualTo("back");
            c6.send(ByteBuffer.wrap("six".getBytes()), new InetSocketAddress(serverAddress(), port));
            b.clear();
            from = (InetSocketAddress) server.receive(b);
            assertThat(new String(b.array(), 0, b.position())).isEqualTo("six");
            assertThat(from.getAddress()).isInstanceOf(Inet6Address.class);
        }
    }

    @Test
    void anIpv4Channel_refusesIpv6Addresses() throws Exception {
        try (SocketChannel c = clientSide().openSocketChannel(StandardProtocolFamily.INET)) {
            assertThatThrownBy(() -> c.connect(new InetSocketAddress(serverAddress(), 80))).isInstanceOf(UnsupportedAddressTypeException.class);
            assertThatThrownBy(() -> c.bind(new InetSocketAddress(serverAddress(), 0))).isInstanceOf(UnsupportedAddressTypeException.class);
        }
    }
}
