package jrump.net.shmif;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Two kernels on a shmif bus over IPv6, configured through rump_pub (netif_create, netif_addr with a v6
 * prefix) and used through the system calls only: ping6 with an ICMPv6 echo socket (the solicited-node
 * multicast of ND crossing the bus as 33:33 frames), TCP over IPv6 with PF_INET6 sockets, and the bus
 * dumped to pcap for tshark.
 */
@Timeout(120)
class ShmifInet6Test {
    static RumpKernel node(Path bus, String cidr) {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build());
        rk.pub().netifCreate("shmif0", bus.toString());
        rk.pub().netifAddr("shmif0", cidr);
        return rk;
    }

    /** Waits for duplicate address detection (RFC 4862 5.4): a tentative address cannot be bound. */
    static void awaitAddress(Syscalls sys, String addr) throws InterruptedException {
        int fd = sys.socket(Sys.PF_INET6, Sys.SOCK_DGRAM, 0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            while (true) {
                try {
                    sys.bind(fd, SockaddrIn6.of(addr, 0));
                    return;
                } catch (RumpException e) {
                    assertThat(e.errno()).isEqualTo(Errno.EADDRNOTAVAIL);
                    assertThat(System.nanoTime()).as("DAD done in time").isLessThan(deadline);
                    Thread.sleep(20);
                }
            }
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void twoKernels_ping6AndTcpOverIpv6_throughTheSyscalls(@TempDir Path dir) throws Exception {
        Path bus = dir.resolve("bus");
        RumpKernel a = node(bus, "fd00:6::1/64");
        RumpKernel b = node(bus, "fd00:6::2/64");
        try {
            Syscalls sa = a.syscalls();
            Syscalls sb = b.syscalls();
            awaitAddress(sa, "fd00:6::1");
            awaitAddress(sb, "fd00:6::2");

            // ping6 through an ICMPv6 echo socket
            int s = sa.socket(Sys.PF_INET6, Sys.SOCK_DGRAM, Sys.IPPROTO_ICMPV6);
            ByteBuffer tv = ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder()).putLong(0, 5).putInt(8, 0);
            sa.setsockopt(s, Sys.SOL_SOCKET, Sys.SO_RCVTIMEO, tv.limit(12));
            for (int seq = 0; seq < 3; seq++) {
                ByteBuffer req = ByteBuffer.allocate(8 + 56);
                req.put((byte) 128).put((byte) 0).putShort((short) 0).putShort((short) 0).putShort((short) seq);
                req.position(0);
                sa.sendto(s, req, 0, SockaddrIn6.of("fd00:6::2", 0));
                ByteBuffer in = ByteBuffer.allocate(2048);
                SockaddrStorage from = new SockaddrStorage();
                long n = sa.recvfrom(s, in, 0, from);
                assertThat(n).isEqualTo(64);
                assertThat(in.get(0) & 0xff).as("echo reply").isEqualTo(129);
                assertThat(in.getShort(6)).isEqualTo((short) seq);
                assertThat(((SockaddrIn6) from.get()).address()).isEqualTo("fd00:6::2");
            }
            sa.close(s);

            // TCP over IPv6: 256 KiB from a to b
            int srv = sb.socket(Sys.PF_INET6, Sys.SOCK_STREAM, 0);
            sb.bind(srv, SockaddrIn6.of("::", 7));
            sb.listen(srv, 4);
            byte[] data = new byte[256 * 1024];
            new SplittableRandom(6).nextBytes(data);
            Throwable[] failed = new Throwable[1];
            Thread client = Thread.ofPlatform().start(() -> {
                try {
                    int c = sa.socket(Sys.PF_INET6, Sys.SOCK_STREAM, 0);
                    sa.connect(c, SockaddrIn6.of("fd00:6::2", 7));
                    assertThat(sa.getpeername(c)).isEqualTo(SockaddrIn6.of("fd00:6::2", 7));
                    ByteBuffer buf = ByteBuffer.wrap(data);
                    while (buf.hasRemaining()) sa.write(c, buf);
                    sa.close(c);
                } catch (Throwable t) {
                    failed[0] = t;
                }
            });
            SockaddrStorage peer = new SockaddrStorage();
            int conn = sb.accept(srv, peer);
            assertThat(((SockaddrIn6) peer.get()).address()).isEqualTo("fd00:6::1");
            assertThat(((SockaddrIn6) sb.getsockname(conn)).address()).isEqualTo("fd00:6::2");
            ByteBuffer got = ByteBuffer.allocate(data.length + 1);
            while (sb.read(conn, got) > 0) {
                // to the end of the stream
            }
            client.join();
            assertThat(failed[0]).isNull();
            assertThat(got.position()).isEqualTo(data.length);
            assertThat(Arrays.equals(got.array(), 0, data.length, data, 0, data.length)).isTrue();
        } finally {
            a.halt();
            b.halt();
        }

        ShmifBus dump = ShmifBus.readOnly(ByteBuffer.wrap(Files.readAllBytes(bus)));
        Path pcap = dir.resolve("bus6.pcap");
        Files.write(pcap, Pcap.of(dump.frames()));
        assertThat(tshark(pcap, "_ws.malformed || _ws.expert.severity >= error")).isEmpty();
        assertThat(tshark(pcap, "icmpv6.checksum.status == 0 || tcp.checksum.status == 0")).as("bad checksums").isEmpty();
        assertThat(tshark(pcap, "icmpv6.type == 135 && eth.dst == 33:33:ff:00:00:02")).as("NS to the solicited-node group").isNotEmpty();
        assertThat(tshark(pcap, "icmpv6.type == 129")).hasSize(3);
        assertThat(tshark(pcap, "tcp && ipv6.dst == fd00:6::2")).hasSizeGreaterThan(20);
    }

    static List<String> tshark(Path pcap, String filter) throws Exception {
        Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-o", "tcp.check_checksum:TRUE", "-Y", filter)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
