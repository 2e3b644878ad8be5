package jrump.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * TCP bulk throughput over the host loopback through sockin (a kernel's system calls carried by host
 * sockets) against host Java sockets alone, in one run: kernel to host, host to kernel, kernel to kernel
 * (two kernels in this JVM), host to host. 64 KiB writes and reads everywhere.
 * Usage: SockinBench [MiB] [rounds]
 */
public final class SockinBench {
    private static final int IO = 64 * 1024;

    private SockinBench() {
    }

    private static RumpKernel boot() {
        return RumpKernel.boot(RumpConfig.builder().ncpu(2).with("rumpnet_sockin").without("rumpnet_netinet", "rumpnet_shmif").build());
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long total = (long) mib << 20;
        try (RumpKernel a = boot(); RumpKernel b = boot()) {
            for (int r = 0; r < rounds; r++) {
                report("host -> host, java.nio SocketChannels", mib, hostToHost(total));
                report("kernel -> host, sockin", mib, kernelToHost(a.syscalls(), total));
                report("host -> kernel, sockin", mib, hostToKernel(a.syscalls(), total));
                report("kernel -> kernel, sockin in both", mib, kernelToKernel(a.syscalls(), b.syscalls(), total));
            }
        }
    }

    private static void report(String what, int mib, long nanos) {
        System.out.printf("%-40s %d MiB: %.2f Gbit/s%n", what, mib, ((long) mib << 23) / (double) nanos);
    }

    private static ServerSocketChannel hostListener() throws IOException {
        ServerSocketChannel ss = ServerSocketChannel.open();
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return ss;
    }

    /** Reads to end of stream; returns the byte count. */
    private static long drain(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(IO);
        long got = 0;
        int n;
        while ((n = c.read(b.clear())) >= 0) got += n;
        return got;
    }

    private static void fill(SocketChannel c, long total) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(IO);
        for (long sent = 0; sent < total; sent += IO) {
            b.clear();
            while (b.hasRemaining()) c.write(b);
        }
        c.shutdownOutput();
    }

    private static long drain(Syscalls sys, int fd) {
        ByteBuffer b = ByteBuffer.allocate(IO);
        long got = 0;
        long n;
        while ((n = sys.read(fd, b.clear())) > 0) got += n;
        return got;
    }

    private static void fill(Syscalls sys, int fd, long total) {
        ByteBuffer b = ByteBuffer.allocate(IO);
        for (long sent = 0; sent < total; sent += IO) {
            b.clear();
            while (b.hasRemaining()) sys.write(fd, b);
        }
        sys.shutdown(fd, Sys.SHUT_WR);
    }

    private static void check(long got, long total) {
        if (got != total) throw new IllegalStateException("moved " + got + " bytes of " + total);
    }

    static long hostToHost(long total) throws Exception {
        try (ServerSocketChannel ss = hostListener(); SocketChannel c = SocketChannel.open(ss.getLocalAddress())) {
            long[] got = new long[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try (SocketChannel s = ss.accept()) {
                    got[0] = drain(s);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            long t0 = System.nanoTime();
            fill(c, total);
            t.join();
            long ns = System.nanoTime() - t0;
            check(got[0], total);
            return ns;
        }
    }

    static long kernelToHost(Syscalls sys, long total) throws Exception {
        try (ServerSocketChannel ss = hostListener()) {
            long[] got = new long[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try (SocketChannel s = ss.accept()) {
                    got[0] = drain(s);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            int c = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
            sys.connect(c, new SockaddrIn(SockaddrIn.INADDR_LOOPBACK, ((InetSocketAddress) ss.getLocalAddress()).getPort()));
            long t0 = System.nanoTime();
            fill(sys, c, total);
            t.join();
            long ns = System.nanoTime() - t0;
            sys.close(c);
            check(got[0], total);
            return ns;
        }
    }

    static long hostToKernel(Syscalls sys, long total) throws Exception {
        int l = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        sys.bind(l, new SockaddrIn(SockaddrIn.INADDR_LOOPBACK, 0));
        sys.listen(l, 1);
        int port = ((SockaddrIn) sys.getsockname(l)).port();
        long[] got = new long[1];
        Thread t = Thread.ofPlatform().start(() -> {
            int s = sys.accept(l);
            got[0] = drain(sys, s);
            sys.close(s);
        });
        try (SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            long t0 = System.nanoTime();
            fill(c, total);
            t.join();
            long ns = System.nanoTime() - t0;
            sys.close(l);
            check(got[0], total);
            return ns;
        }
    }

    static long kernelToKernel(Syscalls client, Syscalls server, long total) throws Exception {
        int l = server.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        server.bind(l, new SockaddrIn(SockaddrIn.INADDR_LOOPBACK, 0));
        server.listen(l, 1);
        int port = ((SockaddrIn) server.getsockname(l)).port();
        long[] got = new long[1];
        Thread t = Thread.ofPlatform().start(() -> {
            int s = server.accept(l);
            got[0] = drain(server, s);
            server.close(s);
        });
        int c = client.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        client.connect(c, new SockaddrIn(SockaddrIn.INADDR_LOOPBACK, port));
        long t0 = System.nanoTime();
        fill(client, c, total);
        t.join();
        long ns = System.nanoTime() - t0;
        client.close(c);
        server.close(l);
        check(got[0], total);
        return ns;
    }
}
