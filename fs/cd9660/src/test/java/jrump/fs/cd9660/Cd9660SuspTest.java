package jrump.fs.cd9660;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Rock Ridge entries as the writer makes them and as the reader parses them, and the forms no tool here
 * writes: long-form TF stamps (RRIP §4.1.6), ST (SUSP §5.4), PN with a high word, continuation areas.
 */
class Cd9660SuspTest {
    /** No continuation areas: a device that fails every read. */
    private static final Device NONE = (off, len) -> {
        throw Cd9660Error.corrupt("no read expected at " + off);
    };

    private static byte[] join(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entries.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static List<String> targets() {
        return List.of("/", "/etc/passwd", "../x/./y", "a//b", ".", "plain", "/long/" + "c".repeat(600) + "/end",
                "/" + "component/".repeat(30) + "z".repeat(200));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void symlink_roundTrips(String target) throws Cd9660Error {
        List<byte[]> sl = SuspWriter.sl(target);
        assertThat(sl).allSatisfy(e -> assertThat(e.length).isLessThanOrEqualTo(255));
        RockRidge rr = RockRidge.read(NONE, 2048, join(sl), 0);
        assertThat(rr.linkTarget()).isEqualTo(target);
    }

    @Test
    void longName_roundTripsOverSeveralNmEntries() throws Cd9660Error {
        String name = "ñ".repeat(400); // 800 bytes of UTF-8: four NM entries
        List<byte[]> nm = SuspWriter.nm(name);
        assertThat(nm).hasSize(4);
        assertThat(RockRidge.read(NONE, 2048, join(nm), 0).name()).isEqualTo(name);
    }

    @Test
    void tf_longFormStampsWithTheirOffset() throws Cd9660Error {
        byte[] tf = SuspWriter.header("TF", 5 + 2 * IsoTime.LONG);
        tf[4] = (byte) (RockRidge.TF_LONG_FORM | RockRidge.TF_MODIFY | RockRidge.TF_ACCESS);
        System.arraycopy("2024010203040550".getBytes(StandardCharsets.US_ASCII), 0, tf, 5, 16);
        tf[5 + 16] = 4; // one hour east of Greenwich
        System.arraycopy("1999123123595900".getBytes(StandardCharsets.US_ASCII), 0, tf, 5 + 17, 16);
        RockRidge rr = RockRidge.read(NONE, 2048, tf, 0);
        assertThat(rr.modified).isEqualTo(OffsetDateTime.parse("2024-01-02T03:04:05.50+01:00").toEpochSecond() * 1_000_000_000L + 500_000_000L);
        assertThat(rr.accessed).isEqualTo(OffsetDateTime.parse("1999-12-31T23:59:59Z").toEpochSecond() * 1_000_000_000L);
        assertThat(rr.created).isEqualTo(IsoTime.NONE);
    }

    @Test
    void st_endsTheArea_andPnKeepsItsHighWord() throws Cd9660Error {
        byte[] pn = SuspWriter.header("PN", RockRidge.PN_LENGTH);
        IsoNumbers.put733(pn, 4, 7);
        IsoNumbers.put733(pn, 12, 300);
        byte[] st = SuspWriter.header("ST", 4);
        byte[] nm = SuspWriter.nm("after-st").get(0);
        RockRidge rr = RockRidge.read(NONE, 2048, join(List.of(pn, st, nm)), 0);
        assertThat(rr.name()).as("nothing after ST").isNull();
        // NetBSD's makedev(7, 300): major in bits 8-19, minor's low byte in 0-7 and the rest from bit 20
        assertThat(rr.rdev()).isEqualTo((7L << 8) | (300 & 0xff) | ((300L & ~0xff) << 12));
    }

    @Test
    void er_namesRockRidgeOrNot() throws Cd9660Error {
        assertThat(RockRidge.read(NONE, 2048, SuspWriter.er(), 0).rripExtension).isTrue();
        byte[] other = SuspWriter.header("ER", 8 + 9);
        other[4] = 9;
        System.arraycopy("AAIP_0200".getBytes(StandardCharsets.US_ASCII), 0, other, 8, 9);
        assertThat(RockRidge.read(NONE, 2048, other, 0).rripExtension).as("another SUSP extension").isFalse();
    }

    @Test
    void continuationAreas_followedAndLoopsRefused() throws Cd9660Error {
        byte[] area = join(SuspWriter.nm("from-the-area"));
        byte[] ce = SuspWriter.header("CE", Susp.CE_LENGTH);
        IsoNumbers.put733(ce, 4, 5);
        IsoNumbers.put733(ce, 12, 100);
        IsoNumbers.put733(ce, 20, area.length);
        Device dev = (off, len) -> {
            assertThat(off).isEqualTo(5 * 2048 + 100);
            return area;
        };
        assertThat(RockRidge.read(dev, 2048, ce, 0).name()).isEqualTo("from-the-area");
        // an area that continues in itself
        Device loop = (off, len) -> ce;
        IsoNumbers.put733(ce, 20, Susp.CE_LENGTH);
        assertThatThrownBy(() -> RockRidge.read(loop, 2048, ce, 0)).hasMessageContaining("loop");
    }
}
