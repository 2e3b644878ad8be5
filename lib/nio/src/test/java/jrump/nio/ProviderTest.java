package jrump.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ProviderNotFoundException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's own promises: declining files that are not images, creating images (checked by e2fsck
 * and fsck.fat), URIs, read-only mounts that never write, FAT's DOS view (read back by mtools), ext2's
 * user attributes (read back by debugfs), ISO images from xorriso, partitions, and closing.
 */
class ProviderTest {
    @TempDir
    Path tmp;

    private static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private Path ext4(String name) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve(name + "-tree/etc"));
        Files.writeString(tree.resolve("hostname"), "imagehost\n");
        Path img = tmp.resolve(name);
        Tools.run("mke2fs", "-q", "-F", "-t", "ext4", "-d", tmp.resolve(name + "-tree").toString(), img.toString(), "32M");
        return img;
    }

    @Test
    void filesThatAreNotImages_areDeclined_soOtherProvidersGetTheirTurn() throws Exception {
        Path text = Files.writeString(tmp.resolve("plain.txt"), "not an image at all, just some words\n".repeat(200));
        assertThatThrownBy(() -> FileSystems.newFileSystem(text, Map.of())).isInstanceOf(ProviderNotFoundException.class);
        assertThatThrownBy(() -> FileSystems.newFileSystem(tmp, Map.of())).isInstanceOf(ProviderNotFoundException.class);
        // a zip file still opens with the JDK's zipfs, whatever order the providers are tried in
        Path zip = tmp.resolve("a.zip");
        try (FileSystem z = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Files.writeString(z.getPath("/inside"), "zipped");
        }
        try (FileSystem z = FileSystems.newFileSystem(zip)) {
            assertThat(z.provider().getScheme()).isEqualTo("jar");
        }
        // with zipfs' own env keys too: they are not ours to refuse
        try (FileSystem z = FileSystems.newFileSystem(zip, Map.of("encoding", "UTF-8"))) {
            assertThat(Files.readString(z.getPath("/inside"))).isEqualTo("zipped");
        }
    }

    @Test
    void create_makesAnImageTheRealToolsAccept() throws Exception {
        Path ext = tmp.resolve("new-ext4.img");
        try (FileSystem fs = FileSystems.newFileSystem(ext, Map.of("create", "true", "fsType", "ext2fs", "size", "48m", "label", "fresh"))) {
            Files.createDirectories(fs.getPath("/srv/www"));
            Files.writeString(fs.getPath("/srv/www/index.html"), "<h1>made by jrump</h1>\n");
        }
        Tools.run("e2fsck", "-fn", ext.toString());
        assertThat(Tools.run("debugfs", "-R", "cat /srv/www/index.html", ext.toString())).contains("<h1>made by jrump</h1>");
        assertThat(Tools.run("dumpe2fs", "-h", ext.toString())).contains("fresh");

        Path fat = tmp.resolve("new-fat.img");
        try (FileSystem fs = FileSystems.newFileSystem(fat, Map.of("create", true, "fsType", "msdos", "size", 40L << 20))) {
            Files.createDirectory(fs.getPath("/Documents"));
            Files.writeString(fs.getPath("/Documents/A long file name.txt"), "on FAT\n");
        }
        Tools.run("fsck.fat", "-n", fat.toString());
        ProcessBuilder mtype = new ProcessBuilder("mtype", "-i", fat.toString(), "::/Documents/A long file name.txt");
        mtype.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = mtype.redirectErrorStream(true).start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("on FAT\n");
        assertThat(p.waitFor()).isZero();

        Path ufs = tmp.resolve("new-ffs.img");
        try (FileSystem fs = FileSystems.newFileSystem(ufs, Map.of("create", "true", "fsType", "ffs", "size", "32m"))) {
            Files.writeString(fs.getPath("/on-ufs2"), "Berkeley");
        }
        try (FileSystem fs = FileSystems.newFileSystem(ufs, Map.of("readOnly", true))) {
            assertThat(Files.getFileStore(fs.getPath("/")).type()).isEqualTo("ffs");
            assertThat(Files.readString(fs.getPath("/on-ufs2"))).isEqualTo("Berkeley");
        }

        assertThatThrownBy(() -> FileSystems.newFileSystem(tmp.resolve("x.img"), Map.of("create", "true", "fsType", "nosuchfs", "size", "1m")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("no newfs for file system type nosuchfs");
        assertThatThrownBy(() -> FileSystems.newFileSystem(ext, Map.of("readOnly", "true", "colour", "blue")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown env key 'colour'");
    }

    @Test
    void uris_nameImagesAndFilesInThem() throws Exception {
        Path img = ext4("uri.img");
        URI uri = URI.create("jrump:" + img.toUri());
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of("readOnly", true))) {
            assertThat(FileSystems.getFileSystem(uri)).isSameAs(fs);
            assertThatThrownBy(() -> FileSystems.newFileSystem(uri, Map.of())).isInstanceOf(FileSystemAlreadyExistsException.class);
            Path inner = fs.getPath("/etc/hostname");
            URI innerUri = inner.toUri();
            assertThat(innerUri.toString()).startsWith("jrump:file:").endsWith("!/etc/hostname");
            assertThat(Path.of(innerUri)).isEqualTo(inner);
            assertThat(Files.readString(Path.of(innerUri))).isEqualTo("imagehost\n");
        }
        assertThatThrownBy(() -> FileSystems.getFileSystem(uri)).isInstanceOf(FileSystemNotFoundException.class);
    }

    @Test
    void readOnly_refusesEveryChange_andNeverWritesTheImage() throws Exception {
        Path img = ext4("ro.img");
        String before = sha(img);
        try (FileSystem fs = FileSystems.newFileSystem(img, Map.of("readOnly", "true"))) {
            assertThat(fs.isReadOnly()).isTrue();
            assertThat(Files.getFileStore(fs.getPath("/")).isReadOnly()).isTrue();
            Path host = fs.getPath("/etc/hostname");
            assertThat(Files.readString(host)).isEqualTo("imagehost\n");
            assertThatThrownBy(() -> Files.writeString(host, "x")).isInstanceOf(ReadOnlyFileSystemException.class);
            assertThatThrownBy(() -> Files.delete(host)).isInstanceOf(ReadOnlyFileSystemException.class);
            assertThatThrownBy(() -> Files.createDirectory(fs.getPath("/new"))).isInstanceOf(ReadOnlyFileSystemException.class);
            assertThatThrownBy(() -> Files.move(host, fs.getPath("/moved"))).isInstanceOf(ReadOnlyFileSystemException.class);
            assertThatThrownBy(() -> Files.setLastModifiedTime(host, java.nio.file.attribute.FileTime.fromMillis(0))).isInstanceOf(ReadOnlyFileSystemException.class);
            assertThat(Files.isWritable(host)).isFalse();
        }
        assertThat(sha(img)).isEqualTo(before);
    }

    @Test
    void closing_closesWhatIsOpen_andLaterCallsSaySo() throws Exception {
        Path img = ext4("close.img");
        FileSystem fs = FileSystems.newFileSystem(img, Map.of());
        FileChannel ch = FileChannel.open(fs.getPath("/open-while-closing"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ch.write(ByteBuffer.wrap("kept".getBytes(StandardCharsets.US_ASCII)));
        fs.close();
        assertThat(ch.isOpen()).isFalse();
        assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> Files.readString(fs.getPath("/etc/hostname"))).isInstanceOf(ClosedFileSystemException.class);
        fs.close(); // twice is fine
        Tools.run("e2fsck", "-fn", img.toString());
        assertThat(Tools.run("debugfs", "-R", "cat /open-while-closing", img.toString())).contains("kept");
    }

    @Test
    void userAttributes_onExt2_areWhatDebugfsReads() throws Exception {
        Path img = ext4("xattr.img");
        try (FileSystem fs = FileSystems.newFileSystem(img, Map.of())) {
            Path f = fs.getPath("/etc/hostname");
            UserDefinedFileAttributeView v = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
            v.write("origin", ByteBuffer.wrap("jrump-test".getBytes(StandardCharsets.UTF_8)));
            v.write("drop", ByteBuffer.wrap(new byte[] {1}));
            assertThat(v.list()).containsExactlyInAnyOrder("origin", "drop");
            v.delete("drop");
            assertThat(v.list()).containsExactly("origin");
            ByteBuffer b = ByteBuffer.allocate(v.size("origin"));
            v.read("origin", b);
            assertThat(new String(b.array(), StandardCharsets.UTF_8)).isEqualTo("jrump-test");
            assertThat((byte[]) Files.getAttribute(f, "user:origin")).asString(StandardCharsets.UTF_8).isEqualTo("jrump-test");
            assertThatThrownBy(() -> v.size("absent")).isInstanceOf(java.nio.file.FileSystemException.class);
            assertThat(Files.getFileAttributeView(f, DosFileAttributeView.class)).isNull();
        }
        Tools.run("e2fsck", "-fn", img.toString());
        assertThat(Tools.run("debugfs", "-R", "ea_list /etc/hostname", img.toString())).contains("user.origin").contains("jrump-test");
    }

    @Test
    void fat_keepsDosBits_andLongNames() throws Exception {
        Path img = tmp.resolve("fat.img");
        Tools.run("mkfs.fat", "-C", img.toString(), "20480");
        try (FileSystem fs = FileSystems.newFileSystem(img, Map.of())) {
            assertThat(fs.supportedFileAttributeViews()).contains("dos").doesNotContain("user");
            Path f = Files.writeString(fs.getPath("/Quarterly Report 2026.txt"), "figures");
            DosFileAttributeView v = Files.getFileAttributeView(f, DosFileAttributeView.class);
            v.setHidden(true);
            v.setReadOnly(true);
            DosFileAttributes a = Files.readAttributes(f, DosFileAttributes.class);
            assertThat(a.isHidden()).isTrue();
            assertThat(a.isReadOnly()).isTrue();
            assertThat(a.isSystem()).isFalse();
            assertThat(Files.isHidden(f)).isTrue();
            assertThat((Boolean) Files.getAttribute(f, "dos:hidden")).isTrue();
            Files.setAttribute(f, "dos:hidden", false);
            assertThat(Files.readAttributes(f, DosFileAttributes.class).isHidden()).isFalse();
            assertThat(Files.exists(fs.getPath("/QUARTERLY REPORT 2026.TXT"))).isTrue(); // FAT ignores case
        }
        Tools.run("fsck.fat", "-n", img.toString());
        ProcessBuilder mdir = new ProcessBuilder("mattrib", "-i", img.toString(), "::/Quarterly Report 2026.txt");
        mdir.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = mdir.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out.substring(0, out.indexOf(':'))).contains("R").doesNotContain("H");
    }

    @Test
    void isoImages_readLikeAnyFileSystem_andCopyOutToTheHost() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("iso-tree/docs"));
        Files.writeString(tree.resolve("readme.txt"), "from xorriso\n");
        Path iso = tmp.resolve("disc.iso");
        Tools.run("xorriso", "-as", "mkisofs", "-R", "-J", "-quiet", "-o", iso.toString(), tmp.resolve("iso-tree").toString());
        try (FileSystem fs = FileSystems.newFileSystem(iso)) {
            assertThat(fs.isReadOnly()).isTrue(); // ISO 9660 mounts read-only whatever env says
            assertThat(Files.getFileStore(fs.getPath("/")).type()).isEqualTo("cd9660");
            Path out = tmp.resolve("out.txt");
            Files.copy(fs.getPath("/docs/readme.txt"), out); // across providers
            assertThat(Files.readString(out)).isEqualTo("from xorriso\n");
            try (Stream<Path> w = Files.walk(fs.getPath("/"))) {
                assertThat(w.map(Path::toString)).contains("/docs", "/docs/readme.txt");
            }
        }
    }

    @Test
    void twoImagesOpenAtOnce_copyAndMoveBetweenThem() throws Exception {
        Path a = ext4("a.img");
        Path b = ext4("b.img");
        try (FileSystem fa = FileSystems.newFileSystem(a); FileSystem fb = FileSystems.newFileSystem(b)) {
            Files.writeString(fa.getPath("/only-in-a"), "travels");
            Files.copy(fa.getPath("/only-in-a"), fb.getPath("/copied"));
            Files.move(fa.getPath("/only-in-a"), fb.getPath("/moved"), StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.exists(fa.getPath("/only-in-a"))).isFalse();
            assertThat(Files.readString(fb.getPath("/moved"))).isEqualTo("travels");
            assertThat(Files.isSameFile(fa.getPath("/etc/hostname"), fb.getPath("/etc/hostname"))).isFalse();
            assertThatThrownBy(() -> Files.move(fb.getPath("/moved"), fa.getPath("/back"), StandardCopyOption.ATOMIC_MOVE))
                    .isInstanceOf(java.nio.file.AtomicMoveNotSupportedException.class);
        }
        Tools.run("e2fsck", "-fn", a.toString());
        Tools.run("e2fsck", "-fn", b.toString());
    }

    @Test
    void aPartitionOfADisk_opensByNumber() throws Exception {
        Path disk = tmp.resolve("mbr.img");
        try (FileChannel c = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.allocate(1), (24L << 20) - 1);
        }
        Process sf = new ProcessBuilder("sfdisk", "-q", disk.toString()).redirectErrorStream(true).start();
        sf.getOutputStream().write("label: dos\nstart=2048, size=20M, type=83\n".getBytes(StandardCharsets.US_ASCII));
        sf.getOutputStream().close();
        assertThat(sf.waitFor()).isZero();
        Tools.run("mke2fs", "-q", "-F", "-t", "ext4", "-E", "offset=" + (2048 * 512), disk.toString(), "20M");
        try (FileSystem fs = FileSystems.newFileSystem(disk, Map.of("partition", 1))) {
            Files.writeString(fs.getPath("/in-partition-1"), "p1");
        }
        assertThatThrownBy(() -> FileSystems.newFileSystem(disk, Map.of("partition", 2))).isInstanceOf(java.io.IOException.class).hasMessageContaining("no partition 2");
        try (FileSystem fs = FileSystems.newFileSystem(disk, Map.of("offset", 2048 * 512, "readOnly", true))) {
            assertThat(Files.readString(fs.getPath("/in-partition-1"))).isEqualTo("p1");
        }
    }
}
