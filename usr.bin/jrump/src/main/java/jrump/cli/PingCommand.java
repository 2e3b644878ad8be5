package jrump.cli;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.Callable;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump ping}: boots a kernel, joins the network and pings with ping(8)'s output and exit status. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Boot a rump kernel on a network and send ICMP or ICMPv6 echo requests to HOST, an IPv4 or IPv6 address "
                + "(exit 0 when any reply came, 2 when none).")
final class PingCommand implements Callable<Integer> {
    /** ping(8)'s default payload: 56 bytes, 64 with the ICMP header. */
    private static final int DATALEN = 56;
    /** ICMP echo request (RFC 792) and ICMPv6 echo request (RFC 4443 4.1). */
    private static final int ECHO = 8;
    private static final int ECHO6 = 128;

    @Spec
    CommandSpec spec;

    @Mixin
    NetOptions net;

    @Option(names = "-c", paramLabel = "COUNT", description = "stop after COUNT requests (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int count;

    @Option(names = "-i", paramLabel = "INTERVAL", description = "seconds between requests (default: ${DEFAULT-VALUE})", defaultValue = "1")
    double interval;

    @Option(names = "-W", paramLabel = "WAIT", description = "seconds to wait for the last reply (default: ${DEFAULT-VALUE})", defaultValue = "2")
    double wait;

    @Parameters(paramLabel = "HOST")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || interval < 0 || wait < 0) throw new CliException("bad -c, -i or -W");
        Sockaddr dst;
        boolean v6 = host.indexOf(':') >= 0;
        try {
            dst = v6 ? SockaddrIn6.of(host, 0) : new SockaddrIn(SockaddrIn.parse(host), 0);
        } catch (IllegalArgumentException e) {
            throw new CliException("unknown host " + host + " (give an IPv4 or IPv6 address)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build())) {
            net.configure(rk);
            Syscalls sys = rk.syscalls();
            int s = v6 ? sys.socket(Sys.PF_INET6, Sys.SOCK_DGRAM, Sys.IPPROTO_ICMPV6) : sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, Sys.IPPROTO_ICMP);
            out.printf("PING %s (%s): %d data bytes%n", host, host, DATALEN);
            long[] sentAt = new long[count];
            int received = 0;
            double min = Double.MAX_VALUE;
            double max = 0;
            double sum = 0;
            double sumSq = 0;
            ByteBuffer in = ByteBuffer.allocate(65536);
            for (int seq = 0; seq < count; seq++) {
                ByteBuffer req = ByteBuffer.allocate(8 + DATALEN);
                req.put((byte) (v6 ? ECHO6 : ECHO)).put((byte) 0).putShort((short) 0).putShort((short) 0).putShort((short) seq);
                req.flip();
                sentAt[seq] = System.nanoTime();
                try {
                    sys.sendto(s, req, 0, dst);
                } catch (RumpException e) {
                    out.printf("ping: sendto: %s%n", e.getMessage());
                }
                long until = System.nanoTime() + (long) ((seq == count - 1 ? wait : interval) * 1e9);
                while (true) {
                    long left = until - System.nanoTime();
                    if (left <= 0) break;
                    setTimeout(sys, s, left);
                    in.clear();
                    SockaddrStorage from = new SockaddrStorage();
                    long n;
                    try {
                        n = sys.recvfrom(s, in, 0, from);
                    } catch (RumpException e) {
                        if (e.errno() == Errno.EAGAIN) break;
                        throw e;
                    }
                    if (n < 8) continue;
                    int rseq = in.getShort(6) & 0xffff;
                    if (rseq >= count) continue;
                    double ms = (System.nanoTime() - sentAt[rseq]) / 1e6;
                    received++;
                    min = Math.min(min, ms);
                    max = Math.max(max, ms);
                    sum += ms;
                    sumSq += ms * ms;
                    String who = from.get() instanceof SockaddrIn6 in6 ? in6.address() : SockaddrIn.format(((SockaddrIn) from.get()).addr());
                    out.printf("%d bytes from %s: icmp_seq=%d time=%.3f ms%n", n, who, rseq, ms);
                    out.flush();
                }
            }
            out.printf("%n--- %s ping statistics ---%n", host);
            out.printf("%d packets transmitted, %d packets received, %.1f%% packet loss%n", count, received,
                    100.0 * (count - received) / count);
            if (received > 0) {
                double avg = sum / received;
                double sd = Math.sqrt(Math.max(0, sumSq / received - avg * avg));
                out.printf("round-trip min/avg/max/stddev = %.3f/%.3f/%.3f/%.3f ms%n", min, avg, max, sd);
            }
            return received > 0 ? 0 : 2;
        }
    }

    private static void setTimeout(Syscalls sys, int s, long nanos) {
        ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        long us = Math.max(1, nanos / 1000);
        tv.putLong(0, us / 1_000_000).putInt(8, (int) (us % 1_000_000));
        sys.setsockopt(s, Sys.SOL_SOCKET, Sys.SO_RCVTIMEO, tv.limit(12));
    }
}
