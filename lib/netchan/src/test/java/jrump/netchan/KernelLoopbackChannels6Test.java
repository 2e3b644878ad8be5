package jrump.netchan;

import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/** The IPv6 suite on one kernel's lo0 (::1 and 127.0.0.1). */
class KernelLoopbackChannels6Test extends ChannelBehaviour6 {
    RumpKernel rk;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().build());
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    @Override
    SelectorProvider serverSide() {
        return KernelChannels.provider(rk);
    }

    @Override
    SelectorProvider clientSide() {
        return KernelChannels.provider(rk);
    }

    @Override
    InetAddress serverAddress() {
        return Addrs.of("::1");
    }

    @Override
    InetAddress serverAddress4() {
        return Addrs.of("127.0.0.1");
    }
}
