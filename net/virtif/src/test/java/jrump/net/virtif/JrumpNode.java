package jrump.net.virtif;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/** The jrump side of the interop tests: a kernel with virt0 on a tap, and the services the tests use. */
final class JrumpNode implements AutoCloseable {
    final RumpKernel rk;
    final Syscalls sys;

    private final Kernel[] kernel = new Kernel[1];

    JrumpNode(String link, String addrCidr) {
        rk = RumpKernel.boot(RumpConfig.builder().addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "virtif_test";
            }

            @Override
            public ComponentType type() {
                return ComponentType.POSTINIT;
            }

            @Override
            public int init(Kernel k) {
                kernel[0] = k;
                return 0;
            }
        }).build());
        try {
            rk.pub().netifCreate("virt0", link);
            rk.pub().netifAddr("virt0", addrCidr);
        } catch (RuntimeException e) {
            rk.halt();
            throw e;
        }
        sys = rk.syscalls();
    }

    /** The virt0 interface. */
    VirtifIf virtif() {
        NetinetComponent.KernelStack st = NetinetComponent.of(kernel[0]);
        VirtifIf[] r = new VirtifIf[1];
        st.locked(() -> r[0] = (VirtifIf) st.inet().ifunit("virt0"));
        return r[0];
    }

    /** A listening PF_INET6 TCP socket on [::]:{@code port}. */
    int listen6(int port) {
        int s = sys.socket(Sys.PF_INET6, Sys.SOCK_STREAM, 0);
        sys.bind(s, jrump.rumpkern.SockaddrIn6.of("::", port));
        sys.listen(s, 8);
        return s;
    }

    /** A listening TCP socket on {@code port}. */
    int listen(int port) {
        int s = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        sys.bind(s, new SockaddrIn(0, port));
        sys.listen(s, 8);
        return s;
    }

    /** Accepts one connection on {@code s} and echoes it until EOF (RFC 862), on a virtual thread. */
    Thread echoOnce(int s) {
        return Thread.ofVirtual().start(() -> {
            int c = sys.accept(s);
            ByteBuffer b = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    b.clear();
                    if (sys.read(c, b) == 0) break;
                    b.flip();
                    while (b.hasRemaining()) sys.write(c, b);
                }
                sys.shutdown(c, Sys.SHUT_WR);
            } finally {
                sys.close(c);
            }
        });
    }

    /** Reads connection {@code c} to EOF: the SHA-256 and the byte count. */
    Digest drain(int c) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer b = ByteBuffer.allocate(256 * 1024);
        long total = 0;
        while (true) {
            b.clear();
            long n = sys.read(c, b);
            if (n == 0) break;
            md.update(b.array(), 0, (int) n);
            total += n;
        }
        return new Digest(HexFormat.of().formatHex(md.digest()), total);
    }

    /** Writes {@code n} seeded pseudo-random bytes to {@code c}: their SHA-256. */
    Digest source(int c, long n, long seed) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(256 * 1024);
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(b.capacity(), left);
            b.clear().limit(k);
            for (int i = 0; i < k; i += 8) b.putLong(i, r.nextLong());
            md.update(b.array(), 0, k);
            while (b.hasRemaining()) sys.write(c, b);
            left -= k;
        }
        return new Digest(HexFormat.of().formatHex(md.digest()), n);
    }

    int connect(String addr, int port) {
        boolean v6 = addr.indexOf(':') >= 0;
        int c = sys.socket(v6 ? Sys.PF_INET6 : Sys.PF_INET, Sys.SOCK_STREAM, 0);
        sys.connect(c, v6 ? jrump.rumpkern.SockaddrIn6.of(addr, port) : SockaddrIn.of(addr, port));
        return c;
    }

    /** One ICMP echo through an ICMP socket: the round trip in nanoseconds, or -1 without a reply in 2 s. */
    long ping(String addr, int seq) {
        int s = sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, Sys.IPPROTO_ICMP);
        try {
            ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            tv.putLong(0, 2).putInt(8, 0);
            sys.setsockopt(s, Sys.SOL_SOCKET, Sys.SO_RCVTIMEO, tv.limit(12));
            ByteBuffer req = ByteBuffer.allocate(64);
            req.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 0).putShort((short) seq);
            req.position(64).flip();
            long t0 = System.nanoTime();
            sys.sendto(s, req, 0, SockaddrIn.of(addr, 0));
            ByteBuffer in = ByteBuffer.allocate(2048);
            while (true) {
                in.clear();
                try {
                    sys.recvfrom(s, in, 0, new SockaddrStorage());
                } catch (RumpException e) {
                    return -1;
                }
                if ((in.get(0) & 0xff) == 0 && (in.getShort(6) & 0xffff) == seq) return System.nanoTime() - t0;
            }
        } finally {
            sys.close(s);
        }
    }

    record Digest(String sha256, long bytes) {
    }

    @Override
    public void close() {
        rk.halt();
    }
}
