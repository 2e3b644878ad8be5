package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The shared test corpus (shared/corpus beside the repository; its README says what is in it): e2fsprogs'
 * regression images and the images NetBSD's kernel wrote. The tests read it and never change it: every
 * image is decompressed or copied into a temporary directory first. The pom passes its place as the system
 * property {@code jrump.corpus}; a missing corpus fails the tests that need it.
 */
final class Corpus {
    static final String PROPERTY = "jrump.corpus";

    private Corpus() {
    }

    static Path root() {
        Path root = locate();
        if (!Files.isDirectory(root.resolve("e2fsprogs-tests")) || !Files.isDirectory(root.resolve("netbsd-written"))) {
            throw new AssertionError("the test corpus is not at " + root.toAbsolutePath().normalize()
                    + ": it is shared/corpus beside the repository (or say where with -D" + PROPERTY + "=...)");
        }
        return root;
    }

    /**
     * The property's place if it holds the corpus; else a "shared/corpus" beside the working directory or
     * one of its parents (a clone anywhere on this machine); else /work/shared/corpus.
     */
    private static Path locate() {
        String p = System.getProperty(PROPERTY, System.getenv("JRUMP_CORPUS"));
        if (p != null && Files.isDirectory(Path.of(p).resolve("e2fsprogs-tests"))) return Path.of(p);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolveSibling("shared").resolve("corpus");
            if (Files.isDirectory(c.resolve("e2fsprogs-tests"))) return c;
        }
        Path fixed = Path.of("/work/shared/corpus");
        if (Files.isDirectory(fixed.resolve("e2fsprogs-tests"))) return fixed;
        return p != null ? Path.of(p) : fixed;
    }

    /** One e2fsprogs regression image: the case's folder name, and the file when a folder has several. */
    record Case(String name, Path image, String description) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every image of e2fsprogs' regression cases (image.gz, image.bz2 or image), sorted by name. */
    static List<Case> e2fsprogsCases() {
        List<Case> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root().resolve("e2fsprogs-tests"))) {
            for (Path dir : dirs.sorted().toList()) {
                List<Path> images;
                try (Stream<Path> files = Files.list(dir)) {
                    images = files.filter(f -> f.getFileName().toString().matches("image(\\.gz|\\.bz2)?")).sorted().toList();
                }
                Path name = dir.resolve("name");
                String description = Files.exists(name) ? Files.readString(name, StandardCharsets.UTF_8).strip() : "";
                for (Path image : images) {
                    String caseName = images.size() == 1 ? dir.getFileName().toString()
                            : dir.getFileName() + "/" + image.getFileName();
                    out.add(new Case(caseName, image, description));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The image as a plain file in {@code dir}, whatever its compression; the corpus file is only read. */
    static Path unpack(Path image, Path dir) {
        String name = image.getFileName().toString();
        Path out = dir.resolve(name.replaceAll("\\.(gz|bz2)$", "") + ".img");
        try {
            if (name.endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(image), 1 << 16)) {
                    Files.copy(in, out);
                }
            } else if (name.endsWith(".bz2")) {
                Tools.runTo(out, "bzip2", "-dc", image.toString());
            } else {
                Files.copy(image, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking " + image, e);
        }
        return out;
    }

    // ---- the NetBSD-written images ----

    /** One entry of tree.manifest.json; {@code hardlinkGroup} is -1 for an inode with one name. */
    record Entry(String path, String type, int mode, long size, String sha256, String target, long hardlinkGroup) {
    }

    /** tree.manifest.json: the entries under /tree of the NetBSD-written images. */
    @SuppressWarnings("unchecked")
    static List<Entry> manifest() {
        try {
            String text = Files.readString(root().resolve("netbsd-written/tree.manifest.json"), StandardCharsets.UTF_8);
            List<Entry> out = new ArrayList<>();
            for (Object o : (List<Object>) Json.parse(text)) {
                Map<String, Object> m = (Map<String, Object>) o;
                String mode = (String) m.get("mode");
                out.add(new Entry((String) m.get("path"), (String) m.get("type"),
                        Integer.parseInt(mode.startsWith("0o") ? mode.substring(2) : mode, 8),
                        m.containsKey("size") ? (Long) m.get("size") : -1, (String) m.get("sha256"),
                        (String) m.get("target"), m.containsKey("hardlink_group") ? (Long) m.get("hardlink_group") : -1));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** netbsd-written/ext2.img.gz, unpacked into {@code dir}. */
    static Path netbsdExt2(Path dir) {
        return unpack(root().resolve("netbsd-written/ext2.img.gz"), dir);
    }
}
