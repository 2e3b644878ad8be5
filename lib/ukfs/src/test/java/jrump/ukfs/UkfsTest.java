package jrump.ukfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;

/**
 * ukfs over images mke2fs made: the path-level calls read what mke2fs -d put there, change it read-write
 * (e2fsck -fn clean afterwards, debugfs reading the changes back), refuse writes read-only, refuse a second
 * writer, find a file system inside a byte window, and name what they cannot mount.
 */
class UkfsTest {
    @TempDir
    Path tmp;

    private static String tool(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    private Path image() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/dir"));
        Files.writeString(tree.resolve("file"), "hello from the image\n");
        Files.createSymbolicLink(tmp.resolve("tree/link"), Path.of("dir/file"));
        Path img = tmp.resolve("ext4.img");
        tool("mke2fs", "-q", "-F", "-t", "ext4", "-d", tmp.resolve("tree").toString(), img.toString(), "16M");
        return img;
    }

    @Test
    void readOnly_readsTheTree_andRefusesWrites() throws Exception {
        Path img = image();
        try (Ukfs u = Ukfs.mount(img, Ukfs.Options.reading())) {
            assertThat(u.type()).isEqualTo("ext2fs");
            List<String> names = u.list("/").stream().map(Ukfs.Entry::name).toList();
            assertThat(names).contains("dir", "link", "lost+found");
            ByteBuffer b = ByteBuffer.allocate(100);
            int n = u.read("/dir/file", 6, b);
            assertThat(new String(b.array(), 0, n, StandardCharsets.UTF_8)).isEqualTo("from the image\n");
            assertThat(u.readlink("/link")).isEqualTo("dir/file");
            assertThat(u.lstat("/link").mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFLNK);
            assertThat(u.stat("/link").size()).isEqualTo(21);
            assertThatThrownBy(() -> u.create("/new", 0644)).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EROFS));
            assertThatThrownBy(() -> u.stat("/missing")).isInstanceOfSatisfying(RumpException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        }
    }

    @Test
    void readWrite_changesReachTheImage() throws Exception {
        Path img = image();
        try (Ukfs u = Ukfs.mount(img, Ukfs.Options.writing())) {
            u.mkdir("/made", 0750);
            u.create("/made/notes", 0640);
            u.write("/made/notes", 0, ByteBuffer.wrap("written through ukfs".getBytes(StandardCharsets.UTF_8)));
            u.rename("/dir/file", "/made/moved");
            u.symlink("moved", "/made/again");
            u.remove("/link");
            u.chown("/made/notes", 1000, 100);
            u.utimes("/made/notes", 1_500_000_000_000_000_000L, 1_600_000_000_123_456_789L);
            assertThat(u.statvfs().bfree()).isPositive();
        }
        tool("e2fsck", "-fn", img.toString());
        assertThat(tool("debugfs", "-R", "cat /made/notes", img.toString())).contains("written through ukfs");
        assertThat(tool("debugfs", "-R", "cat /made/moved", img.toString())).contains("hello from the image");
        String stat = tool("debugfs", "-R", "stat /made/notes", img.toString());
        assertThat(stat).contains("User:  1000").contains("Group:   100").contains("mtime: 0x5f5e1000:1d6f3454");
    }

    @Test
    void absoluteSymlinks_resolveInsideTheImage_notTheKernelsRoot() throws Exception {
        Path img = image();
        try (Ukfs u = Ukfs.mount(img, Ukfs.Options.writing())) {
            u.symlink("/dir/file", "/abs");
            u.symlink("/..", "/up");
            ByteBuffer b = ByteBuffer.allocate(100);
            int n = u.read("/abs", 0, b);
            assertThat(new String(b.array(), 0, n, StandardCharsets.UTF_8)).isEqualTo("hello from the image\n");
            // ".." at the image's root stays at its root, so nothing of the kernel's own tree shows through
            assertThat(u.names("/up/").stream().map(d -> d.name()).toList()).contains("dir", "lost+found").doesNotContain("mnt", "dev");
        }
    }

    @Test
    void aSecondWriter_isRefused_readersAfterward() throws Exception {
        Path img = image();
        try (Ukfs writer = Ukfs.mount(img, Ukfs.Options.writing())) {
            assertThatThrownBy(() -> Ukfs.mount(img, Ukfs.Options.writing())).isInstanceOf(IOException.class).hasMessageContaining("in use");
            assertThatThrownBy(() -> Ukfs.mount(img, Ukfs.Options.reading())).isInstanceOf(IOException.class).hasMessageContaining("in use");
            writer.create("/x", 0644);
        }
        try (Ukfs r1 = Ukfs.mount(img, Ukfs.Options.reading()); Ukfs r2 = Ukfs.mount(img, Ukfs.Options.reading())) {
            assertThat(r1.stat("/x").size()).isZero();
            assertThat(r2.stat("/x").size()).isZero();
        }
    }

    @Test
    void aFileSystemInsideAWindow_isFound() throws Exception {
        Path img = image();
        Path disk = tmp.resolve("disk.img");
        long offset = 1 << 20;
        try (FileChannel out = FileChannel.open(disk, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileChannel in = FileChannel.open(img, StandardOpenOption.READ)) {
            in.transferTo(0, in.size(), out.position(offset));
        }
        try (Ukfs u = Ukfs.mount(disk, Ukfs.Options.reading().withWindow(offset, Files.size(img)))) {
            assertThat(u.stat("/dir/file").size()).isEqualTo(21);
        }
        assertThatThrownBy(() -> Ukfs.mount(disk, Ukfs.Options.reading())).isInstanceOf(IOException.class).hasMessageContaining("no file system");
        assertThatThrownBy(() -> Ukfs.mount(tmp.resolve("absent.img"), Ukfs.Options.reading())).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void partitionsOfAGptDisk_areMountedByNumber() throws Exception {
        Path disk = tmp.resolve("gpt.img");
        try (FileChannel c = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            c.truncate(40L << 20).write(ByteBuffer.allocate(1), (40L << 20) - 1);
        }
        Process sf = new ProcessBuilder("sfdisk", "-q", disk.toString()).redirectErrorStream(true).start();
        sf.getOutputStream().write("label: gpt\nstart=2048, size=16M\nstart=34816, size=16M\n".getBytes(StandardCharsets.US_ASCII));
        sf.getOutputStream().close();
        assertThat(sf.waitFor()).as(new String(sf.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        for (int part = 1; part <= 2; part++) {
            Path tree = Files.createDirectories(tmp.resolve("p" + part));
            Files.writeString(tree.resolve("which"), "partition " + part + "\n");
            long offset = (part == 1 ? 2048L : 34816L) * 512;
            tool("mke2fs", "-q", "-F", "-t", part == 1 ? "ext2" : "ext4", "-E", "offset=" + offset, "-d", tree.toString(), disk.toString(), "16M");
        }
        for (int part = 1; part <= 2; part++) {
            try (Ukfs u = Ukfs.mount(disk, Ukfs.Options.reading().withPartition(part))) {
                ByteBuffer b = ByteBuffer.allocate(64);
                int n = u.read("/which", 0, b);
                assertThat(new String(b.array(), 0, n, StandardCharsets.UTF_8)).isEqualTo("partition " + part + "\n");
            }
        }
        assertThatThrownBy(() -> Ukfs.mount(disk, Ukfs.Options.reading().withPartition(3)))
                .isInstanceOf(IOException.class).hasMessageContaining("no partition 3 (it has 1, 2)");
        Path plain = image();
        assertThatThrownBy(() -> Ukfs.mount(plain, Ukfs.Options.reading().withPartition(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("has no partition table");
    }

    @Test
    void detection_byEachFormatsMagic() throws Exception {
        assertThat(detect(b -> b.put(16 * 2048 + 1, "CD001".getBytes(StandardCharsets.US_ASCII)), 64 << 10)).isEqualTo("cd9660");
        assertThat(detect(b -> b.putShort(1080, (short) 0xEF53), 8192)).isEqualTo("ext2fs");
        assertThat(detect(b -> b.putInt(65536 + 0x55C, 0x19540119), 128 << 10)).isEqualTo("ffs");
        assertThat(detect(b -> b.putInt(8192 + 0x55C, 0x011954), 128 << 10)).isEqualTo("ffs");
        assertThat(detect(b -> b.putInt(65536 + 0x55C, 0x19012038), 128 << 10)).as("NetBSD 10's UFS2 with attributes").isEqualTo("ffs");
        assertThat(detect(b -> b.putShort(11, (short) 512).put(13, (byte) 4).putShort(14, (short) 1).put(16, (byte) 2)
                .put(510, (byte) 0x55).put(511, (byte) 0xAA), 4096)).isEqualTo("msdos");
        assertThat(detect(b -> b.put(510, (byte) 0x55).put(511, (byte) 0xAA), 4096)).as("an MBR alone is no FAT").isNull();
        assertThat(detect(b -> { }, 4096)).isNull();
    }

    private String detect(java.util.function.Consumer<ByteBuffer> fill, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        Path f = Files.write(tmp.resolve("probe" + System.nanoTime()), b.array());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            return FsDetect.detect(ch, 0, size);
        }
    }
}
