package jrump.netchan;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/**
 * Netty echo throughput (the bytes sent and echoed back, byte-checked) on the host's stack, a kernel's lo0
 * and two kernels on shmif, in one run. A figure, not a test: scripts/bench-netchan runs it
 * (-Dnetchan.bench=true); Netty stays a test dependency.
 */
@EnabledIfSystemProperty(named = "netchan.bench", matches = "true")
class NettyEchoBench {
    private static final int MIB = Integer.getInteger("netchan.bench.mib", 64);

    private static void report(String what, long nanos, int bytes) {
        System.out.printf("netty echo %d MiB: %-36s %7.1f MiB/s each way%n", bytes >> 20, what, bytes / 1048576.0 / (nanos / 1e9));
    }

    @Test
    void echoThroughput() throws Exception {
        int size = MIB << 20;
        for (int round = 0; round < 3; round++) {
            SelectorProvider host = SelectorProvider.provider();
            report("host stack (JDK provider)", NettyEcho.run(host, host, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), size, round),
                    size);
            try (RumpKernel k = RumpKernel.boot(RumpConfig.builder().ncpu(2).build())) {
                KernelChannels p = KernelChannels.provider(k);
                report("one kernel, lo0", NettyEcho.run(p, p, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), size, round), size);
            }
            Path dir = Files.createTempDirectory("netchan-bench");
            try (RumpKernel a = RumpKernel.boot(RumpConfig.builder().ncpu(2).build());
                 RumpKernel b = RumpKernel.boot(RumpConfig.builder().ncpu(2).build())) {
                String bus = dir.resolve("bus").toString();
                a.pub().netifCreate("shmif0", bus);
                a.pub().netifAddr("shmif0", "10.97.0.1/24");
                b.pub().netifCreate("shmif0", bus);
                b.pub().netifAddr("shmif0", "10.97.0.2/24");
                int s = size / 4;
                report("two kernels, shmif", NettyEcho.run(KernelChannels.provider(a), KernelChannels.provider(b),
                        new InetSocketAddress(InetAddress.getByName("10.97.0.1"), 0), s, round), s);
            } finally {
                Files.deleteIfExists(dir.resolve("bus"));
                Files.deleteIfExists(dir);
            }
        }
    }
}
