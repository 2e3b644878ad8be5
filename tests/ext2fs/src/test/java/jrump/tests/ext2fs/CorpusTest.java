package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.tests.ext2fs.TreeComparator.Node;

/**
 * The corpus harness without ext2fs: the cases are found and unpack to ext2 images, the manifest parses,
 * and the NetBSD-written image is clean and matches its manifest as e2fsprogs reads it, while a changed
 * reading does not. So a failure of the ext2fs tests on these images is ext2fs's.
 */
class CorpusTest {
    @Test
    void everyE2fsprogsCaseHasAnImageAndEachCompressionUnpacksToAnExt2Image(@TempDir Path tmp) throws Exception {
        List<Corpus.Case> cases = Corpus.e2fsprogsCases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(228);
        Corpus.Case gz = cases.stream().filter(c -> c.image().toString().endsWith(".gz")).findFirst().orElseThrow();
        Corpus.Case bz2 = cases.stream().filter(c -> c.image().toString().endsWith(".bz2")).findFirst().orElseThrow();
        Corpus.Case plain = cases.stream().filter(c -> c.image().getFileName().toString().equals("image"))
                .filter(c -> c.image().toFile().length() > 2048).findFirst().orElseThrow();
        for (Corpus.Case c : List.of(gz, bz2, plain)) {
            Path dir = Files.createDirectories(tmp.resolve(c.name().replace('/', '_')));
            String before = Tools.sha256(c.image());
            Path img = Corpus.unpack(c.image(), dir);
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "r")) {
                f.seek(1024 + 56); // s_magic, little-endian 0xEF53
                assertThat(f.read() | f.read() << 8).as(c.name()).isEqualTo(0xEF53);
            }
            assertThat(Tools.sha256(c.image())).as("the corpus file is only read").isEqualTo(before);
        }
    }

    @Test
    void netbsdWrittenExt2ImageIsCleanAndItsTreeIsTheManifestsAsDebugfsReadsIt(@TempDir Path tmp) {
        Path image = Corpus.netbsdExt2(tmp);
        assertThat(Tools.run("e2fsck", "-fn", image.toString()).exit()).isZero();
        List<Corpus.Entry> manifest = Corpus.manifest();
        assertThat(manifest).hasSizeGreaterThan(1000);
        Map<String, Node> tree = debugfsTree(image, tmp.resolve("dump"));
        assertThat(ManifestCheck.differences(manifest, tree)).isEmpty();

        // and a tree that is not the manifest's is reported, naming each change
        Map<String, Node> changed = new HashMap<>(tree);
        Corpus.Entry file = manifest.stream().filter(e -> e.type().equals("file") && e.size() > 0).findFirst().orElseThrow();
        Corpus.Entry link = manifest.stream().filter(e -> e.hardlinkGroup() >= 0).findFirst().orElseThrow();
        Corpus.Entry symlink = manifest.stream().filter(e -> e.type().equals("symlink")).findFirst().orElseThrow();
        Node f = changed.get(file.path().substring(1));
        changed.put(f.path(), new Node(f.path(), f.type(), f.perms() ^ 1, f.uid(), f.gid(), f.size(), "0".repeat(64),
                f.target(), f.rdev(), f.nlink(), f.ino(), f.mtimeSec(), f.mtimeNsec(), f.xattrs()));
        Node l = changed.get(link.path().substring(1));
        changed.put(l.path(), new Node(l.path(), l.type(), l.perms(), l.uid(), l.gid(), l.size(), l.content(), l.target(),
                l.rdev(), l.nlink(), -42, l.mtimeSec(), l.mtimeNsec(), l.xattrs()));
        changed.remove(symlink.path().substring(1));
        changed.put("extra", f);
        assertThat(ManifestCheck.differences(manifest, changed))
                .anyMatch(d -> d.startsWith(TreeComparator.show(f.path())) && d.contains("mode"))
                .anyMatch(d -> d.startsWith(TreeComparator.show(f.path())) && d.contains("sha256"))
                .anyMatch(d -> d.contains("hardlink_group"))
                .anyMatch(d -> d.startsWith(TreeComparator.show(symlink.path().substring(1))) && d.contains("not in the image"))
                .anyMatch(d -> d.startsWith(TreeComparator.show("extra")) && d.contains("not in the manifest"));
    }

    /**
     * The image's /tree as e2fsprogs reads it: names, inode numbers and modes from debugfs's listing,
     * contents and symlink targets from an rdump of it to the host.
     */
    static Map<String, Node> debugfsTree(Path image, Path dumpDir) {
        Map<String, Images.Listed> listing = Images.listing(image);
        try {
            Files.createDirectories(dumpDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Tools.run("debugfs", "-R", "rdump /tree " + dumpDir, image.toString()).expect(0);
        Map<String, Node> out = new HashMap<>();
        for (Node n : TreeComparator.host(dumpDir.resolve("tree")).nodes().values()) {
            Images.Listed l = listing.get(n.path().isEmpty() ? "tree" : "tree/" + n.path());
            if (l == null) throw new AssertionError("rdump wrote " + n.path() + " that debugfs did not list");
            out.put(n.path(), new Node(n.path(), n.type(), l.mode() & 07777, n.uid(), n.gid(), n.size(), n.content(),
                    n.target(), n.rdev(), n.nlink(), l.ino(), n.mtimeSec(), n.mtimeNsec(), n.xattrs()));
        }
        return out;
    }
}
