package jrump.fs.msdosfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Newfs}: the FAT type and cluster size mkfs.fat chooses for each size, forced types, sector sizes
 * and labels; fsck.fat -n finds every image clean and mtools and the kernel use it.
 */
class MsdosNewfsTest {
    @TempDir
    Path tmp;

    static Newfs.Result newfs(Path img, Newfs.Options o) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            return Newfs.format(o, (off, data) -> {
                while (data.hasRemaining()) off += ch.write(data, off);
            });
        }
    }

    static Bpb bootSector(Path img) throws Exception {
        byte[] s = new byte[4096];
        try (FileChannel ch = FileChannel.open(img)) {
            ch.read(ByteBuffer.wrap(s), 0);
        }
        return Bpb.parse(s);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 9, 100, 140, 300, 600})
    void typeAndClusterSize_asMkfsFatChooses(int mib) throws Exception {
        Path ours = tmp.resolve("ours.img");
        Newfs.Result r = newfs(ours, Newfs.Options.of(mib * (1L << 20)));
        Path theirs = Tools.mkfs(tmp.resolve("theirs.img"), mib);
        Bpb t = bootSector(theirs);
        Bpb o = bootSector(ours);
        assertThat(o.type).as("FAT type for %d MiB", mib).isEqualTo(t.type);
        assertThat(o.clusterBytes).as("cluster size for %d MiB", mib).isEqualTo(t.clusterBytes);
        assertThat(r.fatType()).isEqualTo(t.type.bits);
        Tools.fsckClean(ours);
        Tools.ok("mdir", "-i", ours.toString(), "::/");
    }

    @ParameterizedTest
    @CsvSource({"12, 4, 512", "16, 20, 512", "32, 40, 512", "16, 64, 4096", "32, 300, 4096", "32, 100, 1024"})
    void forcedTypesAndSectorSizes_fsckCleanAndWritable(int type, int mib, int sector) throws Exception {
        Path img = tmp.resolve("f.img");
        Newfs.Result r = newfs(img, new Newfs.Options(mib * (1L << 20), type, sector, 0, "Jrump Vol", 0xCAFEF00DL));
        assertThat(r.fatType()).isEqualTo(type);
        Bpb b = bootSector(img);
        assertThat(b.bytesPerSector).isEqualTo(sector);
        assertThat(b.type.bits).isEqualTo(type);
        Tools.fsckClean(img);
        assertThat(Tools.ok("mlabel", "-s", "-i", img.toString(), "::")).contains("JRUMP VOL");
        try (Mounted m = new Mounted(img)) {
            m.sys.mkdir("/mnt/a directory", 0755);
            m.write("/mnt/a directory/a file.txt", "on a new file system".getBytes());
            assertThat(m.sys.statvfs1("/mnt", 0).bfree()).isEqualTo(r.freeClusters() - 2);
        }
        Tools.fsckClean(img);
        assertThat(Tools.ok("mtype", "-i", img.toString(), "::/a directory/a file.txt")).isEqualTo("on a new file system");
    }

    @Test
    void impossibleRequests_refused() {
        assertThatThrownBy(() -> Newfs.layout(new Newfs.Options(4L << 20, 32, 512, 0, null, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FAT32");
        assertThatThrownBy(() -> new Newfs.Options(1L << 20, 0, 768, 0, null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Newfs.Options(1L << 20, 0, 512, 3000, null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Newfs.Options(1L << 20, 0, 512, 0, "twelve chars", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
