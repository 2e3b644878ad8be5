package jrump.netchan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/** Netty's NIO transport, unchanged, on a kernel's provider: echo over lo0 and between two kernels on shmif. */
@Timeout(180)
class NettyEchoTest {
    private static final int SIZE = 4 << 20;

    @Test
    void hostLoopback_reference() throws Exception {
        SelectorProvider host = SelectorProvider.provider();
        NettyEcho.run(host, host, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SIZE, 1);
    }

    @Test
    void oneKernel_lo0() throws Exception {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build())) {
            KernelChannels p = KernelChannels.provider(rk);
            long ns = NettyEcho.run(p, p, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SIZE, 2);
            assertThat(ns).isPositive();
        }
    }

    @Test
    void twoKernels_shmif() throws Exception {
        Path dir = Files.createTempDirectory("netchan-netty");
        String bus = dir.resolve("bus").toString();
        try (RumpKernel a = RumpKernel.boot(RumpConfig.builder().build()); RumpKernel b = RumpKernel.boot(RumpConfig.builder().build())) {
            a.pub().netifCreate("shmif0", bus);
            a.pub().netifAddr("shmif0", "10.78.0.1/24");
            b.pub().netifCreate("shmif0", bus);
            b.pub().netifAddr("shmif0", "10.78.0.2/24");
            NettyEcho.run(KernelChannels.provider(a), KernelChannels.provider(b),
                    new InetSocketAddress(InetAddress.getByName("10.78.0.1"), 0), 1 << 20, 3);
        } finally {
            Files.deleteIfExists(dir.resolve("bus"));
            Files.deleteIfExists(dir);
        }
    }
}
