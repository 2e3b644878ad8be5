package jrump.netchan;

import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/** The HTTP cases over IPv6 on one kernel's lo0: the server on [::1], HttpFetch given http://[::1]:PORT/ URLs. */
class KernelHttp6Test extends HttpBehaviour {
    RumpKernel rk;

    @Override
    @BeforeEach
    void serve() throws Exception {
        rk = RumpKernel.boot(RumpConfig.builder().build());
        super.serve();
    }

    @Override
    @AfterEach
    void stop() throws java.io.IOException {
        super.stop();
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
}
