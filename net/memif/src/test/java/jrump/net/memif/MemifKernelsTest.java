package jrump.net.memif;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jrump.net.netinet.In6Ifaddr;
import jrump.net.netinet.IpAddr;
import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpnet.net.Ifnet;

/** Kernels in one JVM joined by memory links, used through rump_pub and the system calls only. */
@Timeout(120)
class MemifKernelsTest {
    private static final AtomicInteger LINKS = new AtomicInteger();
    private final java.util.List<RumpKernel> booted = new java.util.ArrayList<>();

    record Node(RumpKernel rk, Kernel kernel) {
        Syscalls sys() {
            return rk.syscalls();
        }

        MemifIf ifp(String name) {
            NetinetComponent.KernelStack st = NetinetComponent.of(kernel);
            MemifIf[] r = new MemifIf[1];
            st.locked(() -> r[0] = (MemifIf) st.inet().ifunit(name));
            return r[0];
        }
    }

    private Node boot() {
        Kernel[] captured = new Kernel[1];
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "memif_test";
            }

            @Override
            public ComponentType type() {
                return ComponentType.POSTINIT;
            }

            @Override
            public int init(Kernel k) {
                captured[0] = k;
                return 0;
            }
        }).build());
        booted.add(rk);
        return new Node(rk, captured[0]);
    }

    /** A kernel with mem0 on cable {@code link} and address {@code cidr}. */
    private Node node(String link, String cidr) {
        Node n = boot();
        n.rk().pub().netifCreate("mem0", link);
        n.rk().pub().netifAddr("mem0", cidr);
        return n;
    }

    private static String newLink() {
        return "memif-test-" + LINKS.incrementAndGet();
    }

    @AfterEach
    void halt() {
        for (RumpKernel rk : booted) rk.halt();
    }

    /** One ICMP echo through an echo socket; whether the reply came within {@code timeoutMillis}. */
    static boolean ping(Syscalls sys, Sockaddr to, int seq, int timeoutMillis) {
        boolean v6 = to instanceof SockaddrIn6;
        int s = v6 ? sys.socket(Sys.PF_INET6, Sys.SOCK_DGRAM, Sys.IPPROTO_ICMPV6) : sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, Sys.IPPROTO_ICMP);
        try {
            ByteBuffer tv = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            tv.putLong(0, timeoutMillis / 1000).putInt(8, timeoutMillis % 1000 * 1000);
            sys.setsockopt(s, Sys.SOL_SOCKET, Sys.SO_RCVTIMEO, tv);
            ByteBuffer req = ByteBuffer.allocate(64);
            req.put(0, (byte) (v6 ? 128 : 8)).putShort(6, (short) seq);
            for (int i = 8; i < 64; i++) req.put(i, (byte) i);
            sys.sendto(s, req, 0, to);
            ByteBuffer in = ByteBuffer.allocate(2048);
            while (true) {
                in.clear();
                try {
                    sys.recvfrom(s, in, 0);
                } catch (RumpException e) {
                    if (e.errno() == Errno.EAGAIN) return false;
                    throw e;
                }
                if ((in.getShort(6) & 0xffff) == seq) return true;
            }
        } finally {
            sys.close(s);
        }
    }

    /** {@code size} seeded bytes from {@code from} to a listener of {@code to} at {@code addr}, checked byte for byte. */
    static void tcp(Syscalls from, Syscalls to, Sockaddr addr, int size, long seed) throws Exception {
        int family = addr instanceof SockaddrIn6 ? Sys.PF_INET6 : Sys.PF_INET;
        int srv = to.socket(family, Sys.SOCK_STREAM, 0);
        to.bind(srv, addr);
        to.listen(srv, 4);
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        Throwable[] failed = new Throwable[1];
        Thread client = Thread.ofPlatform().start(() -> {
            try {
                int c = from.socket(family, Sys.SOCK_STREAM, 0);
                from.connect(c, addr);
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) from.write(c, b);
                from.close(c);
            } catch (Throwable t) {
                failed[0] = t;
            }
        });
        int conn = to.accept(srv);
        ByteBuffer got = ByteBuffer.allocate(size + 1);
        while (to.read(conn, got) > 0) {
            // to the end of the stream
        }
        client.join();
        to.close(conn);
        to.close(srv);
        assertThat(failed[0]).isNull();
        assertThat(got.position()).as("bytes received (seed %d)", seed).isEqualTo(size);
        assertThat(Arrays.equals(got.array(), 0, size, data, 0, size)).as("every byte (seed %d)", seed).isTrue();
    }

    @Test
    void twoKernels_pingAndTcpBothWays_overTheirOwnSystemCalls() throws Exception {
        String link = newLink();
        Node a = node(link, "10.77.0.1/24");
        Node b = node(link, "10.77.0.2/24");
        for (int seq = 1; seq <= 3; seq++) assertThat(ping(a.sys(), SockaddrIn.of("10.77.0.2", 0), seq, 5000)).isTrue();
        tcp(a.sys(), b.sys(), SockaddrIn.of("10.77.0.2", 7000), 8 << 20, 1);
        tcp(b.sys(), a.sys(), SockaddrIn.of("10.77.0.1", 7001), 2 << 20, 2);
        MemifIf ia = a.ifp("mem0");
        assertThat(ia.peer()).isSameAs(b.ifp("mem0"));
        assertThat(ia.mtu()).isEqualTo(MemifSpec.DEFAULT_MTU);
        assertThat(ia.checksumTrusted()).isTrue();
        assertThat(ia.ipackets).isPositive();
        assertThat(ia.opackets).isPositive();
    }

    @Test
    void withASmallMtu_andChecksumsOn_bytesStillArriveWhole() throws Exception {
        String link = newLink() + ",mtu=1500";
        Node a = node(link, "10.78.0.1/24");
        Node b = node(link, "10.78.0.2/24");
        for (Node n : new Node[] {a, b}) {
            NetinetComponent.KernelStack st = NetinetComponent.of(n.kernel());
            st.locked(() -> st.inet().tunables().checksumOffload = false);
        }
        assertThat(a.ifp("mem0").mtu()).isEqualTo(1500);
        tcp(a.sys(), b.sys(), SockaddrIn.of("10.78.0.2", 7000), 2 << 20, 3);
    }

    @Test
    void ipv6_pingAndTcp() throws Exception {
        String link = newLink();
        Node a = node(link, "fd00:77::1/64");
        Node b = node(link, "fd00:77::2/64");
        waitPreferred(a, "fd00:77::1");
        waitPreferred(b, "fd00:77::2");
        assertThat(ping(a.sys(), SockaddrIn6.of("fd00:77::2", 0), 1, 5000)).isTrue();
        tcp(a.sys(), b.sys(), SockaddrIn6.of("fd00:77::2", 7000), 1 << 20, 4);
    }

    /** DAD (RFC 4862 5.4) leaves an address tentative for a second: wait for it. */
    private static void waitPreferred(Node n, String addr) throws InterruptedException {
        NetinetComponent.KernelStack st = NetinetComponent.of(n.kernel());
        IpAddr want = IpAddr.parse6(addr);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean[] ok = new boolean[1];
            st.locked(() -> ok[0] = st.inet().addresses6().stream()
                    .anyMatch(ia -> ia.addr().equals(want) && ia.state() == In6Ifaddr.State.PREFERRED));
            if (ok[0]) return;
            Thread.sleep(20);
        }
        throw new AssertionError(addr + " still not preferred");
    }

    @Test
    void aThirdEnd_isRefused_andMalformedLinkStringsAreInvalid() {
        String link = newLink();
        node(link, "10.79.0.1/24");
        node(link, "10.79.0.2/24");
        Node c = boot();
        assertThat(createErrno(c, "mem0", link)).isEqualTo(Errno.EBUSY);
        assertThat(createErrno(c, "mem1", "")).isEqualTo(Errno.EINVAL);
        assertThat(createErrno(c, "mem1", "x,mtu=100")).isEqualTo(Errno.EINVAL);
        assertThat(createErrno(c, "mem1", "x,speed=10")).isEqualTo(Errno.EINVAL);
        c.rk().pub().netifCreate("mem1", newLink());
        assertThat(createErrno(c, "mem1", newLink())).isEqualTo(Errno.EEXIST);
    }

    private static Errno createErrno(Node n, String ifname, String linkstr) {
        try {
            n.rk().pub().netifCreate(ifname, linkstr);
            return null;
        } catch (RumpException e) {
            return e.errno();
        }
    }

    @Test
    void aLinkDown_dropsFrames_untilItIsUpAgain() {
        String link = newLink();
        Node a = node(link, "10.80.0.1/24");
        Node b = node(link, "10.80.0.2/24");
        assertThat(ping(a.sys(), SockaddrIn.of("10.80.0.2", 0), 1, 5000)).isTrue();
        MemifIf ib = b.ifp("mem0");
        NetinetComponent.KernelStack sb = NetinetComponent.of(b.kernel());
        sb.locked(() -> ib.setFlags(ib.flags() & ~Ifnet.IFF_UP));
        long drops = ib.iqdrops;
        assertThat(ping(a.sys(), SockaddrIn.of("10.80.0.2", 0), 2, 300)).isFalse();
        assertThat(ib.iqdrops).isGreaterThan(drops);
        sb.locked(() -> ib.setFlags(ib.flags() | Ifnet.IFF_UP));
        assertThat(ping(a.sys(), SockaddrIn.of("10.80.0.2", 0), 3, 5000)).isTrue();
    }

    @Test
    void aHaltedKernel_leavesNoCarrier() throws InterruptedException {
        String link = newLink();
        Node a = node(link, "10.82.0.1/24");
        Node b = node(link, "10.82.0.2/24");
        assertThat(ping(a.sys(), SockaddrIn.of("10.82.0.2", 0), 1, 5000)).isTrue();
        MemifIf ia = a.ifp("mem0");
        b.rk().halt();
        assertThat(ia.peer()).isNull();
        long before = ia.noCarrier;
        assertThat(ping(a.sys(), SockaddrIn.of("10.82.0.2", 0), 2, 300)).isFalse();
        assertThat(ia.noCarrier).isGreaterThan(before);
    }

    @Test
    void aDetachedEnd_meansNoCarrier_andAnotherKernelCanTakeItsPlace() {
        String link = newLink();
        Node a = node(link, "10.81.0.1/24");
        Node b = node(link, "10.81.0.2/24");
        assertThat(ping(a.sys(), SockaddrIn.of("10.81.0.2", 0), 1, 5000)).isTrue();
        NetinetComponent.KernelStack sb = NetinetComponent.of(b.kernel());
        MemifIf ib = b.ifp("mem0");
        sb.locked(() -> sb.inet().detach(ib));
        MemifIf ia = a.ifp("mem0");
        assertThat(ia.peer()).isNull();
        long before = ia.noCarrier;
        assertThat(ping(a.sys(), SockaddrIn.of("10.81.0.2", 0), 2, 300)).isFalse();
        assertThat(ia.noCarrier).isGreaterThan(before);
        // a new kernel plugs into the free end with another address: a's ARP has never seen it
        Node c = node(link, "10.81.0.3/24");
        assertThat(ia.peer()).isSameAs(c.ifp("mem0"));
        assertThat(ping(a.sys(), SockaddrIn.of("10.81.0.3", 0), 3, 5000)).isTrue();
    }
}
