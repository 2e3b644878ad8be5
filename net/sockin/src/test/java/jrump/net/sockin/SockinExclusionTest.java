package jrump.net.sockin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpnet.socket.Domain;
import jrump.rumpnet.socket.Sockets;

/** sockin and netinet exclude each other; sockin is opt-in; a hypervisor without host sockets refuses it. */
@Timeout(60)
class SockinExclusionTest {
    @Test
    void netinetAndSockinInOneKernel_areRefusedAtBoot() {
        assertThatThrownBy(() -> RumpKernel.boot(RumpConfig.builder().with(SockinComponent.NAME).build()))
                .isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                .hasMessageContaining("rumpnet_netinet").hasMessageContaining("rumpnet_sockin")
                .hasMessageContaining("PF_INET");
        assertThatThrownBy(() -> RumpKernel.boot(RumpConfig.builder()
                .components("rumpnet", "rumpnet_sys", "rumpkern_sys", "rumpnet_netinet", SockinComponent.NAME).build()))
                .isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
    }

    @Test
    void aSecondPfInetDomain_isRefusedBySockets() {
        // a component that registers PF_INET without declaring it: the sockets layer still says no
        RumpComponent squatter = new RumpComponent() {
            @Override
            public String name() {
                return "pf_inet_squatter";
            }

            @Override
            public ComponentType type() {
                return ComponentType.NET_ROUTE;
            }

            @Override
            public int init(Kernel k) {
                Domain d = new Domain() {
                    @Override
                    public int family() {
                        return Sys.AF_INET;
                    }

                    @Override
                    public int attach(jrump.rumpnet.socket.SocketEvents so, int type, int protocol, jrump.rumpnet.socket.ProtoSocket[] out) {
                        return Errno.EPROTONOSUPPORT.number();
                    }
                };
                return Sockets.of(k).addDomain(d);
            }
        };
        assertThatThrownBy(() -> RumpKernel.boot(RumpConfig.builder().with(SockinComponent.NAME)
                .without("rumpnet_netinet", "rumpnet_shmif").addComponent(squatter).build()))
                .isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                .hasMessageContaining(SockinComponent.NAME);
    }

    @Test
    void sockinIsOptIn_netinetServesByDefault() {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().build());
        try {
            assertThat(rk.components()).contains("rumpnet_netinet").doesNotContain(SockinComponent.NAME);
        } finally {
            rk.halt();
        }
        RumpKernel sk = RumpKernel.boot(RumpConfig.builder().with(SockinComponent.NAME).without("rumpnet_netinet").build());
        try {
            assertThat(sk.components()).contains(SockinComponent.NAME).doesNotContain("rumpnet_netinet");
        } finally {
            sk.halt();
        }
    }

    @Test
    void simHypervisor_hasNoHostSockets() {
        assertThatThrownBy(() -> RumpKernel.boot(RumpConfig.builder().hypervisor(RumpConfig.Hypervisor.sim(1))
                .with(SockinComponent.NAME).without("rumpnet_netinet").build()))
                .isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSYS));
    }
}
