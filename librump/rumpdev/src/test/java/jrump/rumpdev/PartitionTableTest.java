package jrump.rumpdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.Vop;

/** Partition tables of images made by sfdisk and sgdisk, compared with what sfdisk --json reads in them. */
class PartitionTableTest {
    static final String DOS_SCRIPT = """
            label: dos
            label-id: 0x12345678
            start=2048, size=8192, type=83, bootable
            start=10240, size=16384, type=c
            start=26624, size=90112, type=5
            start=120000, size=512, type=a9
            size=4096, type=83
            size=8192, type=82
            size=2048, type=7
            size=20480, type=83
            """;
    static final String GPT_SCRIPT = """
            label: gpt
            label-id: 01234567-89AB-CDEF-0123-456789ABCDEF
            start=2048, size=4096, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI system", attrs="RequiredPartition"
            size=8192, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root fs \u00fc\u00df \u65e5\u672c", attrs="LegacyBIOSBootable GUID:60"
            start=30000, size=100, type=49F48D32-B12E-11D9-A3B5-EF1DF4D7EA9F, name="netbsd ffs"
            size=2048, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F
            """;

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

    private BlockDevice open(Path image, boolean readOnly) throws DiskException {
        return BlockDevices.open(tk.kernel(), image.toString(), readOnly);
    }

    /** Our partitions are sfdisk's, entry by entry. */
    static void assertMatchesSfdisk(List<Partition> ours, Path image) throws Exception {
        List<Map<String, Object>> theirs = Images.sfdiskPartitions(image);
        assertThat(ours).extracting(Partition::number)
                .containsExactlyInAnyOrderElementsOf(theirs.stream().map(p -> Images.number(p, image)).toList());
        for (Map<String, Object> t : theirs) {
            Partition p = ours.stream().filter(o -> o.number() == Images.number(t, image)).findFirst().orElseThrow();
            assertThat(p.offset()).as("start of %s", t.get("node")).isEqualTo((Long) t.get("start") * 512);
            assertThat(p.size()).as("size of %s", t.get("node")).isEqualTo((Long) t.get("size") * 512);
            switch (p) {
                case MbrPartition m -> {
                    assertThat(m.type()).as("type of %s", t.get("node")).isEqualTo(Integer.parseInt((String) t.get("type"), 16));
                    assertThat(m.bootable()).isEqualTo(Boolean.TRUE.equals(t.get("bootable")));
                }
                case GptPartition g -> {
                    assertThat(g.type()).isEqualTo(UUID.fromString((String) t.get("type")));
                    assertThat(g.uuid()).isEqualTo(UUID.fromString((String) t.get("uuid")));
                    assertThat(g.name()).isEqualTo(t.getOrDefault("name", ""));
                    assertThat(g.attributes()).as("attributes of %s", t.get("node")).isEqualTo(attributes((String) t.get("attrs")));
                }
            }
        }
    }

    /** sfdisk's attribute words as bits. */
    private static long attributes(String attrs) {
        long bits = 0;
        if (attrs == null) return 0;
        for (String word : attrs.split(" ")) {
            bits |= switch (word) {
                case "RequiredPartition" -> GptPartition.ATTR_REQUIRED_PARTITION;
                case "NoBlockIOProtocol" -> GptPartition.ATTR_NO_BLOCK_IO_PROTOCOL;
                case "LegacyBIOSBootable" -> GptPartition.ATTR_LEGACY_BIOS_BOOTABLE;
                default -> 1L << Integer.parseInt(word.substring("GUID:".length()));
            };
        }
        return bits;
    }

    @Test
    void dosLabel_primariesExtendedAndLogicals_asSfdiskReadsThem() throws Exception {
        Path img = Images.sfdisk(dir, "dos.img", 64L << 20, DOS_SCRIPT);
        try (BlockDevice dev = open(img, true)) {
            List<Partition> parts = dev.partitions();
            assertMatchesSfdisk(parts, img);
            assertThat(parts).extracting(p -> ((MbrPartition) p).kind()).containsExactly(
                    MbrPartition.Kind.PRIMARY, MbrPartition.Kind.PRIMARY, MbrPartition.Kind.EXTENDED, MbrPartition.Kind.PRIMARY,
                    MbrPartition.Kind.LOGICAL, MbrPartition.Kind.LOGICAL, MbrPartition.Kind.LOGICAL, MbrPartition.Kind.LOGICAL);
        }
    }

    @Test
    void gptLabel_namesTypesUuidsAndAttributes_asSfdiskReadsThem() throws Exception {
        Path img = Images.sfdisk(dir, "gpt.img", 32L << 20, GPT_SCRIPT);
        try (BlockDevice dev = open(img, true)) {
            List<Partition> parts = dev.partitions();
            assertThat(parts).hasSize(4).allMatch(p -> p instanceof GptPartition);
            assertMatchesSfdisk(parts, img);
            GptPartition root = (GptPartition) parts.get(1);
            assertThat(root.name()).isEqualTo("root fs \u00fc\u00df \u65e5\u672c");
            assertThat(root.hasAttribute(GptPartition.ATTR_LEGACY_BIOS_BOOTABLE)).isTrue();
            assertThat(root.typeSpecificAttributes()).isEqualTo(1 << (60 - 48));
        }
    }

    @Test
    void sgdiskTableOf200Entries_withAGapInTheNumbers() throws Exception {
        Path img = dir.resolve("sg.img");
        try (FileChannel f = FileChannel.open(img, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            f.write(ByteBuffer.allocate(1), (16L << 20) - 1);
        }
        Images.run(null, "sgdisk", "-o", "--resize-table=200", "-n", "1:2048:+1M", "-c", "1:alpha", "-t", "1:8300",
                "-n", "3:0:+2M", "-c", "3:gamma", "-t", "3:a902", "-A", "3:set:2", "-A", "3:set:63", img.toString());
        try (BlockDevice dev = open(img, true)) {
            List<Partition> parts = dev.partitions();
            assertThat(parts).extracting(Partition::number).containsExactly(1, 3);
            assertMatchesSfdisk(parts, img);
            assertThatThrownBy(() -> dev.partition(2)).isInstanceOfSatisfying(DiskException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.ENXIO.number());
                assertThat(e.getMessage()).contains("no partition 2").contains("[1, 3]");
            });
        }
    }

    @Test
    void ioThroughAPartition_landsAtItsHostOffset_andStaysInside() throws Exception {
        for (String label : List.of("dos", "gpt")) {
            Path img = label.equals("dos") ? Images.sfdisk(dir, "io-dos.img", 64L << 20, DOS_SCRIPT)
                    : Images.sfdisk(dir, "io-gpt.img", 32L << 20, GPT_SCRIPT);
            int number = label.equals("dos") ? 6 : 3;
            long start;
            long size;
            try (BlockDevice disk = open(img, false); BlockDevice part = disk.partition(number)) {
                Partition p = disk.partitions().stream().filter(x -> x.number() == number).findFirst().orElseThrow();
                start = p.offset();
                size = p.size();
                assertThat(part.size()).isEqualTo(size);
                assertThat(part.hostOffset()).isEqualTo(start);
                byte[] first = new byte[1024];
                Arrays.fill(first, (byte) 0xa1);
                byte[] last = new byte[512];
                Arrays.fill(last, (byte) 0xb2);
                assertThat(write(part, 0, first).error).isZero();
                assertThat(write(part, size / 512 - 1, last).error).isZero();
                // one more sector would be the next partition's: end of media instead
                Buf beyond = write(part, size / 512, last);
                assertThat(beyond.error).isZero();
                assertThat(beyond.resid).isEqualTo(512);
                assertThat(write(part, size / 512 + 1, last).error).isEqualTo(Errno.EINVAL.number());
                // and read back through the whole disk's device
                ByteBuffer back = ByteBuffer.allocate(1024);
                assertThat(Vop.strategy(disk.vnode(), new Buf(start / 512, back, true))).isZero();
                assertThat(back.array()).containsOnly(0xa1);
            }
            byte[] host = Files.readAllBytes(img);
            assertThat(Arrays.copyOfRange(host, (int) start, (int) start + 1024)).as(label).containsOnly(0xa1);
            assertThat(Arrays.copyOfRange(host, (int) (start + size - 512), (int) (start + size))).as(label).containsOnly(0xb2);
            assertThat(host[(int) (start + size)]).as(label).isNotEqualTo((byte) 0xb2);
            assertThat(host[(int) start - 1]).as(label).isNotEqualTo((byte) 0xa1);
        }
    }

    private static Buf write(BlockDevice dev, long blkno, byte[] data) {
        Buf bp = new Buf(blkno, ByteBuffer.wrap(data), false);
        assertThat(Vop.strategy(dev.vnode(), bp)).isZero();
        return bp;
    }

    @Test
    void aPartitionHasPartitionsOfItsOwn() throws Exception {
        Path outer = Images.sfdisk(dir, "outer.img", 8L << 20, "label: dos\nstart=2048, size=8192, type=a9\n");
        Path inner = Images.sfdisk(dir, "inner.img", 8192L * 512, "label: dos\nstart=64, size=1000, type=83\nstart=2048, size=4096, type=c\n");
        byte[] table = Arrays.copyOf(Files.readAllBytes(inner), 512);
        try (FileChannel f = FileChannel.open(outer, StandardOpenOption.WRITE)) {
            f.write(ByteBuffer.wrap(table), 2048L * 512);
        }
        try (BlockDevice disk = open(outer, true); BlockDevice slice = disk.partition(1)) {
            assertMatchesSfdisk(slice.partitions(), inner);
            try (BlockDevice nested = slice.partition(2)) {
                assertThat(nested.hostOffset()).isEqualTo((2048L + 2048) * 512);
                assertThat(nested.size()).isEqualTo(4096L * 512);
            }
        }
    }

    @Test
    void aDamagedPrimaryGpt_isReadFromTheBackup() throws Exception {
        Path img = Images.sfdisk(dir, "gpt.img", 32L << 20, GPT_SCRIPT);
        List<Partition> intact;
        try (BlockDevice dev = open(img, true)) {
            intact = dev.partitions();
        }
        byte[] pristine = Files.readAllBytes(img);
        // one flipped byte in the header (its CRC fails), then one in the entry array (the array's CRC fails)
        for (long at : new long[] {512 + 40, 2 * 512 + 130}) {
            Files.write(img, pristine);
            flip(img, at);
            try (BlockDevice dev = open(img, true)) {
                assertThat(dev.partitions()).as("byte %d flipped", at).isEqualTo(intact);
            }
        }
        // and with the backup damaged too, a clear error with both reasons
        Files.write(img, pristine);
        flip(img, 512 + 40);
        long backupHeader = pristine.length - 512L;
        flip(img, backupHeader + 40);
        try (BlockDevice dev = open(img, true)) {
            assertThatThrownBy(dev::partitions).isInstanceOfSatisfying(DiskException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.EFTYPE.number());
                assertThat(e.getMessage()).contains("primary table at LBA 1 is damaged (header CRC32")
                        .contains("backup at LBA " + (backupHeader / 512) + " (header CRC32");
            });
        }
        // the reader never repairs: the image is as we left it
        byte[] now = Files.readAllBytes(img);
        assertThat(now[512 + 40]).isEqualTo((byte) ~pristine[512 + 40]);
    }

    static void flip(Path img, long at) throws Exception {
        try (FileChannel f = FileChannel.open(img, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            f.read(b, at);
            b.put(0, (byte) ~b.get(0));
            f.write(b.rewind(), at);
        }
    }

    @Test
    void noPartitionTable_meansNoPartitions() throws Exception {
        Path zeros = dir.resolve("zeros.img");
        Files.write(zeros, new byte[64 * 512]);
        Path tiny = dir.resolve("tiny.img");
        Files.write(tiny, new byte[300]);
        // a FAT boot sector: 0x55AA at the end, but code where an MBR has its boot indicators
        byte[] fat = new byte[64 * 512];
        fat[0] = (byte) 0xeb;
        fat[1] = 0x3c;
        fat[2] = (byte) 0x90;
        for (int i = 446; i < 510; i++) fat[i] = (byte) (i * 31);
        fat[510] = 0x55;
        fat[511] = (byte) 0xaa;
        Path fatImg = dir.resolve("fat.img");
        Files.write(fatImg, fat);
        for (Path p : List.of(zeros, tiny, fatImg)) {
            try (BlockDevice dev = open(p, true)) {
                assertThat(dev.partitions()).as(p.toString()).isEmpty();
            }
        }
    }
}
