package jrump.rumpdev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;

/**
 * Seeded random corruption of the sectors partition tables live in: whatever the bytes, reading the
 * partitions either gives partitions that lie on the device without overlapping, or throws DiskException
 * with EFTYPE; nothing else, and never a hang. The seed comes from -Drumpdev.seed=N or is new each run;
 * every failure message carries the seed of its case, which replays it alone.
 */
@Timeout(120)
class CorruptionTest {
    private static final int CASES = 3000;

    @TempDir
    Path dir;
    private TestKernel tk;

    @BeforeEach
    void boot() {
        tk = TestKernel.boot();
    }

    @AfterEach
    void halt() {
        tk.close();
    }

    private static long baseSeed() {
        String given = System.getProperty("rumpdev.seed");
        return given != null ? Long.parseLong(given) : new SplittableRandom().nextLong();
    }

    @Test
    void corruptedMbrAndEbrs() throws Exception {
        Path img = Images.sfdisk(dir, "dos.img", 64L << 20, PartitionTableTest.DOS_SCRIPT);
        // the MBR and the EBRs sfdisk wrote, one before each logical partition
        long[] recordSectors = {0, 26624, 32768, 43008, 47104};
        run(img, recordSectors, new int[] {0, 1, 2, 3, 4}, false);
    }

    @Test
    void corruptedGpt() throws Exception {
        Path img = Images.sfdisk(dir, "gpt.img", 32L << 20, PartitionTableTest.GPT_SCRIPT);
        long last = (32L << 20) / 512 - 1;
        // the protective MBR, the primary header and array, the backup array and header
        List<Long> sectors = new ArrayList<>();
        for (long s = 0; s < 34; s++) sectors.add(s);
        for (long s = last - 32; s <= last; s++) sectors.add(s);
        // most changes go to the headers and the first sector of each array, where the fields are
        run(img, sectors.stream().mapToLong(Long::longValue).toArray(), new int[] {0, 1, 2, 34, sectors.size() - 1}, true);
    }

    /**
     * Each case puts the pristine sectors back, changes 1-8 random bytes (half of them in the {@code hot}
     * sectors, most of them inside the table fields, some anywhere in the sectors), with GPTs half the time making the CRC32s right again so the
     * change reaches the checks behind them, and reads the partitions.
     */
    private void run(Path img, long[] sectors, int[] hot, boolean gpt) throws Exception {
        long base = baseSeed();
        SplittableRandom seeds = new SplittableRandom(base);
        byte[][] pristine = new byte[sectors.length][512];
        int accepted = 0;
        int rejected = 0;
        try (FileChannel f = FileChannel.open(img, StandardOpenOption.READ, StandardOpenOption.WRITE);
                BlockDevice dev = BlockDevices.open(tk.kernel(), img.toString(), true)) {
            for (int i = 0; i < sectors.length; i++) f.read(ByteBuffer.wrap(pristine[i]), sectors[i] * 512);
            RawImage scratch = new RawImage((int) (dev.size() / 512));
            for (int c = 0; c < CASES; c++) {
                long seed = seeds.nextLong();
                SplittableRandom r = new SplittableRandom(seed);
                String replay = "case seed " + seed + " (run seed " + base + ", -Drumpdev.seed=" + base + ")";
                for (int i = 0; i < sectors.length; i++) scratch.bytes.put((int) (sectors[i] * 512), pristine[i]);
                int changes = 1 + r.nextInt(8);
                for (int k = 0; k < changes; k++) {
                    int which = r.nextBoolean() ? hot[r.nextInt(hot.length)] : r.nextInt(sectors.length);
                    int at = r.nextInt(4) != 0 ? (gpt ? r.nextInt(128) : 446 + r.nextInt(66)) : r.nextInt(512);
                    byte value = switch (r.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> (byte) 0xff;
                        case 2 -> (byte) (scratch.bytes.get((int) (sectors[which] * 512 + at)) ^ (1 << r.nextInt(8)));
                        default -> (byte) r.nextInt(256);
                    };
                    scratch.bytes.put((int) (sectors[which] * 512 + at), value);
                }
                if (gpt && r.nextBoolean()) scratch.fixCrcs();
                for (long s : sectors) f.write(ByteBuffer.wrap(scratch.bytes.array(), (int) (s * 512), 512), s * 512);
                try {
                    List<Partition> parts = dev.partitions();
                    assertSane(parts, dev, replay);
                    accepted++;
                } catch (DiskException e) {
                    assertThat(e.errno()).as(replay + ": " + e.getMessage()).isEqualTo(Errno.EFTYPE.number());
                    assertThat(e.getMessage()).as(replay).startsWith(img.toString());
                    rejected++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(replay + ": " + e, e);
                }
            }
        }
        // both outcomes were exercised, or the corruption was too mild or too wild to test anything
        assertThat(accepted).as("accepted tables, run seed %d", base).isGreaterThan(CASES / 20);
        assertThat(rejected).as("rejected tables, run seed %d", base).isGreaterThan(CASES / 20);
    }

    private static void assertSane(List<Partition> parts, BlockDevice dev, String replay) throws DiskException {
        assertThat(parts).extracting(Partition::number).as(replay).doesNotHaveDuplicates();
        List<Partition> data = new ArrayList<>();
        for (Partition p : parts) {
            assertThat(p.offset()).as(replay).isGreaterThan(0);
            assertThat(p.size()).as(replay).isGreaterThan(0);
            assertThat(p.offset() + p.size()).as(replay + ": " + p).isLessThanOrEqualTo(dev.size());
            if (!(p instanceof MbrPartition m && m.kind() == MbrPartition.Kind.EXTENDED)) data.add(p);
        }
        data.sort(Comparator.comparingLong(Partition::offset));
        for (int i = 1; i < data.size(); i++) {
            assertThat(data.get(i).offset()).as(replay + ": " + data.get(i - 1) + " and " + data.get(i))
                    .isGreaterThanOrEqualTo(data.get(i - 1).offset() + data.get(i - 1).size());
        }
        if (!parts.isEmpty()) {
            try (BlockDevice one = dev.partition(parts.getFirst().number())) {
                assertThat(one.size()).as(replay).isEqualTo(parts.getFirst().size());
            }
        }
    }
}
