package jrump.netchan;

import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.Sys;

/** The IPv6 suite between two kernels on one shmif bus, fd00::1 and fd00::2 (and 10.78.0.1/.2 for the IPv4 peers). */
class KernelShmifChannels6Test extends ChannelBehaviour6 {
    RumpKernel a;
    RumpKernel b;
    Path dir;

    @BeforeEach
    void boot() throws Exception {
        dir = Files.createTempDirectory("netchan-shmif6");
        String bus = dir.resolve("bus").toString();
        a = node(bus, "10.78.0.1/24", "fd00::1/64");
        b = node(bus, "10.78.0.2/24", "fd00::2/64");
        awaitDad(a, "fd00::1");
        awaitDad(b, "fd00::2");
    }

    private static RumpKernel node(String bus, String v4, String v6) {
        RumpKernel k = RumpKernel.boot(RumpConfig.builder().build());
        k.pub().netifCreate("shmif0", bus);
        k.pub().netifAddr("shmif0", v4);
        k.pub().netifAddr("shmif0", v6);
        return k;
    }

    /** An address is tentative until duplicate address detection is over (RFC 4862 5.4): binding it says when. */
    private static void awaitDad(RumpKernel k, String addr) throws Exception {
        var sys = k.syscalls();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            int s = sys.socket(Sys.PF_INET6, Sys.SOCK_DGRAM, 0);
            try {
                sys.bind(s, SockaddrIn6.of(addr, 0));
                return;
            } catch (RumpException e) {
                if (e.errno() != Errno.EADDRNOTAVAIL || System.nanoTime() > deadline) throw e;
            } finally {
                sys.close(s);
            }
            Thread.sleep(50);
        }
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
        return Addrs.of("fd00::1");
    }

    @Override
    InetAddress serverAddress4() {
        return Addrs.of("10.78.0.1");
    }
}
