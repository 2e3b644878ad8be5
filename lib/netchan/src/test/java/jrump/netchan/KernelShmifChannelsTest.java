package jrump.netchan;

import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/** The behaviour suite between two kernels in this JVM on one shmif bus: servers on one, clients on the other. */
class KernelShmifChannelsTest extends ChannelBehaviour {
    RumpKernel a;
    RumpKernel b;
    Path dir;

    @BeforeEach
    void boot() throws Exception {
        dir = Files.createTempDirectory("netchan-shmif");
        String bus = dir.resolve("bus").toString();
        a = RumpKernel.boot(RumpConfig.builder().build());
        a.pub().netifCreate("shmif0", bus);
        a.pub().netifAddr("shmif0", "10.77.0.1/24");
        b = RumpKernel.boot(RumpConfig.builder().build());
        b.pub().netifCreate("shmif0", bus);
        b.pub().netifAddr("shmif0", "10.77.0.2/24");
    }

    @AfterEach
    void halt() throws Exception {
        a.halt();
        b.halt();
        Files.deleteIfExists(dir.resolve("bus"));
        Files.deleteIfExists(dir);
    }

    @Override
    SelectorProvider serverSide() {
        return KernelChannels.provider(a);
    }

    @Override
    SelectorProvider clientSide() {
        return KernelChannels.provider(b);
    }

    @Override
    InetAddress serverAddress() {
        try {
            return InetAddress.getByName("10.77.0.1");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
