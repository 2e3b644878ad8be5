package jrump.fs.msdosfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;

/**
 * A full volume: a write that does not fit is ENOSPC with nothing of it taken, the free count reaches 0
 * and comes back at unlink; a full fixed FAT12/16 root directory is ENOSPC while subdirectories grow;
 * fsck.fat -n finds the volume clean after each.
 */
class MsdosFullTest {
    @TempDir
    Path tmp;

    @Test
    void fullVolume_enospcTakesNothing_andSpaceComesBack() throws Exception {
        Path img = tmp.resolve("full.img");
        MsdosNewfsTest.newfs(img, new Newfs.Options(1L << 20, 12, 512, 1024, null, 1));
        try (Mounted m = new Mounted(img)) {
            long free = m.sys.statvfs1("/mnt", 0).bfree();
            m.write("/mnt/half", new byte[(int) (free / 2 * 1024)]);
            int fd = m.sys.open("/mnt/rest", Sys.O_CREAT | Sys.O_WRONLY, 0644);
            byte[] chunk = new byte[64 << 10];
            Errno e;
            long written = 0;
            while ((e = errnoOf(() -> m.sys.write(fd, ByteBuffer.wrap(chunk)))) == null) written += chunk.length;
            assertThat(e).isEqualTo(Errno.ENOSPC);
            assertThat(m.sys.fstat(fd).size()).as("the refused write took nothing").isEqualTo(written);
            // what is left is less than a chunk: it can still be filled to the last cluster
            long left = m.sys.statvfs1("/mnt", 0).bfree() * 1024;
            assertThat(m.sys.write(fd, ByteBuffer.wrap(new byte[(int) left]))).isEqualTo(left);
            assertThat(m.sys.statvfs1("/mnt", 0).bfree()).isZero();
            assertThat(errnoOf(() -> m.sys.mkdir("/mnt/no room", 0755))).isEqualTo(Errno.ENOSPC);
            m.sys.close(fd);
            m.sys.unlink("/mnt/half");
            assertThat(m.sys.statvfs1("/mnt", 0).bfree()).isEqualTo(free / 2);
            m.sys.mkdir("/mnt/room again", 0755);
        }
        Tools.fsckClean(img);
    }

    @Test
    void fixedRoot_fillsUp_subdirectoriesGrow() throws Exception {
        Path img = Tools.mkfs(tmp.resolve("root.img"), 16, "-F", "16", "-s", "2", "-r", "112");
        int rootEntries;
        try (Damage d = new Damage(img)) {
            rootEntries = d.bpb.rootEntries;
        }
        try (Mounted m = new Mounted(img)) {
            int made = 0;
            while (errnoOf(() -> m.write("/mnt/F" + Integer.toString(m.names("/mnt").size()), new byte[0])) == null) made++;
            assertThat(made).isEqualTo(rootEntries);
            assertThat(errnoOf(() -> m.sys.mkdir("/mnt/D", 0755))).isEqualTo(Errno.ENOSPC);
            m.sys.unlink("/mnt/F0");
            m.sys.mkdir("/mnt/D", 0755);
            for (int i = 0; i < 300; i++) m.write("/mnt/D/a long name that takes three slots " + i, new byte[0]);
            assertThat(m.names("/mnt/D")).hasSize(300);
        }
        Tools.fsckClean(img);
    }
}
