package jrump.net.shmif;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import jrump.net.netinet.NetinetComponent;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;

/** Kernels in one JVM on one shmif bus file: ARP, ping, TCP through the system calls, and a pcap dump tshark reads. */
@Timeout(120)
class ShmifKernelsTest {
    record Node(RumpKernel rk, Kernel kernel, ShmifIf ifp) {
    }

    static Node node(Path bus, String addr) throws Exception {
        Kernel[] captured = new Kernel[1];
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "shmif_test";
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
        Kernel k = captured[0];
        ShmifIf ifp = Shmif.attach(k, "shmif0", bus.toString());
        NetinetComponent.KernelStack st = NetinetComponent.of(k);
        st.locked(() -> st.inet().addAddress(ifp, SockaddrIn.parse(addr), 24));
        return new Node(rk, k, ifp);
    }

    @Test
    void twoKernels_pingAndTcp_thenTheDumpOpensInTshark(@TempDir Path dir) throws Exception {
        Path bus = dir.resolve("bus");
        Node a = node(bus, "10.7.0.1");
        Node b = node(bus, "10.7.0.2");
        try {
            // ping: ICMP echo from a to b
            List<Integer> replies = new ArrayList<>();
            NetinetComponent.KernelStack sa = NetinetComponent.of(a.kernel());
            sa.locked(() -> sa.inet().icmp().setEchoListener((from, id, seq, len, ttl) -> {
                synchronized (replies) {
                    replies.add(seq);
                }
            }));
            for (int seq = 1; seq <= 3; seq++) {
                int s = seq;
                sa.locked(() -> sa.inet().icmp().echo(SockaddrIn.parse("10.7.0.2"), 77, s, new byte[56]));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline) {
                    synchronized (replies) {
                        if (replies.contains(s)) break;
                    }
                    Thread.sleep(1);
                }
            }
            assertThat(replies).containsExactly(1, 2, 3);

            // TCP: 512 KiB from a to b through the system calls of each kernel
            Syscalls sb = b.rk().syscalls();
            int srv = sb.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
            sb.bind(srv, new SockaddrIn(0, 7));
            sb.listen(srv, 4);
            byte[] data = new byte[512 * 1024];
            new SplittableRandom(99).nextBytes(data);
            Throwable[] failed = new Throwable[1];
            Thread client = Thread.ofPlatform().start(() -> {
                try {
                    Syscalls s = a.rk().syscalls();
                    int c = s.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
                    s.connect(c, SockaddrIn.of("10.7.0.2", 7));
                    ByteBuffer buf = ByteBuffer.wrap(data);
                    while (buf.hasRemaining()) s.write(c, buf);
                    s.close(c);
                } catch (Throwable t) {
                    failed[0] = t;
                }
            });
            int conn = sb.accept(srv);
            ByteBuffer got = ByteBuffer.allocate(data.length + 1);
            while (sb.read(conn, got) > 0) {
                // to the end of the stream
            }
            client.join();
            assertThat(failed[0]).isNull();
            assertThat(got.position()).isEqualTo(data.length);
            assertThat(Arrays.equals(got.array(), 0, data.length, data, 0, data.length)).isTrue();
            assertThat(a.ifp().ipackets).isPositive();
        } finally {
            a.rk().halt();
            b.rk().halt();
        }

        // the bus as pcap: tshark must read every frame and find nothing malformed
        ShmifBus dump = ShmifBus.readOnly(ByteBuffer.wrap(Files.readAllBytes(bus)));
        List<ShmifBus.Frame> frames = dump.frames();
        assertThat(frames).isNotEmpty();
        Path pcap = dir.resolve("bus.pcap");
        Files.write(pcap, Pcap.of(frames));
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-T", "fields", "-e", "frame.protocols")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(frames.size());
        assertThat(lines).noneMatch(l -> l.contains("malformed"));
        Process m = new ProcessBuilder("tshark", "-r", pcap.toString(), "-Y", "_ws.malformed || _ws.expert.severity >= error")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String bad = new String(m.getInputStream().readAllBytes());
        assertThat(m.waitFor()).isZero();
        assertThat(bad).as("malformed packets").isBlank();
        assertThat(out).contains("eth:ethertype:arp").contains("eth:ethertype:ip:icmp").contains("eth:ethertype:ip:tcp");
    }
}
