package jrump.p2k;

import static jrump.p2k.Mounted.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.ukfs.Ukfs;

/**
 * File semantics through the mount with plain java.nio (the JDK's Linux provider underneath, so each call is
 * an ordinary system call on a FUSE file): rename over a file, unlink of an open file, hard links, symlinks,
 * chmod, times, truncate, O_APPEND, xattrs, a large directory read in several READDIRs, and the Linux errno
 * of failures (ENOTEMPTY, EEXIST, ENOENT, EROFS differ from NetBSD's numbers). ext2 read-write (e2fsck -fn
 * clean afterwards), ext2 read-only (the image is not changed by a single byte) and tmpfs.
 */
class P2kPosixTest {
    @TempDir
    Path tmp;

    private Path ext2(String name) throws Exception {
        Path img = tmp.resolve(name);
        run(tmp, List.of("mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", img.toString(), "32M"));
        return img;
    }

    @Test
    void ext2FileSemantics() throws Exception {
        Path img = ext2("posix.img");
        try (Mounted m = Mounted.image(tmp, img, Ukfs.Options.writing(), P2k.Options.defaults())) {
            fileSemantics(m.mnt, true);
        }
        run(tmp, List.of("e2fsck", "-fn", img.toString()));
        assertThat(run(tmp, List.of("debugfs", "-R", "cat /appended", img.toString()))).contains("onetwothree");
    }

    @Test
    void tmpfsFileSemantics() throws Exception {
        try (Mounted m = Mounted.tmpfs(tmp, P2k.Options.defaults().withThreads(2))) {
            fileSemantics(m.mnt, false);
        }
    }

    private static void fileSemantics(Path mnt, boolean xattrs) throws Exception {
        // rename over an existing file
        Path a = Files.writeString(mnt.resolve("a"), "new");
        Path b = Files.writeString(mnt.resolve("b"), "old");
        Files.move(a, b, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(b)).isEqualTo("new");
        assertThat(Files.exists(a)).isFalse();
        assertThatThrownBy(() -> Files.readString(a)).isInstanceOf(NoSuchFileException.class);

        // unlink of an open file: its data stays readable and writable through the descriptor
        Path u = Files.writeString(mnt.resolve("unlinked"), "still here");
        try (FileChannel ch = FileChannel.open(u, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Files.delete(u);
            assertThat(Files.exists(u)).isFalse();
            try (Stream<Path> s = Files.list(mnt)) {
                assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("unlinked");
            }
            ch.write(ByteBuffer.wrap("!".getBytes(StandardCharsets.UTF_8)), 10);
            ByteBuffer back = ByteBuffer.allocate(32);
            ch.read(back, 0);
            assertThat(new String(back.array(), 0, back.position(), StandardCharsets.UTF_8)).isEqualTo("still here!");
        }

        // hard links share the inode: nlink, writes seen through either name, removing one keeps the other
        Path h1 = Files.writeString(mnt.resolve("h1"), "shared");
        Path h2 = Files.createLink(mnt.resolve("h2"), h1);
        assertThat(Files.getAttribute(h1, "unix:nlink")).isEqualTo(2);
        assertThat(Files.getAttribute(h2, "unix:ino")).isEqualTo(Files.getAttribute(h1, "unix:ino"));
        Files.writeString(h2, "changed");
        assertThat(Files.readString(h1)).isEqualTo("changed");
        Files.delete(h1);
        assertThat(Files.readString(h2)).isEqualTo("changed");
        assertThat(Files.getAttribute(h2, "unix:nlink")).isEqualTo(1);

        // symlinks: relative and dangling, read and followed
        Files.createDirectory(mnt.resolve("dir"));
        Files.writeString(mnt.resolve("dir/target"), "via link");
        Path l = Files.createSymbolicLink(mnt.resolve("l"), Path.of("dir/target"));
        assertThat(Files.isSymbolicLink(l)).isTrue();
        assertThat(Files.readSymbolicLink(l)).isEqualTo(Path.of("dir/target"));
        assertThat(Files.readString(l)).isEqualTo("via link");
        Path dangling = Files.createSymbolicLink(mnt.resolve("dangling"), Path.of("nowhere"));
        assertThat(Files.exists(dangling)).isFalse();
        assertThat(Files.exists(dangling, LinkOption.NOFOLLOW_LINKS)).isTrue();
        Files.move(mnt.resolve("dir/target"), mnt.resolve("dir/moved"));
        assertThat(Files.exists(l)).isFalse();

        // chmod and times
        Files.setPosixFilePermissions(h2, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(h2))).isEqualTo("rw-r-----");
        FileTime t = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(h2, t);
        assertThat(Files.getLastModifiedTime(h2)).isEqualTo(t);

        // truncate down and up (the grown part reads as zeros)
        Path tr = Files.write(mnt.resolve("trunc"), new byte[10_000]);
        try (FileChannel ch = FileChannel.open(tr, StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertThat(Files.size(tr)).isEqualTo(100);
        try (FileChannel ch = FileChannel.open(tr, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {7}), 200_000);
        }
        byte[] grown = Files.readAllBytes(tr);
        assertThat(grown).hasSize(200_001);
        assertThat(grown[150_000]).isZero();
        assertThat(grown[200_000]).isEqualTo((byte) 7);

        // O_APPEND from two writers
        Path ap = mnt.resolve("appended");
        Files.writeString(ap, "one");
        try (FileChannel c1 = FileChannel.open(ap, StandardOpenOption.APPEND);
             FileChannel c2 = FileChannel.open(ap, StandardOpenOption.APPEND)) {
            c1.write(ByteBuffer.wrap("two".getBytes(StandardCharsets.UTF_8)));
            c2.write(ByteBuffer.wrap("three".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Files.readString(ap)).isEqualTo("onetwothree");

        // a directory larger than one READDIR reply
        Path big = Files.createDirectory(mnt.resolve("many"));
        for (int i = 0; i < 1500; i++) Files.createFile(big.resolve("entry-with-a-longish-name-" + i));
        try (Stream<Path> s = Files.list(big)) {
            assertThat(s.count()).isEqualTo(1500);
        }

        // Linux errno values: ENOTEMPTY (NetBSD 66), EEXIST, ENOENT
        assertThatThrownBy(() -> Files.delete(big)).isInstanceOf(DirectoryNotEmptyException.class);
        assertThatThrownBy(() -> Files.createDirectory(big)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.move(ap, h2)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.delete(mnt.resolve("absent"))).isInstanceOf(NoSuchFileException.class);

        if (xattrs) {
            UserDefinedFileAttributeView x = Files.getFileAttributeView(h2, UserDefinedFileAttributeView.class);
            x.write("colour", ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));
            assertThat(x.list()).contains("colour");
            ByteBuffer v = ByteBuffer.allocate(x.size("colour"));
            x.read("colour", v);
            assertThat(new String(v.array(), StandardCharsets.UTF_8)).isEqualTo("blue");
            x.delete("colour");
            assertThat(x.list()).doesNotContain("colour");
        }
    }

    @Test
    void readOnlyMountRefusesWritesAndLeavesTheImageAlone() throws Exception {
        Path src = Trees.make(tmp.resolve("ro-src"), 40, true, 0x20);
        Path img = tmp.resolve("ro.img");
        run(tmp, List.of("mke2fs", "-q", "-F", "-t", "ext2", "-d", src.toString(), img.toString(), "16M"));
        String before = sha256(img);
        try (Mounted m = Mounted.image(tmp, img, Ukfs.Options.reading(), P2k.Options.defaults())) {
            Mounted.sh(tmp, "diff -r -x lost+found " + src + " " + m.mnt);
            assertThatThrownBy(() -> Files.writeString(m.mnt.resolve("new"), "x"))
                    .isInstanceOf(FileSystemException.class).hasMessageContaining("Read-only file system");
            assertThatThrownBy(() -> Files.delete(m.mnt.resolve("README")))
                    .isInstanceOf(FileSystemException.class).hasMessageContaining("Read-only file system");
        }
        assertThat(sha256(img)).isEqualTo(before);
    }

    /**
     * Read-only mounts open files without a message (OPEN answered ENOSYS, no RELEASE): each node's reads go
     * through a descriptor p2k keeps, at most jrump.p2k.cachedFds of them (2 here, so that nearly every read
     * closes another node's descriptor, some while other readers use them). Every byte must still come out
     * right: cp -a out of the mount, eight parallel cat loops over every file, and reads at offsets.
     */
    @Test
    void readOnlyMountReadsWithoutOpenMessages() throws Exception {
        Path src = Trees.make(tmp.resolve("zo-src"), 200, true, 0x21);
        Path img = tmp.resolve("zo.img");
        run(tmp, List.of("mke2fs", "-q", "-F", "-t", "ext4", "-d", src.toString(), img.toString(), "32M"));
        String before = sha256(img);
        System.setProperty("jrump.p2k.cachedFds", "2");
        try (Mounted m = Mounted.image(tmp, img, Ukfs.Options.reading(), P2k.Options.defaults())) {
            Path out = tmp.resolve("zo-out");
            Mounted.sh(tmp, "cp -a " + m.mnt + " " + out + " && rm -rf " + out + "/lost+found && diff -r " + src + " " + out);
            String sums = Mounted.sh(src, "find . -type f -print0 | sort -z | xargs -0 md5sum");
            String mounted = Mounted.sh(m.mnt, "find . -path ./lost+found -prune -o -type f -print0 | sort -z | xargs -0 -n 7 -P 8 md5sum | sort -k 2");
            assertThat(mounted.lines().sorted().toList()).isEqualTo(sums.lines().sorted().toList());
            String file = Mounted.sh(src, "find . -type f -size +4k | sort | head -1").strip();
            assertThat(file).as("the tree has a file over 4 KiB").isNotEmpty();
            assertThat(Mounted.sh(m.mnt, "tail -c 1000 " + file + " | md5sum")).isEqualTo(Mounted.sh(src, "tail -c 1000 " + file + " | md5sum"));
        } finally {
            System.clearProperty("jrump.p2k.cachedFds");
        }
        assertThat(sha256(img)).isEqualTo(before);
    }

    /**
     * umount(2) does not wait for a FUSE daemon, so p2k writes a read-write image back once changes stop
     * (IdleSync): while the mount is still up and idle, e2fsck finds the image clean and debugfs reads what
     * was written through the mount, within a few seconds and without any unmount or sync(1).
     */
    @Test
    void imageIsConsistentSoonAfterChangesStopWhileStillMounted() throws Exception {
        Path src = Trees.make(tmp.resolve("idle-src"), 60, true, 0x22);
        Path img = tmp.resolve("idle.img");
        run(tmp, List.of("mke2fs", "-q", "-F", "-t", "ext2", img.toString(), "32M"));
        try (Mounted m = Mounted.image(tmp, img, Ukfs.Options.writing(), P2k.Options.defaults())) {
            Mounted.sh(tmp, "cp -a " + src + " " + m.mnt + "/copied && rm " + m.mnt + "/copied/d1/e1/f1.bin");
            boolean written = false;
            for (int i = 0; i < 40 && !written; i++) {
                Thread.sleep(250);
                Process p = new ProcessBuilder("debugfs", "-R", "ls /copied/d1/e1", img.toString()).redirectErrorStream(true).start();
                written = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("f22.bin");
                p.waitFor();
            }
            assertThat(written).as("the copy reached the image within 10 s, still mounted").isTrue();
            Thread.sleep(500); // a sync under way when debugfs looked has finished
            run(tmp, List.of("e2fsck", "-fn", img.toString())); // clean: run() requires exit status 0
            assertThat(run(tmp, List.of("debugfs", "-R", "ls /copied/d1/e1", img.toString()))).doesNotContain("f1.bin");
            assertThat(run(tmp, List.of("debugfs", "-R", "cat /copied/README", img.toString()))).contains("a tree for p2k's tests");
        }
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
