package jrump.rumpvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class NameiTest {
    @Test
    void utf8Length_matchesTheEncoder() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            int len = rnd.nextInt(0, 20);
            for (int j = 0; j < len; j++) {
                switch (rnd.nextInt(4)) {
                    case 0 -> b.append((char) rnd.nextInt(0x20, 0x80));
                    case 1 -> b.append((char) rnd.nextInt(0x80, 0x800));
                    case 2 -> b.append((char) rnd.nextInt(0x800, 0xD800));
                    default -> b.appendCodePoint(rnd.nextInt(0x10000, 0x110000));
                }
            }
            String s = b.toString();
            assertThat(Namei.utf8Length(s)).as("seed %d: %s", seed, s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void components_matchSplittingOnSlashes() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom rnd = new SplittableRandom(seed);
        char[] alphabet = {'/', '/', 'a', 'b', '.', 'é'};
        for (int i = 0; i < 2000; i++) {
            StringBuilder b = new StringBuilder();
            int len = rnd.nextInt(0, 16);
            for (int j = 0; j < len; j++) b.append(alphabet[rnd.nextInt(alphabet.length)]);
            String p = b.toString();
            java.util.List<String> expected = java.util.Arrays.stream(p.split("/")).filter(c -> !c.isEmpty()).toList();
            assertThat(Namei.components(p)).as("seed %d: \"%s\"", seed, p).isEqualTo(expected);
        }
    }
}
