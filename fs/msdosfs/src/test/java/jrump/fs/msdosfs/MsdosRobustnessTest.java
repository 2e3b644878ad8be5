package jrump.fs.msdosfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;

/**
 * Damaged images through the kernel: boot sectors that cannot be right refuse the mount with an errno;
 * chains that loop or leave the volume, sizes past the chain and directory cycles end in EIO, never in a
 * hang (the timeout only guards against one), an exception or a panic; the kernel halts cleanly after.
 */
@Timeout(120)
class MsdosRobustnessTest {
    @TempDir
    Path tmp;

    private Path image(int type) throws Exception {
        Path host = tmp.resolve("t" + type);
        Files.createDirectories(host.resolve("SUB"));
        byte[] a = new byte[5000];
        new java.util.SplittableRandom(1).nextBytes(a);
        Files.write(host.resolve("A.TXT"), a);
        Files.write(host.resolve("SUB/C.TXT"), "c".getBytes());
        Path img = tmp.resolve("i" + type + ".img");
        long size = type == 32 ? 40L << 20 : 20L << 20;
        MsdosMakefsTest.build(img, MsdosMakefsTest.tree(host), new Newfs.Options(size, type, 512, type == 32 ? 512 : 2048, null, 7));
        return img;
    }

    private static Errno mountError(Path img) {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            rk.syscalls().mkdir("/mnt", 0755);
            return errnoOf(() -> rk.syscalls().mount("msdos", "/mnt", 0, "/dev/img"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void damagedBootSectors_refusedWithAnErrno(int type) throws Exception {
        record Case(int offset, byte[] bytes, Errno expected) {
        }
        Case[] cases = {
                new Case(0, new byte[512], Errno.EFTYPE),                                  // nothing there
                new Case(Bpb.BPB_BYTS_PER_SEC, new byte[] {44, 1}, Errno.EIO),            // 300-byte sectors
                new Case(Bpb.BPB_SEC_PER_CLUS, new byte[] {3}, Errno.EIO),                // not a power of two
                new Case(Bpb.BPB_NUM_FATS, new byte[] {0}, Errno.EIO),
                new Case(Bpb.BPB_RSVD_SEC_CNT, new byte[] {0, 0}, Errno.EIO),
                new Case(Bpb.BPB_MEDIA, new byte[] {0x12}, Errno.EIO),
                new Case(Bpb.BPB_TOT_SEC32, new byte[] {5, 0, 0, 0}, Errno.EIO),         // smaller than its own FATs
                new Case(Bpb.BPB_TOT_SEC16, new byte[] {5, 0}, Errno.EIO),
        };
        for (Case c : cases) {
            Path img = image(type);
            try (Damage d = new Damage(img)) {
                if (c.offset() == Bpb.BPB_TOT_SEC16 && type == 32) continue;
                if (c.offset() == Bpb.BPB_TOT_SEC32 && type == 16) d.write(Bpb.BPB_TOT_SEC16, new byte[2]);
                d.write(c.offset(), c.bytes());
            }
            assertThat(mountError(img)).as("boot sector byte %d", c.offset()).isEqualTo(c.expected());
        }
        if (type == 32) {
            Path img = image(type);
            try (Damage d = new Damage(img)) {
                d.putU32(Bpb.BPB_ROOT_CLUS, 0x0FFFFFF0L);
            }
            assertThat(mountError(img)).as("root cluster outside the volume").isEqualTo(Errno.EIO);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void badChainsAndCycles_endInEio(int type) throws Exception {
        Path img = image(type);
        long a;
        long sub;
        try (Damage d = new Damage(img)) {
            a = d.entry(d.rootEntry("A       TXT")).firstCluster;
            sub = d.entry(d.rootEntry("SUB        ")).firstCluster;
        }
        // a chain that loops back on itself
        try (Damage d = new Damage(img)) {
            d.setFat(-1, a + 1, a);
        }
        try (Mounted m = new Mounted(img)) {
            assertThat(errnoOf(() -> m.read("/mnt/A.TXT"))).isEqualTo(Errno.EIO);
            assertThat(errnoOf(() -> m.sys.truncate("/mnt/A.TXT", 1))).isEqualTo(Errno.EIO);
            assertThat(new String(m.read("/mnt/SUB/C.TXT"))).as("the rest still reads").isEqualTo("c");
        }
        // a chain that leaves the volume
        try (Damage d = new Damage(img)) {
            d.setFat(-1, a + 1, d.bpb.maxCluster() + 7);
        }
        try (Mounted m = new Mounted(img)) {
            assertThat(errnoOf(() -> m.read("/mnt/A.TXT"))).isEqualTo(Errno.EIO);
        }
        // a size past the chain's end
        try (Damage d = new Damage(img)) {
            d.setFat(-1, a + 1, d.bpb.type.eoc);
            long pos = d.rootEntry("A       TXT");
            DirEntry e = d.entry(pos);
            e.size = 1 << 20;
            d.putEntry(pos, e);
        }
        try (Mounted m = new Mounted(img)) {
            assertThat(errnoOf(() -> m.read("/mnt/A.TXT"))).isEqualTo(Errno.EIO);
        }
        // a directory that holds itself, and one that holds its parent
        try (Damage d = new Damage(img)) {
            long pos = d.entryIn(sub, "C       TXT");
            DirEntry e = d.entry(pos);
            e.attr = DirEntry.ATTR_DIRECTORY;
            e.firstCluster = sub;
            e.size = 0;
            d.putEntry(pos, e);
        }
        try (Mounted m = new Mounted(img)) {
            assertThat(errnoOf(() -> m.sys.stat("/mnt/SUB/C.TXT"))).isEqualTo(Errno.EIO);
            assertThat(errnoOf(() -> m.sys.rename("/mnt/A.TXT", "/mnt/SUB/C.TXT/x"))).isEqualTo(Errno.EIO);
        }
        assertThat(MsdosFsckTest.fsck(img).exitStatus()).isEqualTo(Fsck.EXIT_UNCORRECTED);
    }
}
