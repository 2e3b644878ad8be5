package jrump.rumpkern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** sockaddr_in6's text forms: RFC 4291 2.2 on input, RFC 5952's canonical form on output. */
class SockaddrIn6Test {
    @ParameterizedTest
    @CsvSource({
            "2001:DB8:0:0:8:800:200C:417A, 2001:db8::8:800:200c:417a",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // RFC 5952 4.2.3: the first of equal runs
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // 4.2.2: one zero group is not shortened
            "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329",
            "0:0:0:0:0:0:0:1, ::1",
            "::, ::",
            "fe80::, fe80::",
            "ff02::1:ff00:2, ff02::1:ff00:2",
            "::ffff:10.0.0.1, ::ffff:10.0.0.1", // RFC 5952 5: mapped addresses end in dotted form
            "::ffff:a00:1, ::ffff:10.0.0.1",
            "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
            "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
    })
    void parse_thenFormat_isCanonical(String in, String canonical) {
        SockaddrIn6 a = SockaddrIn6.of(in, 80);
        assertThat(a.address()).isEqualTo(canonical);
        assertThat(SockaddrIn6.of(canonical, 80)).isEqualTo(a);
        assertThat(a.family()).isEqualTo(Sys.AF_INET6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "1:2:3:4:5:6:7", "::1.2.3",
            "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "fd00:::1", "1:"})
    void malformed_isRefused(String in) {
        assertThatThrownBy(() -> SockaddrIn6.of(in, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytes_mapped_zone() {
        SockaddrIn6 a = SockaddrIn6.of("2001:db8::1", 443);
        assertThat(a.bytes()).containsExactly(0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(SockaddrIn6.mapped(0x0a000001, 7)).isEqualTo(SockaddrIn6.of("::ffff:10.0.0.1", 7));
        assertThat(SockaddrIn6.mapped(0x0a000001, 7).isV4Mapped()).isTrue();
        assertThat(a.isV4Mapped()).isFalse();
        assertThat(SockaddrIn6.of("fe80::1%3", 0).scopeId()).isEqualTo(3);
        assertThat(a.toString()).isEqualTo("[2001:db8::1]:443");
        assertThatThrownBy(() -> SockaddrIn6.of("::1", 65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
