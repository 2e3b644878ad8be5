package jrump.netchan;

import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/** The HTTP cases between two kernels on a shmif bus: the server on one kernel's stack, the clients on the other's. */
class KernelHttpTest extends HttpBehaviour {
    RumpKernel a;
    RumpKernel b;
    Path busDir;

    @Override
    @BeforeEach
    void serve() throws Exception {
        busDir = Files.createTempDirectory("netchan-http");
        String bus = busDir.resolve("bus").toString();
        a = RumpKernel.boot(RumpConfig.builder().build());
        a.pub().netifCreate("shmif0", bus);
        a.pub().netifAddr("shmif0", "10.79.0.1/24");
        b = RumpKernel.boot(RumpConfig.builder().build());
        b.pub().netifCreate("shmif0", bus);
        b.pub().netifAddr("shmif0", "10.79.0.2/24");
        super.serve();
    }

    @Override
    @AfterEach
    void stop() throws java.io.IOException {
        super.stop();
        a.halt();
        b.halt();
        Files.deleteIfExists(busDir.resolve("bus"));
        Files.deleteIfExists(busDir);
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
            return InetAddress.getByName("10.79.0.1");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
