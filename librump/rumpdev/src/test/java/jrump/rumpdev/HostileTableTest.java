package jrump.rumpdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;

/** Damaged and hostile partition tables: each is a clear EFTYPE naming what is wrong, found at once. */
@Timeout(30)
class HostileTableTest {
    @TempDir
    Path dir;
    private TestKernel tk;
    private int images;

    @BeforeEach
    void boot() {
        tk = TestKernel.boot();
    }

    @AfterEach
    void halt() {
        tk.close();
    }

    private List<Partition> partitions(RawImage image) throws Exception {
        try (BlockDevice dev = BlockDevices.open(tk.kernel(), image.write(dir.resolve("img" + images++)).toString(), true)) {
            return dev.partitions();
        }
    }

    private void assertRejected(RawImage image, String... messageParts) {
        assertThatThrownBy(() -> partitions(image)).isInstanceOfSatisfying(DiskException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EFTYPE.number());
            assertThat(e.getMessage()).contains(messageParts);
        });
    }

    /** A 1000-sector disk: primary 1 at 1-99, an extended partition at 100-999 with its first EBR at 100. */
    private static RawImage withExtended() {
        return new RawImage(1000).record(0, 1, 0x83, 1, 99).record(0, 2, 0x05, 100, 900);
    }

    @Test
    void aWellFormedChainIsRead() throws Exception {
        RawImage img = withExtended()
                .record(100, 1, 0x83, 10, 40).record(100, 2, 0x05, 100, 100)   // logical 5 at 110-149, next EBR at 200
                .record(200, 1, 0x0c, 1, 50);                                      // logical 6 at 201-250, end of chain
        assertThat(partitions(img)).extracting(Partition::number, Partition::offset, Partition::size).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, 512L, 99 * 512L), org.assertj.core.groups.Tuple.tuple(2, 100 * 512L, 900 * 512L),
                org.assertj.core.groups.Tuple.tuple(5, 110 * 512L, 40 * 512L), org.assertj.core.groups.Tuple.tuple(6, 201 * 512L, 50 * 512L));
    }

    @Test
    void ebrLoops() {
        // 100 → 200 → 100 ...
        assertRejected(withExtended().record(100, 1, 0x83, 10, 40).record(100, 2, 0x05, 100, 100)
                .record(200, 1, 0x83, 10, 40).record(200, 2, 0x05, 0, 50), "EBR at sector 100 is reached a second time", "loops");
        // an EBR that links to itself
        assertRejected(withExtended().record(100, 1, 0x83, 10, 40).record(100, 2, 0x05, 100, 100)
                .record(200, 2, 0x0f, 100, 1), "EBR at sector 200 is reached a second time");
    }

    @Test
    void aHugeChainStopsAtTheBound() throws Exception {
        // one EBR and a one-sector logical partition every two sectors: 128 EBRs are fine, 129 are not
        for (int ebrs : new int[] {128, 129}) {
            RawImage img = new RawImage(1000).record(0, 1, 0x05, 1, 999);
            for (int k = 0; k < ebrs; k++) {
                long ebr = 1 + 2L * k;
                img.record(ebr, 1, 0x83, 1, 1);
                if (k + 1 < ebrs) img.record(ebr, 2, 0x05, 2L * (k + 1), 2);
            }
            if (ebrs == 128) {
                List<Partition> parts = partitions(img);
                assertThat(parts).hasSize(129);
                assertThat(parts.getLast().number()).isEqualTo(4 + 128);
            } else {
                assertRejected(img, "goes on past 128 EBRs");
            }
        }
    }

    @Test
    void pointersPastTheEnd() {
        assertRejected(new RawImage(1000).record(0, 2, 0x83, 500, 501), "entry 2 (type 0x83)", "ends past the disk's last sector 999");
        assertRejected(new RawImage(1000).record(0, 3, 0x83, 0xffffffffL, 0xffffffffL), "entry 3");
        assertRejected(withExtended().record(100, 1, 0x83, 10, 40).record(100, 2, 0x05, 900, 10),
                "EBR at sector 100 links to sector 1000, past the extended partition (sectors 100-999)");
        assertRejected(withExtended().record(100, 1, 0x83, 10, 0xfffffff0L), "logical partition 5", "ends past the extended partition");
        assertRejected(new RawImage(1000).record(0, 1, 0x83, 0, 10), "entry 1", "starts at sector 0");
    }

    @Test
    void overlaps() {
        assertRejected(new RawImage(1000).record(0, 1, 0x83, 10, 100).record(0, 3, 0x0c, 50, 100),
                "entry 1 (type 0x83) (sectors 10-109) overlaps entry 3 (type 0x0c) (sectors 50-149)");
        // a logical partition over the next EBR
        assertRejected(withExtended().record(100, 1, 0x83, 10, 200).record(100, 2, 0x05, 100, 100).record(200, 1, 0x83, 1, 5),
                "logical partition 5 (type 0x83) (sectors 110-309) overlaps the EBR at sector 200");
        // a primary inside the extended partition
        assertRejected(withExtended().record(0, 4, 0x83, 500, 10), "entry 2 (type 0x05) (sectors 100-999) overlaps entry 4");
    }

    @Test
    void malformedChains() {
        assertRejected(withExtended().record(0, 3, 0x0f, 50, 10), "entry 3 is a second extended partition (entry 2 is one)");
        assertRejected(new RawImage(1000).record(0, 1, 0x05, 100, 900), "EBR at sector 100 has no 0x55AA signature");
        assertRejected(withExtended().record(100, 1, 0x83, 10, 40).record(100, 2, 0x83, 100, 100), "its second entry (type 0x83) is no link");
        assertRejected(withExtended().record(100, 1, 0x05, 10, 40), "its first entry", "is an extended link");
        assertRejected(withExtended().record(100, 1, 0x83, 0, 40), "logical partition 5", "starts on the EBR itself");
    }

    // --- GPT --------------------------------------------------------------------------------------

    private RawImage gpt() throws Exception {
        return RawImage.of(Images.sfdisk(dir, "gpt" + images++ + ".img", 32L << 20, PartitionTableTest.GPT_SCRIPT));
    }

    /** Applies {@code change} to both tables and makes their CRC32s right: only the semantic checks can catch it. */
    private RawImage both(RawImage img, Consumer<Integer> change) {
        change.accept(img.headerAt(1));
        change.accept(img.headerAt(img.lastLba()));
        return img.fixCrcs();
    }

    @Test
    void hostileGptHeaders() throws Exception {
        RawImage huge = gpt();
        assertRejected(both(huge, h -> huge.bytes.putInt(h + 80, -1)), "4294967295 entries of 128 bytes exceed the 1048576-byte bound");
        RawImage odd = gpt();
        assertRejected(both(odd, h -> odd.bytes.putInt(h + 84, 200)), "partition entry size 200 is not 128 x 2^n");
        RawImage zero = gpt();
        assertRejected(both(zero, h -> zero.bytes.putInt(h + 84, 0)), "partition entry size 0");
        RawImage intoData = gpt();
        assertRejected(both(intoData, h -> intoData.bytes.putLong(h + 72, 2048)), "entry array at LBAs 2048-2079 is not on the disk apart");
        RawImage pastEnd = gpt();
        assertRejected(both(pastEnd, h -> pastEnd.bytes.putLong(h + 72, Long.MAX_VALUE)), "entry array at LBAs 9223372036854775807");
        RawImage usable = gpt();
        assertRejected(both(usable, h -> usable.bytes.putLong(h + 48, -1)), "usable LBAs 2048-18446744073709551615 are not within");
        RawImage mine = gpt();
        assertRejected(both(mine, h -> mine.bytes.putLong(h + 24, 7)), "MyLBA is 7, not 1", "MyLBA is 7, not 65535");
        RawImage size = gpt();
        assertRejected(both(size, h -> size.bytes.putInt(h + 12, 4096)), "header size 4096 is not in 92-512");
    }

    @Test
    void hostileGptEntries_nameTheEntry() throws Exception {
        RawImage past = gpt();
        int entry2 = past.arrayAt(1) + 128;
        past.bytes.putLong(entry2 + 40, 1L << 40);
        past.bytes.putLong(past.arrayAt(past.lastLba()) + 128 + 40, 1L << 40);
        assertRejected(past.fixCrcs(), "entry 2 (\"root fs \u00fc\u00df \u65e5\u672c\") (LBAs 6144-1099511627776) is not a range within the usable LBAs");
        RawImage backwards = gpt();
        for (long lba : new long[] {1, backwards.lastLba()}) backwards.bytes.putLong(backwards.arrayAt(lba) + 32, 7000);
        assertRejected(backwards.fixCrcs(), "entry 1 (\"EFI system\") (LBAs 7000-6143)");
        RawImage overlap = gpt();
        for (long lba : new long[] {1, overlap.lastLba()}) overlap.bytes.putLong(overlap.arrayAt(lba) + 2 * 128 + 32, 14000);
        assertRejected(overlap.fixCrcs(), "entry 2 (\"root fs", "overlaps entry 3 (\"netbsd ffs\") (sectors 14000-30099)");
    }

    @Test
    void aHostilePrimaryWithAGoodBackup_usesTheBackup() throws Exception {
        RawImage img = gpt();
        List<Partition> intact = partitions(img);
        img.bytes.putInt(img.headerAt(1) + 80, Integer.MAX_VALUE);
        img.fixCrcs(1);
        assertThat(partitions(img)).isEqualTo(intact);
    }

    @Test
    void aGptTooSmallForItsHeaders() {
        RawImage tiny = new RawImage(3).record(0, 1, 0xee, 1, 2);
        assertRejected(tiny, "too small for a GPT");
        RawImage empty = new RawImage(64).record(0, 1, 0xee, 1, 63);
        assertRejected(empty, "no \"EFI PART\" signature) and so is the backup at LBA 63 (no \"EFI PART\" signature)");
    }

    @Test
    void errorsNameTheDevice() throws Exception {
        Path p = new RawImage(1000).record(0, 2, 0x83, 500, 501).write(dir.resolve("named.img"));
        try (BlockDevice dev = BlockDevices.open(tk.kernel(), p.toString(), true)) {
            assertThatThrownBy(dev::partitions).hasMessageStartingWith(p + ": MBR: entry 2");
            assertThatThrownBy(() -> dev.partition(2)).isInstanceOf(DiskException.class);
        }
    }
}
