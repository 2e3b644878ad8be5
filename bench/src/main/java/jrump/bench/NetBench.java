package jrump.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import jrump.net.netinet.Inet;
import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpnet.net.LoopbackIf;

/**
 * TCP bulk throughput through the system calls over lo0 (one kernel), over a memory link (memif, two
 * kernels in this JVM) and over a shmif bus (two kernels), ICMP echo round trips over shmif, and TCP
 * connections per second over lo0. lo0 and memif run twice per round, with jrump's settings (64 KiB MTU,
 * no checksums on links that cannot corrupt) and with NetBSD's (LOMTU 32 KiB on lo0, 1500 on the memory
 * link, checksums summed on both sides), alternating, so each change is compared within one run.
 * Usage: NetBench [MiB over lo0] [MiB over memif] [MiB over shmif] [pings] [connections] [rounds]
 */
public final class NetBench {
    private NetBench() {
    }

    /** A kernel and its core (for the stack's tunables). */
    record Node(RumpKernel rk, Kernel kernel) {
        Syscalls sys() {
            return rk.syscalls();
        }

        Inet inet() {
            return NetinetComponent.of(kernel).inet();
        }

        void space(int bytes) {
            inet().tcp().tunables().sendSpace = bytes;
            inet().tcp().tunables().recvSpace = bytes;
        }

        void set(String ifname, int mtu, boolean offload) {
            NetinetComponent.KernelStack st = NetinetComponent.of(kernel);
            st.locked(() -> {
                st.inet().ifunit(ifname).setMtu(mtu);
                st.inet().tunables().checksumOffload = offload;
            });
        }
    }

    static Node boot() {
        Kernel[] captured = new Kernel[1];
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(2).addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "netbench";
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
        return new Node(rk, captured[0]);
    }

    public static void main(String[] args) throws Exception {
        int loMiB = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int memMiB = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int shmifMiB = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int pings = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        int conns = args.length > 4 ? Integer.parseInt(args[4]) : 5000;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        Node k = boot();
        Node a = boot();
        Node b = boot();
        try {
            a.rk().pub().netifCreate("mem0", "netbench");
            a.rk().pub().netifAddr("mem0", "10.98.0.1/24");
            b.rk().pub().netifCreate("mem0", "netbench");
            b.rk().pub().netifAddr("mem0", "10.98.0.2/24");
            for (int round = 0; round < rounds; round++) {
                for (boolean jrumpSettings : new boolean[] {true, false}) {
                    String label = jrumpSettings ? "64 KiB MTU, checksum offload" : "NetBSD LOMTU 32 KiB, checksums";
                    k.set("lo0", jrumpSettings ? LoopbackIf.MAX_MTU : LoopbackIf.LOMTU, jrumpSettings);
                    double gbps = bulk(k.sys(), k.sys(), "127.0.0.1", loMiB);
                    System.out.printf("tcp over lo0, one kernel (%s): %d MiB in 64 KiB writes: %.2f Gbit/s%n", label, loMiB, gbps);
                }
                for (boolean jrumpSettings : new boolean[] {true, false}) {
                    String label = jrumpSettings ? "64 KiB MTU, checksum offload" : "MTU 1500, checksums";
                    a.set("mem0", jrumpSettings ? 65535 : 1500, jrumpSettings);
                    b.set("mem0", jrumpSettings ? 65535 : 1500, jrumpSettings);
                    double gbps = bulk(a.sys(), b.sys(), "10.98.0.2", memMiB);
                    System.out.printf("tcp over memif, two kernels (%s): %d MiB in 64 KiB writes: %.2f Gbit/s%n", label, memMiB, gbps);
                }
            }
            // the kernels' default socket buffers: TCP's 256 KiB (TcpTunables.sendSpace/recvSpace) against the 64 KiB of before
            for (int space : new int[] {256 * 1024, 64 * 1024}) {
                for (Node n : new Node[] {k, a, b}) n.space(space);
                k.set("lo0", LoopbackIf.MAX_MTU, true);
                double gbps = bulk(k.sys(), k.sys(), "127.0.0.1", loMiB, 0);
                System.out.printf("tcp over lo0, default socket buffers (%d KiB, 64 KiB MTU, checksum offload): %d MiB: %.2f Gbit/s%n", space / 1024, loMiB, gbps);
                a.set("mem0", 65535, true);
                b.set("mem0", 65535, true);
                gbps = bulk(a.sys(), b.sys(), "10.98.0.2", memMiB, 0);
                System.out.printf("tcp over memif, default socket buffers (%d KiB, 64 KiB MTU, checksum offload): %d MiB: %.2f Gbit/s%n", space / 1024, memMiB, gbps);
            }
            k.set("lo0", LoopbackIf.MAX_MTU, true);
            long t0 = System.nanoTime();
            connectClose(k.sys(), conns);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("tcp connect+accept+close over lo0: %d in %.2f s: %.0f connections/s%n", conns, s, conns / s);
        } finally {
            k.rk().halt();
            a.rk().halt();
            b.rk().halt();
        }
        if (shmifMiB == 0) return; // lo0 and memif only (profiling)
        Path bus = Files.createTempFile("jrump-netbench", ".bus");
        Node na = boot();
        Node nb = boot();
        try {
            RumpKernel sa = na.rk();
            RumpKernel sb = nb.rk();
            sa.pub().netifCreate("shmif0", bus.toString());
            sa.pub().netifAddr("shmif0", "10.99.0.1/24");
            sb.pub().netifCreate("shmif0", bus.toString());
            sb.pub().netifAddr("shmif0", "10.99.0.2/24");
            double[] rtt = ping(sa.syscalls(), "10.99.0.2", pings);
            Arrays.sort(rtt);
            System.out.printf("icmp echo over shmif, two kernels: %d pings: median %.1f us, p90 %.1f us, min %.1f us%n", pings,
                    rtt[rtt.length / 2], rtt[rtt.length * 9 / 10], rtt[0]);
            for (int round = 0; round < 2; round++) {
                double gbps = bulk(sa.syscalls(), sb.syscalls(), "10.99.0.2", shmifMiB);
                System.out.printf("tcp over shmif, two kernels: %d MiB: %.2f Gbit/s (frames lost to bus overruns so far: %d, %d; retransmitted segments %d)%n",
                        shmifMiB, gbps, ((jrump.net.shmif.ShmifIf) na.inet().ifunit("shmif0")).lost(),
                        ((jrump.net.shmif.ShmifIf) nb.inet().ifunit("shmif0")).lost(), na.inet().tcp().retransmittedSegments);
            }
        } finally {
            na.rk().halt();
            nb.rk().halt();
            Files.deleteIfExists(bus);
        }
    }

    private static int port = 5000;

    /** Sends {@code mib} MiB from {@code client} to a server on {@code server}; returns Gbit/s. */
    static double bulk(Syscalls client, Syscalls server, String addr, int mib) throws Exception {
        return bulk(client, server, addr, mib, 1 << 20);
    }

    /** The same with socket buffers of {@code buf} bytes (0: the kernel's defaults). */
    static double bulk(Syscalls client, Syscalls server, String addr, int mib, int buf) throws Exception {
        int p = port++;
        int srv = server.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        ByteBuffer big = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, buf);
        if (buf > 0) server.setsockopt(srv, Sys.SOL_SOCKET, Sys.SO_RCVBUF, big);
        server.bind(srv, new SockaddrIn(0, p));
        server.listen(srv, 4);
        long total = (long) mib << 20;
        Thread reader = Thread.ofPlatform().start(() -> {
            int c = server.accept(srv);
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            long got = 0;
            while (true) {
                b.clear();
                long n = server.read(c, b);
                if (n == 0) break;
                got += n;
            }
            server.close(c);
            if (got != total) throw new IllegalStateException("received " + got + " of " + total);
        });
        int c = client.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        if (buf > 0) client.setsockopt(c, Sys.SOL_SOCKET, Sys.SO_SNDBUF, big.duplicate());
        client.connect(c, SockaddrIn.of(addr, p));
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        long t0 = System.nanoTime();
        for (long sent = 0; sent < total; ) {
            chunk.clear();
            sent += client.write(c, chunk);
        }
        client.close(c);
        reader.join();
        double s = (System.nanoTime() - t0) / 1e9;
        server.close(srv);
        return total * 8 / s / 1e9;
    }

    static void connectClose(Syscalls sys, int n) {
        int p = port++;
        int srv = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        sys.bind(srv, new SockaddrIn(0, p));
        sys.listen(srv, Sys.SOMAXCONN);
        for (int i = 0; i < n; i++) {
            int c = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
            sys.connect(c, SockaddrIn.of("127.0.0.1", p));
            int a = sys.accept(srv);
            sys.close(c);
            sys.close(a);
        }
        sys.close(srv);
    }

    /** Round trips in microseconds. */
    static double[] ping(Syscalls sys, String addr, int n) {
        int s = sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, Sys.IPPROTO_ICMP);
        double[] rtt = new double[n];
        ByteBuffer in = ByteBuffer.allocate(2048);
        for (int i = -50; i < n; i++) { // the first 50 warm up (and resolve ARP)
            ByteBuffer req = ByteBuffer.allocate(64);
            req.put(0, (byte) 8).putShort(6, (short) i);
            long t0 = System.nanoTime();
            sys.sendto(s, req, 0, SockaddrIn.of(addr, 0));
            in.clear();
            sys.recvfrom(s, in, 0);
            if (i >= 0) rtt[i] = (System.nanoTime() - t0) / 1e3;
        }
        sys.close(s);
        return rtt;
    }
}
