package jrump.fs.cd9660;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Syscalls;

/**
 * Images made by {@link Makefs} read back as their tree by jrump's own mount and by the real tools:
 * xorriso's extraction (Rock Ridge), bsdtar's (Rock Ridge), 7z's (Joliet names and content), and the
 * El Torito catalogue as xorriso reports it.
 */
class Cd9660MakefsTest {
    @TempDir
    static Path tmp;
    static Path tree;
    static Path image;
    static final long NOW = 1_700_000_000_000_000_000L;

    @BeforeAll
    static void build() throws Exception {
        tree = IsoTools.tree(tmp.resolve("tree"), 11, true);
        Files.write(tree.resolve("boot.img"), new byte[4096]);
        Files.setLastModifiedTime(tree.resolve("boot.img"), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        image = tmp.resolve("made.iso");
        Makefs.Result r = HostTree.write(tree, image, new Makefs.Options(true, true, "jrump test", "boot.img", NOW));
        assertThat(Files.size(image)).isEqualTo(r.bytes());
        assertThat(r.directories()).isEqualTo(14); // the root, many, d0..d11
    }

    @Test
    void jrumpMount_readsTheTreeBack() throws Exception {
        try (RumpKernel rk = IsoMount.mount(image, null)) {
            Syscalls sys = rk.syscalls();
            assertThat(TreeWalk.differences(TreeWalk.kernel(sys, "/mnt"), TreeWalk.host(tree))).isEmpty();
            assertThat(sys.stat("/mnt/hard").nlink()).isEqualTo(2);
            assertThat(sys.stat("/mnt/many").nlink()).isEqualTo(2);
            assertThat(sys.stat("/mnt").nlink()).isEqualTo(4); // ".", "..", d0 and many
        }
        try (RumpKernel rk = IsoMount.mount(image, "norrip")) {
            assertThat(TreeWalk.names(rk.syscalls(), "/mnt")).contains("ünïcødé 名前", "MixedCase.TXT", "hello.txt").doesNotContain("link");
        }
    }

    @Test
    void xorrisoExtraction_isTheTree() throws Exception {
        Path out = tmp.resolve("xorriso-out");
        String report = IsoTools.run(tmp, "xorriso", "-abort_on", "FAILURE", "-indev", image.toString(), "-find", "/", "-exec", "lsdl", "--");
        assertThat(report).contains("'/long-link' -> '/component/").contains("'/ünïcødé 名前'");
        IsoTools.run(tmp, "xorriso", "-abort_on", "FAILURE", "-osirrox", "on:device_files", "-indev", image.toString(), "-extract", "/", out.toString());
        assertExtractedIsTheTree(out);
    }

    @Test
    void bsdtarExtraction_isTheTree() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("bsdtar-out"));
        IsoTools.run(tmp, "bsdtar", "-xpf", image.toString(), "-C", out.toString());
        assertExtractedIsTheTree(out);
    }

    /** The extraction at {@code out} is the source tree (a link's own mtime is the extraction's). */
    private static void assertExtractedIsTheTree(Path out) throws Exception {
        Map<String, TreeWalk.Node> got = TreeWalk.host(out);
        Map<String, TreeWalk.Node> want = TreeWalk.host(tree);
        got.replaceAll((k, n) -> n.type() == 'l' ? withMtime(n, 0) : n);
        want.replaceAll((k, n) -> n.type() == 'l' ? withMtime(n, 0) : n);
        assertThat(TreeWalk.differences(got, want)).isEmpty();
    }

    @Test
    void sevenZipExtraction_hasTheJolietNamesAndContent() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("7z-out"));
        IsoTools.run(tmp, "7z", "x", "-y", "-o" + out, image.toString());
        Map<String, TreeWalk.Node> want = TreeWalk.host(tree);
        Map<String, TreeWalk.Node> got = TreeWalk.host(out);
        want.entrySet().removeIf(e -> e.getValue().type() != '-' || e.getKey().contains("sixty-four"));
        got.entrySet().removeIf(e -> e.getValue().type() != '-' || e.getKey().contains("sixty-four") || e.getKey().startsWith("[BOOT]"));
        got.replaceAll((k, n) -> TreeWalk.plain(n, false));
        want.replaceAll((k, n) -> TreeWalk.plain(n, false));
        assertThat(TreeWalk.differences(got, want)).isEmpty();
        // Joliet's 64 characters: the long name is cut there
        assertThat(out.resolve("a name well past the sixty-four characters Joliet allows, xxxxxx")).exists();
    }

    @Test
    void elTorito_catalogueNamesTheBootImage() throws Exception {
        Optional<ElTorito.Catalog> cat;
        try (FileChannel ch = FileChannel.open(image)) {
            cat = ElTorito.read(ch::read);
            assertThat(cat).isPresent();
            ElTorito.BootEntry e = cat.get().entries().get(0);
            assertThat(e.bootable()).isTrue();
            assertThat(e.media()).isEqualTo("no emulation");
            assertThat(e.sectorCount()).isEqualTo(4);
            ByteBuffer b = ByteBuffer.allocate(4096);
            ch.read(b, e.loadRba() * 2048);
            assertThat(b.array()).isEqualTo(Files.readAllBytes(tree.resolve("boot.img")));
        }
        String report = IsoTools.run(tmp, "xorriso", "-indev", image.toString(), "-report_el_torito", "plain");
        assertThat(report).contains("El Torito boot img :   1  BIOS  y   none");
        try (FileChannel ch = FileChannel.open(tree.resolve("big.bin"))) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ElTorito.read(ch::read))).as("not an image")
                    .hasMessageContaining("no ISO 9660 volume descriptor");
        }
    }

    /**
     * Files of several extents (§6.5.1), as makefs writes files of 4 GiB and more, here with extents of
     * 8 KiB so that the image stays small: jrump, bsdtar and xorriso read them whole.
     */
    @Test
    void multiExtentFiles_readBackWhole() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("multi-src"));
        byte[] data = new byte[50_000];
        new java.util.SplittableRandom(3).nextBytes(data);
        Files.write(src.resolve("split"), data);
        Files.write(src.resolve("exact"), java.util.Arrays.copyOf(data, 16384)); // two whole extents
        Path img = tmp.resolve("multi.iso");
        try (FileChannel ch = FileChannel.open(img, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            Makefs.build(HostTree.of(src), new Makefs.Options(true, true, null, null, NOW), (off, d) -> {
                while (d.hasRemaining()) ch.write(d, off + d.position());
            }, 8192);
        }
        try (RumpKernel rk = IsoMount.mount(img, null)) {
            assertThat(Content.readAll(rk.syscalls(), "/mnt/split")).isEqualTo(data);
            assertThat(Content.readAll(rk.syscalls(), "/mnt/exact")).isEqualTo(java.util.Arrays.copyOf(data, 16384));
            assertThat(Content.sendAll(rk, "/mnt/split")).as("sendfile, extent by extent").isEqualTo(data);
            assertThat(Content.sendAll(rk, "/mnt/exact")).isEqualTo(java.util.Arrays.copyOf(data, 16384));
            assertThat(TreeWalk.names(rk.syscalls(), "/mnt")).containsExactlyInAnyOrder(".", "..", "split", "exact");
        }
        try (RumpKernel rk = IsoMount.mount(img, "norrip")) {
            assertThat(Content.readAll(rk.syscalls(), "/mnt/split")).as("Joliet's records too").isEqualTo(data);
        }
        Path out = Files.createDirectory(tmp.resolve("multi-bsdtar"));
        IsoTools.run(tmp, "bsdtar", "-xf", img.toString(), "-C", out.toString());
        assertThat(Files.readAllBytes(out.resolve("split"))).isEqualTo(data);
        Path xout = tmp.resolve("multi-xorriso");
        IsoTools.run(tmp, "xorriso", "-abort_on", "FAILURE", "-osirrox", "on", "-indev", img.toString(), "-extract", "/", xout.toString());
        assertThat(Files.readAllBytes(xout.resolve("split"))).isEqualTo(data);
    }

    private static TreeWalk.Node withMtime(TreeWalk.Node n, long mtime) {
        return new TreeWalk.Node(n.type(), n.perm(), n.uid(), n.gid(), n.size(), n.sha(), n.link(), mtime, n.dev());
    }
}
