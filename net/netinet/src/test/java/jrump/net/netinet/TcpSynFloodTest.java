package jrump.net.netinet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import jrump.net.netinet.tcp.SynCacheStats;
import jrump.net.netinet.tcp.TcpTunables;
import jrump.net.netinet.wire.TcpHeader;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * Issue 9's "SYN cache surviving a SYN flood while real connections still succeed", in the simulation:
 * thousands of spoofed SYNs from many addresses that never complete, while real clients connect and
 * transfer data over a simulated link. Memory stays bounded (the cache never exceeds its limits, no
 * connection block leaks), the real clients get through by cookie, forged cookie ACKs are rejected.
 */
class TcpSynFloodTest {
    static final int A = SockaddrIn.parse("10.0.0.1");
    static final int B = SockaddrIn.parse("10.0.0.2");
    static final int SPOOF_NET = SockaddrIn.parse("10.9.0.0");
    static final int PORT = 80;

    /** The segment a spoofing attacker sends: {@code flags} from {@code src}:{@code sport}, no options. */
    static Mbuf spoofed(int src, int sport, int dst, int flags, int seq, int ack) {
        byte[] p = new byte[40];
        Mbuf m = Mbuf.wrap(p);
        m.put8(0, 0x45);
        m.put16(2, p.length);
        m.put8(8, 64);
        m.put8(9, Sys.IPPROTO_TCP);
        m.put32(12, src);
        m.put32(16, dst);
        m.put16(10, InCksum.of(m, 0, 20));
        m.put16(20, sport);
        m.put16(22, PORT);
        m.put32(24, seq);
        m.put32(28, ack);
        m.put8(32, 5 << 4);
        m.put8(33, flags);
        m.put16(34, 65535);
        m.put16(36, InCksum.fold(InCksum.add(InPorts.pseudoSum(src, dst, Sys.IPPROTO_TCP, 20), m, 20, 20)));
        return m;
    }

    /** One real client's transfer: its socket, the bytes still to send, and its server side once accepted. */
    static final class Client {
        final int id;
        final SimSocket so;
        final ByteBuffer data;

        Client(int id, SimSocket so, int size) {
            this.id = id;
            this.so = so;
            byte[] b = new byte[size];
            for (int k = 0; k < size; k++) b[k] = (byte) (id + 7 * k);
            b[0] = (byte) id;
            this.data = ByteBuffer.wrap(b);
        }
    }

    @Test
    void synFlood_realClientsStillConnectAndTransfer_memoryBounded() {
        long seed = 20261125L;
        SimNet net = new SimNet(seed);
        Inet a = net.stack();
        Inet b = net.stack();
        net.link(a, A, b, B, 24);
        TcpRfc9293Test.TapIf tap = new TcpRfc9293Test.TapIf(); // where the SYN-ACKs to spoofed addresses go
        b.attach(tap);
        b.addAddress(tap, SPOOF_NET + 1, 16);
        TcpTunables t = b.tcp().tunables();
        t.synCacheLimit = 512;
        t.synCacheListenerLimit = 256;
        SimSocket listener = SimSocket.tcp(b, 65536);
        assertThat(listener.pcb.bind(new SockaddrIn(B, PORT))).isZero();
        assertThat(listener.pcb.listen(128)).isZero();
        SplittableRandom r = new SplittableRandom(seed);
        int clientsWanted = 20;
        int size = 32 * 1024;
        List<Client> clients = new ArrayList<>();
        List<SimSocket> servers = new ArrayList<>();
        int[] received = new int[clientsWanted];
        int done = 0;
        long spoofedSyns = 0;
        long start = net.now();
        for (int round = 0; done < clientsWanted; round++) {
            assertThat(net.now() - start).as("seed %d: transfers done within 60 virtual s", seed).isLessThan(60_000_000_000L);
            if (round < 400) {
                // 25 spoofed SYNs per millisecond from random 10.9.x.y (25000 a second) for as long as the transfers run, at most 400 ms
                for (int i = 0; i < 25; i++) {
                    int src = SPOOF_NET + 2 + r.nextInt(65000);
                    tap.deliver(spoofed(src, 1024 + r.nextInt(60000), B, TcpHeader.SYN, r.nextInt(), 0));
                    spoofedSyns++;
                }
                b.drain();
                tap.sent.clear();
            }
            if (round % 20 == 0 && clients.size() < clientsWanted) {
                Client c = new Client(clients.size(), SimSocket.tcp(a, 65536), size);
                assertThat(c.so.pcb.connect(new SockaddrIn(B, PORT))).isZero();
                clients.add(c);
            }
            net.advance(1_000_000L);
            for (Client c : clients) {
                assertThat(c.so.error).as("seed %d: client %d error", seed, c.id).isZero();
                if (c.so.connected && c.data.hasRemaining()) {
                    int n = Math.min(c.so.pcb.sendSpace(), c.data.remaining());
                    if (n > 0) c.so.pcb.send(Mbuf.copyFrom(c.data, n), null, 0);
                    if (!c.data.hasRemaining()) c.so.pcb.shutdownOutput();
                }
            }
            for (SimSocket s; (s = listener.accept()) != null; ) servers.add(s);
            for (SimSocket s : servers) {
                if (s.rcv.cc() > 0) {
                    ByteBuffer in = ByteBuffer.allocate(s.rcv.cc());
                    s.rcv.read(in, in.capacity(), false);
                    s.pcb.rcvd();
                    in.flip();
                    checkBytes(s, in, received, seed);
                }
                if (s.cantRcvMore && s.rcv.cc() == 0 && s.pcb != null && !s.disconnected && s.error == 0 && s.head == null
                        && s.options != -1) {
                    s.options = -1; // done: close the server side
                    s.pcb.disconnect();
                    s.pcb.detach();
                    done++;
                }
            }
            assertThat(b.tcp().synCacheStats().size()).isLessThanOrEqualTo(t.synCacheLimit);
        }
        SynCacheStats st = b.tcp().synCacheStats();
        for (int i = 0; i < clientsWanted; i++) assertThat(received[i]).as("client %d bytes (seed %d)", i, seed).isEqualTo(size);
        assertThat(st.highWater()).as("the cache never exceeded its limits").isLessThanOrEqualTo(t.synCacheListenerLimit);
        assertThat(st.cookiesSent()).as("cookies answered the flood").isGreaterThan(spoofedSyns / 2);
        assertThat(st.cookiesReceived()).as("the real clients came in by cookie").isGreaterThan(0);
        assertThat(st.cookiesInvalid()).isZero();
        // forged cookie ACKs from the spoofed addresses: none becomes a connection
        for (int i = 0; i < 5000; i++) {
            tap.deliver(spoofed(SPOOF_NET + 2 + r.nextInt(65000), 1024 + r.nextInt(60000), B, TcpHeader.ACK_FLAG, r.nextInt(), r.nextInt()));
        }
        b.drain();
        tap.sent.clear();
        assertThat(b.tcp().synCacheStats().cookiesInvalid()).isEqualTo(5000);
        assertThat(listener.accept()).isNull();
        // after the flood every half-open entry expires and only the listener is left
        net.advance(120_000_000_000L);
        tap.sent.clear();
        assertThat(b.tcp().synCacheStats().size()).isZero();
        assertThat(b.tcp().connectionCount()).as("no connection block leaked").isEqualTo(1);
        System.out.printf("synflood: %d spoofed SYNs, %d real transfers of %d KiB; cache high water %d, cookies sent %d, accepted %d, forged rejected %d%n",
                spoofedSyns, clientsWanted, size / 1024, st.highWater(), st.cookiesSent(), st.cookiesReceived(), 5000);
    }

    private static void checkBytes(SimSocket s, ByteBuffer in, int[] received, long seed) {
        // the first byte names the client; byte k of client id is (id + 7k), except byte 0
        while (in.hasRemaining()) {
            if (s.options == 0) s.options = 0x10000 | (in.get(in.position()) & 0xff); // remember the id
            int id = s.options & 0xff;
            int k = received[id];
            byte expected = k == 0 ? (byte) id : (byte) (id + 7 * k);
            if (in.get() != expected) throw new AssertionError("client " + id + " byte " + k + " differs (seed " + seed + ")");
            received[id]++;
        }
    }

    /** SYN handling rate (wall clock) through the cache and by cookie: printed for BENCHMARKS.md, not asserted. */
    @Test
    void synFlood_handlingRate() {
        for (boolean cookies : new boolean[] {false, true}) {
            SimNet net = new SimNet(1);
            Inet b = net.stack();
            TcpRfc9293Test.TapIf tap = new TcpRfc9293Test.TapIf();
            b.attach(tap);
            b.addAddress(tap, SPOOF_NET + 1, 16);
            b.tcp().tunables().synCookies = cookies;
            if (cookies) b.tcp().tunables().synCacheListenerLimit = 0; // every SYN answered by cookie
            SimSocket listener = SimSocket.tcp(b, 65536);
            listener.pcb.bind(new SockaddrIn(SPOOF_NET + 1, PORT));
            listener.pcb.listen(128);
            SplittableRandom r = new SplittableRandom(2);
            int warmUp = 20_000;
            int n = 50_000;
            long sent = 0;
            long t0 = 0;
            for (int i = -warmUp; i < n; i++) {
                if (i == 0) {
                    t0 = System.nanoTime();
                    sent = 0;
                }
                tap.deliver(spoofed(SPOOF_NET + 2 + r.nextInt(65000), 1024 + r.nextInt(60000), SPOOF_NET + 1, TcpHeader.SYN, r.nextInt(), 0));
                b.drain();
                sent += tap.sent.size();
                tap.sent.clear();
            }
            long ns = System.nanoTime() - t0;
            assertThat(sent).as("every SYN answered").isEqualTo(n);
            assertThat(b.tcp().synCacheStats().size()).isLessThanOrEqualTo(b.tcp().tunables().synCacheLimit);
            System.out.printf("synflood rate (%s): %d SYNs answered in %.3f s wall: %.0f SYNs/s%n",
                    cookies ? "cookies" : "cache, oldest evicted", n, ns / 1e9, n / (ns / 1e9));
        }
    }
}
