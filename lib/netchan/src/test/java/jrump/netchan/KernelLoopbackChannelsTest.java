package jrump.netchan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/** The behaviour suite on one kernel's lo0, plus what only a kernel's provider has to get right. */
class KernelLoopbackChannelsTest extends ChannelBehaviour {
    RumpKernel rk;
    KernelChannels p;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().build());
        p = KernelChannels.provider(rk);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    @Override
    SelectorProvider serverSide() {
        return p;
    }

    @Override
    SelectorProvider clientSide() {
        return p;
    }

    @Override
    InetAddress serverAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Test
    void oneProviderPerKernel_andChannelsStayWithTheirOwnSelectors() throws Exception {
        assertThat(KernelChannels.provider(rk)).isSameAs(p);
        try (RumpKernel other = RumpKernel.boot(RumpConfig.builder().build())) {
            assertThat(KernelChannels.provider(other)).isNotSameAs(p);
            try (SocketChannel c = p.openSocketChannel(); Selector theirs = KernelChannels.provider(other).openSelector();
                    Selector host = SelectorProvider.provider().openSelector()) {
                c.configureBlocking(false);
                assertThatThrownBy(() -> c.register(theirs, SelectionKey.OP_READ)).isInstanceOf(IllegalSelectorException.class);
                assertThatThrownBy(() -> c.register(host, SelectionKey.OP_READ)).isInstanceOf(IllegalSelectorException.class);
            }
        }
        assertThat(SelectorProvider.provider()).isNotSameAs(p); // the JVM's default is untouched
    }
}
