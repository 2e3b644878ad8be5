package jrump.net.virtif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The link string and the fault generator, without a host. */
class VirtifSpecTest {
    @Test
    void parse_defaultsAndOptions() {
        VirtifSpec plain = VirtifSpec.parse("tap:jr0");
        assertThat(plain).isEqualTo(new VirtifSpec("jr0", 1500, 0, 0, 0, 1));
        assertThat(plain.faulty()).isFalse();
        VirtifSpec f = VirtifSpec.parse("tap:jr1,mtu=9000,loss=0.05,dup=0.01,reorder=0.1,seed=7");
        assertThat(f).isEqualTo(new VirtifSpec("jr1", 9000, 0.05, 0.01, 0.1, 7));
        assertThat(f.faulty()).isTrue();
    }

    @Test
    void parse_refusesBadLinks() {
        for (String bad : new String[] {"jr0", "tap:", "tap:jr0,loss", "tap:jr0,loss=x", "tap:jr0,loss=1.5", "tap:jr0,loss=-0.1",
                "tap:jr0,speed=3", "tap:jr0,mtu=100", "tap:jr0,mtu=70000", "tap:jr0,seed=0.5", null}) {
            assertThatThrownBy(() -> VirtifSpec.parse(bad)).as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void faults_areSeededAndNearTheirRates() {
        VirtifSpec spec = new VirtifSpec("x", 1500, 0.05, 0.02, 0.05, 42);
        LinkFaults a = new LinkFaults(spec, 1);
        LinkFaults b = new LinkFaults(spec, 1);
        LinkFaults other = new LinkFaults(spec, 2);
        int n = 100_000;
        int differ = 0;
        for (int i = 0; i < n; i++) {
            LinkFaults.Fate fa = a.decide(true);
            assertThat(b.decide(true)).isEqualTo(fa);
            if (other.decide(true) != fa) differ++;
        }
        assertThat(differ).as("the two directions draw independently").isGreaterThan(n / 20);
        assertThat(a.dropped).isBetween(4_500L, 5_500L);
        assertThat(a.duplicated).isBetween(1_600L, 2_200L);
        assertThat(a.reordered).isBetween(4_100L, 5_100L); // 5% of what was neither dropped nor duplicated
    }
}
