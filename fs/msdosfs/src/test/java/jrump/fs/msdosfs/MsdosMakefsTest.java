package jrump.fs.msdosfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.Sys;
import jrump.rumpvfs.tool.MakefsTree;

/**
 * {@link Makefs}: images built from a host tree pass fsck.fat -n, {@code mcopy -s} copies the tree back
 * out identical (long names included), and the kernel's read-only mount reads it too.
 */
class MsdosMakefsTest {
    @TempDir
    Path tmp;

    /** Attributes with every time {@code nanos}: FAT keeps only the modification time of them. */
    static MakefsTree.Attrs times(long nanos) {
        return new MakefsTree.Attrs(0644, 0, 0, nanos, nanos, nanos);
    }

    /** The host tree as Makefs nodes, content read from the files. */
    static MakefsTree.Dir tree(Path dir) throws IOException {
        List<Map.Entry<String, MakefsTree.Node>> entries = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                long mtime = Files.getLastModifiedTime(p).toMillis() * 1_000_000L;
                MakefsTree.Node n;
                if (Files.isDirectory(p)) {
                    n = tree(p);
                } else {
                    n = new MakefsTree.File(times(mtime), Files.size(p), (off, dst) -> {
                        try (FileChannel ch = FileChannel.open(p)) {
                            return ch.read(dst, off);
                        }
                    });
                }
                entries.add(new AbstractMap.SimpleEntry<>(p.getFileName().toString(), n));
            }
        }
        return new MakefsTree.Dir(times(Files.getLastModifiedTime(dir).toMillis() * 1_000_000L), entries);
    }

    static Makefs.Result build(Path img, MakefsTree.Dir root, Newfs.Options o) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            return Makefs.build(root, new Makefs.Options(o, 1_700_000_000_000_000_000L), (off, data) -> {
                while (data.hasRemaining()) off += ch.write(data, off);
            });
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 0, 512", "12, 0, 512", "16, 0, 512", "32, 0, 512", "32, 0, 4096", "16, 65536, 512"})
    void treeImage_fsckCleanMcopyAndKernelReadItBack(int type, int clusterBytes, int sector) throws Exception {
        Path host = HostTrees.make(tmp.resolve("tree"), 3, type == 12 ? 40 : 700);
        long size = switch (type) {
            case 12 -> 4L << 20;
            case 32 -> sector == 4096 ? 300L << 20 : 40L << 20;
            case 16 -> clusterBytes == 65536 ? 300L << 20 : 20L << 20;
            default -> 0;
        };
        Path img = tmp.resolve("m.img");
        Makefs.Result r = build(img, tree(host), new Newfs.Options(size, type, sector, clusterBytes, "made", 0x1234));
        if (type != 0) assertThat(r.fatType()).isEqualTo(type);
        Tools.fsckClean(img);
        MsdosWriteTest.assertSameHostTree(MsdosWriteTest.copyOut(img, tmp.resolve("out")), host);
        try (Mounted m = new Mounted(img, Sys.MNT_RDONLY, null)) {
            m.assertSameTree("/mnt", host);
            assertThat(m.sys.statvfs1("/mnt", 0).bfree()).isEqualTo(r.freeClusters());
        }
    }

    @Test
    void namesFatCannotHold_refused() {
        MakefsTree.Dir bad = new MakefsTree.Dir(times(0), List.of(new AbstractMap.SimpleEntry<>("a:b", new MakefsTree.Dir(times(0), List.of()))));
        assertThatThrownBy(() -> build(tmp.resolve("x.img"), bad, Newfs.Options.of(0))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a:b");
        MakefsTree.Dir twice = new MakefsTree.Dir(times(0), List.of(new AbstractMap.SimpleEntry<>("Name", new MakefsTree.Dir(times(0), List.of())),
                new AbstractMap.SimpleEntry<>("NAME", new MakefsTree.Dir(times(0), List.of()))));
        assertThatThrownBy(() -> build(tmp.resolve("y.img"), twice, Newfs.Options.of(0))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void symlinkOrSpecialFile_refusedBeforeAnythingIsWritten() {
        MakefsTree.Node link = new MakefsTree.Symlink(times(0), "target");
        MakefsTree.Node fifo = new MakefsTree.Special(times(0), 0010000, 0, 0);
        for (MakefsTree.Node other : List.of(link, fifo)) {
            MakefsTree.Dir root = new MakefsTree.Dir(times(0), List.of(Map.entry("d", new MakefsTree.Dir(times(0), List.of(Map.entry("x", other))))));
            List<Long> writes = new ArrayList<>();
            assertThatThrownBy(() -> Makefs.build(root, new Makefs.Options(Newfs.Options.of(0), 0), (off, data) -> writes.add(off)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/d/x: FAT holds only directories and regular files");
            assertThat(writes).isEmpty();
        }
    }
}
