package jrump.fs.msdosfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The pure parts: 8.3 names and aliases, long-name pieces, FAT times, finding room in a directory. */
class MsdosNamesTest {
    private static String s(byte[] b) {
        return new String(b, 0, 11, StandardCharsets.ISO_8859_1);
    }

    @Test
    void exact_83NamesWithUniformCaseHalves() {
        assertThat(s(ShortNames.exact("README"))).isEqualTo("README     ");
        byte[] lower = ShortNames.exact("hello.txt");
        assertThat(s(lower)).isEqualTo("HELLO   TXT");
        assertThat(lower[11]).isEqualTo((byte) (DirEntry.NTRES_LOWER_BASE | DirEntry.NTRES_LOWER_EXT));
        assertThat(ShortNames.exact("FOO.txt")[11]).isEqualTo((byte) DirEntry.NTRES_LOWER_EXT);
        assertThat(ShortNames.exact("MixedCase.txt")).as("mixed case needs a long name").isNull();
        assertThat(ShortNames.exact("toolongname.txt")).isNull();
        assertThat(ShortNames.exact("a.b.c")).isNull();
        assertThat(ShortNames.exact("with space")).isNull();
        assertThat(ShortNames.exact("ñ")).isNull();
        assertThat(ShortNames.exact(".hidden")).isNull();
    }

    @Test
    void generate_firstTailNoNameInTheDirectoryHas() throws Exception {
        Set<String> taken = new HashSet<>();
        assertThat(s(ShortNames.generate("A long name.text", taken))).isEqualTo("ALONGN~1TEX");
        taken.add("ALONGN~1TEX");
        taken.add("ALONGN~2TEX");
        assertThat(s(ShortNames.generate("a long name 3.text", taken))).isEqualTo("ALONGN~3TEX");
        for (int i = 3; i <= 9; i++) taken.add("ALONGN~" + i + "TEX");
        assertThat(s(ShortNames.generate("a long name x.text", taken))).as("the basis shrinks for longer tails").isEqualTo("ALONG~10TEX");
        assertThat(s(ShortNames.generate("..dots..and+plus[x].c", new HashSet<>()))).isEqualTo("DOTSAN~1C  ");
        assertThat(s(ShortNames.generate("名前", new HashSet<>()))).isEqualTo("__~1       ");
    }

    @Test
    void check_forbiddenNames() {
        for (String bad : new String[] {"a/b", "a\\b", "a:b", "a*", "a?", "a\"", "a<", "a>", "a|", "tab\t", "dot.", "sp "}) {
            assertThatThrownBy(() -> ShortNames.check(bad)).as(bad).isInstanceOf(FatError.class)
                    .satisfies(e -> assertThat(((FatError) e).errnoValue()).isEqualTo(jrump.rumpkern.Errno.EINVAL));
        }
        assertThatThrownBy(() -> ShortNames.check("x".repeat(256))).isInstanceOf(FatError.class);
        assertThat(ShortNames.fold("straße")).as("unit by unit, no expansion").isEqualTo("STRAßE");
    }

    @Test
    void longName_piecesRoundTripWithTheirChecksum() {
        byte[] alias = "ALONGN~1TEX".getBytes(StandardCharsets.ISO_8859_1);
        String name = "a long name with ünïcødé and more than twenty-six characters.text";
        byte[] pieces = LongName.encode(name, LongName.checksum(alias));
        assertThat(pieces.length / 32).isEqualTo(LongName.entries(name)).isEqualTo(5);
        assertThat(pieces[0] & 0xff).as("the last piece first, marked").isEqualTo(0x40 | 5);
        LongName.Assembler a = new LongName.Assembler();
        for (int i = 0; i < pieces.length / 32; i++) a.add(pieces, i * 32, i);
        assertThat(a.finish(alias)).isEqualTo(name);
        for (int i = 0; i < pieces.length / 32; i++) a.add(pieces, i * 32, i);
        assertThat(a.finish("OTHER   TXT".getBytes(StandardCharsets.ISO_8859_1))).as("checksum of another entry").isNull();
        a.add(pieces, 32, 1); // a piece without its first
        assertThat(a.finish(alias)).isNull();
    }

    @Test
    void fatTime_twoSecondStepsInTheMountsZone() {
        long t = 1_000_000_001_000_000_000L; // 2001-09-09 01:46:41 UTC
        int[] f = FatTime.encode(t, 0);
        assertThat(f[0]).isEqualTo((2001 - 1980) << 9 | 9 << 5 | 9);
        assertThat(f[1]).isEqualTo(1 << 11 | 46 << 5 | 20);
        assertThat(f[2]).as("the odd second in 10 ms units").isEqualTo(100);
        assertThat(FatTime.decode(f[0], f[1], 0, 0)).isEqualTo(1_000_000_000_000_000_000L);
        assertThat(FatTime.decode(f[0], f[1], f[2], 0)).isEqualTo(t);
        int[] east = FatTime.encode(t, 3600);
        assertThat(east[1] >>> 11).as("local time one hour east").isEqualTo(2);
        assertThat(FatTime.decode(east[0], east[1], east[2], 3600)).isEqualTo(t);
        assertThat(FatTime.encode(0, 0)[0]).as("before 1980: clamped").isEqualTo(1 << 5 | 1);
        assertThat(FatTime.decode(0, 0, 0, 0)).as("an impossible date (month 0) reads as 1980-01-01").isEqualTo(315_532_800L * 1_000_000_000L);
    }

    @Test
    void dirIndex_findsGapsThenTheTail() {
        DirIndex idx = new DirIndex(16);
        idx.add(new DirIndex.Item(0, 0, DirIndex.Kind.DOT, ".", ".          ", true, 5));
        idx.add(new DirIndex.Item(1, 1, DirIndex.Kind.DOT, "..", "..         ", true, 0));
        idx.add(new DirIndex.Item(2, 4, DirIndex.Kind.FILE, "long one", "LONGON~1   ", false, 0));
        idx.add(new DirIndex.Item(7, 7, DirIndex.Kind.FILE, "B", "B          ", false, 0));
        assertThat(idx.findFree(2)).as("the gap 5-6").isEqualTo(5);
        assertThat(idx.findFree(3)).as("the tail").isEqualTo(8);
        assertThat(idx.findFree(9)).as("grow").isEqualTo(-1);
        assertThat(idx.lookup("LONG ONE")).isNotNull();
        assertThat(idx.lookup("longon~1")).as("by its alias").isNotNull();
        assertThat(idx.isEmpty()).isFalse();
    }
}
