package jrump.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What java.nio.file promises, asserted on a writable directory of some provider. It runs against the
 * JDK's own provider on a host directory (the reference: every assertion here holds there) and against
 * jrump's provider on images, so a difference is a bug of ours, not a disagreement about the API.
 */
abstract class FileSystemBehaviour {
    /** An empty writable directory of the provider under test. */
    abstract Path dir() throws IOException;

    /** FAT: no symbolic or hard links, permissions from the mount options, times in 2 s (or 10 ms) steps. */
    boolean fat() {
        return false;
    }

    @Test
    void filesAreWrittenAndReadBack_throughEveryKindOfStream() throws IOException {
        Path d = dir();
        Path f = d.resolve("notes.txt");
        Files.writeString(f, "first line\nsecond line\n");
        assertThat(Files.readString(f)).isEqualTo("first line\nsecond line\n");
        assertThat(Files.size(f)).isEqualTo(23);
        try (Stream<String> lines = Files.lines(f)) {
            assertThat(lines).containsExactly("first line", "second line");
        }
        try (BufferedWriter w = Files.newBufferedWriter(f, StandardOpenOption.APPEND)) {
            w.write("third\n");
        }
        assertThat(Files.readAllLines(f)).containsExactly("first line", "second line", "third");
        Files.write(f, new byte[] {1, 2, 3}); // CREATE, TRUNCATE_EXISTING, WRITE
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3);
        assertThat(Files.isRegularFile(f)).isTrue();
        assertThat(Files.isDirectory(f)).isFalse();
        assertThat(Files.exists(d.resolve("absent"))).isFalse();
        assertThatThrownBy(() -> Files.readString(d.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.createFile(f)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.newOutputStream(f, StandardOpenOption.CREATE_NEW)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void largeFiles_streamThroughWithoutChange() throws Exception {
        Path d = dir();
        SplittableRandom r = new SplittableRandom(20261124L);
        byte[] block = new byte[1 << 20];
        MessageDigest in = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(d.resolve("big"))) {
            for (int i = 0; i < 24; i++) {
                r.nextBytes(block);
                in.update(block);
                out.write(block);
            }
        }
        Files.copy(d.resolve("big"), d.resolve("copy"));
        MessageDigest back = MessageDigest.getInstance("SHA-256");
        try (InputStream s = Files.newInputStream(d.resolve("copy"))) {
            byte[] buf = new byte[123_457]; // an odd size, so reads straddle the file system's blocks
            int n;
            while ((n = s.read(buf)) > 0) back.update(buf, 0, n);
        }
        assertThat(back.digest()).isEqualTo(in.digest());
        assertThat(Files.size(d.resolve("copy"))).isEqualTo(24L << 20);
    }

    @Test
    void fileChannels_positionSizeTruncateAndHoles() throws IOException {
        Path f = dir().resolve("chan");
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(c.size()).isZero();
            assertThat(c.read(ByteBuffer.allocate(4))).isEqualTo(-1);
            c.write(ByteBuffer.wrap("abcdef".getBytes(StandardCharsets.US_ASCII)));
            assertThat(c.position()).isEqualTo(6);
            c.write(ByteBuffer.wrap("XY".getBytes(StandardCharsets.US_ASCII)), 1_000_000); // a hole between
            assertThat(c.size()).isEqualTo(1_000_002);
            assertThat(c.position()).isEqualTo(6); // positional writes leave the position
            ByteBuffer hole = ByteBuffer.allocate(4096);
            assertThat(c.read(hole, 500_000)).isEqualTo(4096);
            assertThat(hole.array()).containsOnly(0);
            c.position(2);
            ByteBuffer two = ByteBuffer.allocate(2);
            c.read(two);
            assertThat(new String(two.array(), StandardCharsets.US_ASCII)).isEqualTo("cd");
            c.truncate(3);
            assertThat(c.size()).isEqualTo(3);
            assertThat(c.position()).isEqualTo(3);
            c.truncate(100); // never grows a file
            assertThat(c.size()).isEqualTo(3);
            assertThat(c.read(ByteBuffer.allocate(1), 3)).isEqualTo(-1);
            ByteBuffer[] scatter = {ByteBuffer.allocate(1), ByteBuffer.allocate(5)};
            c.position(0);
            assertThat(c.read(scatter)).isEqualTo(3);
            assertThat(scatter[0].get(0)).isEqualTo((byte) 'a');
            c.force(true);
        }
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.APPEND)) {
            c.write(ByteBuffer.wrap("++".getBytes(StandardCharsets.US_ASCII)));
        }
        assertThat(Files.readString(f)).isEqualTo("abc++");
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> c.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
        }
        assertThatThrownBy(() -> FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.APPEND)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void locks_areTakenAndReleased() throws IOException {
        Path f = dir().resolve("locked");
        Files.writeString(f, "x");
        try (FileChannel c = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = c.tryLock();
            assertThat(l).isNotNull();
            assertThat(l.isValid()).isTrue();
            assertThat(l.isShared()).isFalse();
            l.release();
            assertThat(l.isValid()).isFalse();
            try (FileLock shared = c.lock(0, 1, true)) {
                assertThat(shared.isShared()).isTrue();
            }
        }
    }

    @Test
    void directories_listWalkAndDelete() throws IOException {
        Path d = dir();
        Files.createDirectories(d.resolve("a/b/c"));
        Files.writeString(d.resolve("a/one.txt"), "1");
        Files.writeString(d.resolve("a/two.log"), "2");
        Files.writeString(d.resolve("a/b/three.txt"), "3");
        assertThat(Files.isDirectory(d.resolve("a/b/c"))).isTrue();
        List<String> txt = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d.resolve("a"), "*.txt")) {
            s.forEach(p -> txt.add(p.getFileName().toString()));
        }
        assertThat(txt).containsExactly("one.txt");
        try (Stream<Path> w = Files.walk(d.resolve("a"))) {
            assertThat(w.map(p -> d.relativize(p).toString()).sorted())
                    .containsExactly("a", "a/b", "a/b/c", "a/b/three.txt", "a/one.txt", "a/two.log");
        }
        try (Stream<Path> found = Files.find(d, 10, (p, a) -> a.isRegularFile() && p.toString().endsWith(".txt"))) {
            assertThat(found.map(p -> p.getFileName().toString()).sorted()).containsExactly("one.txt", "three.txt");
        }
        assertThatThrownBy(() -> Files.delete(d.resolve("a"))).isInstanceOf(DirectoryNotEmptyException.class);
        assertThatThrownBy(() -> Files.newDirectoryStream(d.resolve("a/one.txt"))).isInstanceOf(NotDirectoryException.class);
        assertThatThrownBy(() -> Files.createDirectory(d.resolve("a"))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createDirectory(d.resolve("missing/x"))).isInstanceOf(NoSuchFileException.class);
        Files.walkFileTree(d.resolve("a"), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        assertThat(Files.exists(d.resolve("a"))).isFalse();
        assertThat(Files.deleteIfExists(d.resolve("a"))).isFalse();
        assertThatThrownBy(() -> Files.delete(d.resolve("a"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void manyEntries_streamInOrderOfCreationOrNot_butAllOfThem() throws IOException {
        Path d = Files.createDirectory(dir().resolve("many"));
        for (int i = 0; i < 1500; i++) Files.createFile(d.resolve("entry-" + i));
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s.map(p -> p.getFileName().toString()).distinct().count()).isEqualTo(1500);
        }
    }

    @Test
    void copyAndMove_followTheirOptions() throws IOException {
        Path d = dir();
        Path a = d.resolve("a");
        Files.writeString(a, "alpha");
        if (!fat()) Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-r-----"));
        FileTime t = FileTime.fromMillis(1_600_000_000_000L); // an even second: FAT keeps it too
        Files.setLastModifiedTime(a, t);
        Path b = d.resolve("b");
        Files.copy(a, b, StandardCopyOption.COPY_ATTRIBUTES);
        assertThat(Files.readString(b)).isEqualTo("alpha");
        assertThat(Files.getLastModifiedTime(b)).isEqualTo(t);
        assertThat(Files.getPosixFilePermissions(b)).isEqualTo(Files.getPosixFilePermissions(a));
        assertThatThrownBy(() -> Files.copy(a, b)).isInstanceOf(FileAlreadyExistsException.class);
        Files.writeString(a, "again");
        Files.copy(a, b, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(b)).isEqualTo("again");
        Path c = d.resolve("c");
        Files.move(b, c);
        assertThat(Files.exists(b)).isFalse();
        assertThat(Files.readString(c)).isEqualTo("again");
        Files.writeString(b, "bravo");
        assertThatThrownBy(() -> Files.move(b, c)).isInstanceOf(FileAlreadyExistsException.class);
        Files.move(b, c, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(c)).isEqualTo("bravo");
        Files.writeString(b, "charlie");
        Files.move(b, c, StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.readString(c)).isEqualTo("charlie");
        Files.createDirectories(d.resolve("full/inner"));
        Files.createDirectory(d.resolve("empty"));
        assertThatThrownBy(() -> Files.move(d.resolve("empty"), d.resolve("full"), StandardCopyOption.REPLACE_EXISTING))
                .isInstanceOf(DirectoryNotEmptyException.class);
        Files.move(d.resolve("full"), d.resolve("moved"));
        assertThat(Files.isDirectory(d.resolve("moved/inner"))).isTrue();
        Files.copy(d.resolve("moved"), d.resolve("shallow")); // a directory copies as an empty one
        try (Stream<Path> s = Files.list(d.resolve("shallow"))) {
            assertThat(s).isEmpty();
        }
        Files.move(c, c); // onto itself: nothing happens
        assertThat(Files.readString(c)).isEqualTo("charlie");
    }

    @Test
    void symbolicLinks_areFollowedOnlyWhenAsked() throws IOException {
        Path d = dir();
        if (fat()) {
            Files.writeString(d.resolve("target"), "x");
            assertThatThrownBy(() -> Files.createSymbolicLink(d.resolve("link"), d.getFileSystem().getPath("target")))
                    .isInstanceOf(java.nio.file.FileSystemException.class).hasMessageContaining("not supported");
            assertThat(Files.exists(d.resolve("link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThatThrownBy(() -> Files.readSymbolicLink(d.resolve("target"))).isInstanceOf(NotLinkException.class);
            return;
        }
        Files.createDirectories(d.resolve("real/sub"));
        Files.writeString(d.resolve("real/sub/file"), "target");
        Path link = Files.createSymbolicLink(d.resolve("link"), d.getFileSystem().getPath("real/sub"));
        Path dangling = Files.createSymbolicLink(d.resolve("dangling"), d.getFileSystem().getPath("nowhere"));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("real/sub");
        assertThat(Files.readString(link.resolve("file"))).isEqualTo("target");
        assertThat(Files.isDirectory(link)).isTrue();
        assertThat(Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(dangling)).isFalse();
        assertThat(Files.exists(dangling, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(link.resolve("file").toRealPath()).isEqualTo(d.resolve("real/sub/file").toRealPath());
        assertThat(d.resolve("real/./sub/../sub/file").toRealPath()).isEqualTo(d.resolve("real/sub/file").toRealPath());
        assertThatThrownBy(() -> Files.readSymbolicLink(d.resolve("real"))).isInstanceOf(NotLinkException.class);
        assertThatThrownBy(() -> dangling.toRealPath()).isInstanceOf(NoSuchFileException.class);
        Path loop = Files.createSymbolicLink(d.resolve("loop"), d.getFileSystem().getPath("loop"));
        assertThatThrownBy(() -> Files.readString(loop)).isInstanceOf(IOException.class);
        Files.copy(link, d.resolve("linkcopy"), LinkOption.NOFOLLOW_LINKS);
        assertThat(Files.readSymbolicLink(d.resolve("linkcopy")).toString()).isEqualTo("real/sub");
        Files.delete(link); // the link, not what it points to
        assertThat(Files.exists(d.resolve("real/sub/file"))).isTrue();
        assertThatThrownBy(() -> FileChannel.open(d.resolve("linkcopy"), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)).isInstanceOf(IOException.class);
    }

    @Test
    void hardLinks_areOneFile() throws IOException {
        Path d = dir();
        Path a = d.resolve("a");
        Files.writeString(a, "shared");
        if (fat()) {
            assertThatThrownBy(() -> Files.createLink(d.resolve("b"), a)).isInstanceOf(java.nio.file.FileSystemException.class)
                    .hasMessageContaining("not supported");
            assertThat((Integer) Files.getAttribute(a, "unix:nlink")).isEqualTo(1);
            assertThat(Files.exists(d.resolve("b"))).isFalse();
            return;
        }
        Path b = Files.createLink(d.resolve("b"), a);
        assertThat(Files.isSameFile(a, b)).isTrue();
        assertThat(Files.isSameFile(a, d.resolve("a"))).isTrue();
        assertThat((Integer) Files.getAttribute(a, "unix:nlink")).isEqualTo(2);
        assertThat(Files.readAttributes(a, BasicFileAttributes.class).fileKey()).isEqualTo(Files.readAttributes(b, BasicFileAttributes.class).fileKey());
        Files.writeString(b, "changed");
        assertThat(Files.readString(a)).isEqualTo("changed");
        Files.delete(a);
        assertThat((Integer) Files.getAttribute(b, "unix:nlink")).isEqualTo(1);
        Files.writeString(a, "other");
        assertThat(Files.isSameFile(a, b)).isFalse();
    }

    @Test
    void attributes_posixUnixAndTimes() throws IOException {
        Path d = dir();
        if (fat()) {
            fatAttributes(d);
            return;
        }
        Path f = Files.createFile(d.resolve("f"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x--x"));
        assertThat((Integer) Files.getAttribute(f, "unix:mode") & 0777).isEqualTo(0751);
        assertThat((Integer) Files.getAttribute(f, "unix:mode") & 0170000).isEqualTo(0100000);
        Files.setAttribute(f, "unix:mode", 0640);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        FileTime m = FileTime.from(java.time.Instant.parse("2021-03-04T05:06:07.123456789Z"));
        FileTime a = FileTime.from(java.time.Instant.parse("2020-01-02T03:04:05.5Z"));
        Files.getFileAttributeView(f, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(m, a, null);
        PosixFileAttributes p = Files.readAttributes(f, PosixFileAttributes.class);
        assertThat(p.lastModifiedTime()).isEqualTo(m);
        assertThat(p.lastAccessTime()).isEqualTo(a);
        assertThat(p.isRegularFile()).isTrue();
        assertThat(p.size()).isZero();
        var unix = Files.readAttributes(f, "unix:*");
        assertThat(unix).containsKeys("uid", "gid", "ino", "dev", "rdev", "nlink", "ctime", "mode", "permissions", "size");
        assertThat((Long) unix.get("ino")).isPositive();
        assertThat(Files.readAttributes(f, "size,isDirectory")).containsEntry("size", 0L).containsEntry("isDirectory", false);
        assertThatThrownBy(() -> Files.readAttributes(f, "basic:nonsense")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.isReadable(f)).isTrue();
        assertThat(Files.isWritable(f)).isTrue();
        assertThat(Files.isHidden(d.resolve(".hidden"))).isTrue();
        assertThat(Files.isHidden(f)).isFalse();
    }

    /** FAT: the mount's permissions, the read-only bit as the write bits, times in two-second steps. */
    private void fatAttributes(Path d) throws IOException {
        Path f = Files.createFile(d.resolve("f"));
        var initial = Files.getPosixFilePermissions(f);
        assertThat(initial).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
        assertThat(Files.getPosixFilePermissions(f)).doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                java.nio.file.attribute.PosixFilePermission.GROUP_WRITE, java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
        assertThat(Files.isWritable(f)).isTrue(); // root, as on any file system
        Files.setPosixFilePermissions(f, initial);
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(initial);
        FileTime m = FileTime.from(java.time.Instant.parse("2021-03-04T05:06:08Z"));
        Files.setLastModifiedTime(f, m);
        assertThat(Files.getLastModifiedTime(f)).isEqualTo(m);
        assertThat((Integer) Files.getAttribute(f, "unix:mode") & 0170000).isEqualTo(0100000);
        assertThat(Files.readAttributes(f, "size,isDirectory")).containsEntry("size", 0L).containsEntry("isDirectory", false);
        assertThat(Files.isHidden(d.resolve(".hidden"))).isTrue();
    }

    @Test
    void fileStore_reportsRealSpace() throws IOException {
        Path d = dir();
        FileStore s = Files.getFileStore(d);
        assertThat(s.getTotalSpace()).isPositive();
        assertThat(s.getUsableSpace()).isPositive().isLessThanOrEqualTo(s.getTotalSpace());
        assertThat(s.getUnallocatedSpace()).isGreaterThanOrEqualTo(s.getUsableSpace());
        assertThat(s.isReadOnly()).isFalse();
        assertThat(s.supportsFileAttributeView("basic")).isTrue();
        assertThat(s.supportsFileAttributeView("posix")).isTrue();
    }

    @Test
    void paths_behaveAsUnixPaths() throws IOException {
        var fs = dir().getFileSystem();
        var host = java.nio.file.FileSystems.getDefault();
        String[] samples = {"/", "", "a", "/a/b/c", "a/b/", "a//b", "../x", "/a/../b", "a/./b/..", ".", "..", "/..", "x/y/z"};
        for (String s : samples) {
            Path ours = fs.getPath(s);
            Path ref = host.getPath(s);
            assertThat(ours.toString()).as(s).isEqualTo(ref.toString());
            assertThat(ours.isAbsolute()).as(s).isEqualTo(ref.isAbsolute());
            assertThat(ours.getNameCount()).as(s).isEqualTo(ref.getNameCount());
            assertThat(String.valueOf(ours.getFileName())).as(s).isEqualTo(String.valueOf(ref.getFileName()));
            assertThat(String.valueOf(ours.getParent())).as(s).isEqualTo(String.valueOf(ref.getParent()));
            assertThat(String.valueOf(ours.getRoot())).as(s).isEqualTo(String.valueOf(ref.getRoot()));
            assertThat(ours.normalize().toString()).as(s).isEqualTo(ref.normalize().toString());
            for (String t : samples) {
                Path o2 = fs.getPath(t);
                Path r2 = host.getPath(t);
                assertThat(ours.resolve(o2).toString()).as(s + " resolve " + t).isEqualTo(ref.resolve(r2).toString());
                assertThat(ours.startsWith(o2)).as(s + " startsWith " + t).isEqualTo(ref.startsWith(r2));
                assertThat(ours.endsWith(o2)).as(s + " endsWith " + t).isEqualTo(ref.endsWith(r2));
                assertThat(ours.resolveSibling(o2).toString()).as(s + " resolveSibling " + t).isEqualTo(ref.resolveSibling(r2).toString());
                if (ours.isAbsolute() == o2.isAbsolute()) {
                    String rel;
                    try {
                        rel = ref.relativize(r2).toString();
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    assertThat(ours.relativize(o2).toString()).as(s + " relativize " + t).isEqualTo(rel);
                }
            }
        }
        var glob = fs.getPathMatcher("glob:**/*.{java,txt}");
        var hostGlob = host.getPathMatcher("glob:**/*.{java,txt}");
        for (String s : new String[] {"a/b.java", "b.java", "/x/y/z.txt", "a/b.jar", "a/.txt"}) {
            assertThat(glob.matches(fs.getPath(s))).as(s).isEqualTo(hostGlob.matches(host.getPath(s)));
        }
        var cls = fs.getPathMatcher("glob:[a-c]?[!x]*");
        var hostCls = host.getPathMatcher("glob:[a-c]?[!x]*");
        for (String s : new String[] {"abc", "axx", "dzz", "b/c", "c1y"}) {
            assertThat(cls.matches(fs.getPath(s))).as(s).isEqualTo(hostCls.matches(host.getPath(s)));
        }
    }
}
