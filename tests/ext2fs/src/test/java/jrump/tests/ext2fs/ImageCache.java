package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

import jrump.tests.ext2fs.TreeComparator.Snapshot;

/**
 * Generated trees and their images, made once per test JVM and shared by the test classes that read them
 * (mke2fs takes seconds to copy the full tree), in a temporary directory removed at exit. Tests must not
 * change them: a test that writes works on a copy.
 */
final class ImageCache {
    /** The seed of the shared trees, unless -Djrump.ext2fs.seed says otherwise. */
    static final long SEED = 20_261_124L;

    private static Path dir;
    private static final Map<String, TreeGenerator.Tree> trees = new HashMap<>();
    private static final Map<String, Snapshot> hosts = new HashMap<>();
    private static final Map<String, Images.Image> images = new HashMap<>();

    private ImageCache() {
    }

    static synchronized TreeGenerator.Tree tree(TreeGenerator.Spec spec) {
        return trees.computeIfAbsent(spec.name(), n -> {
            TreeGenerator.Tree t = TreeGenerator.generate(dir().resolve("tree-" + n), Seeds.seed(SEED), spec);
            System.out.println("ext2fs images: " + t.describe());
            return t;
        });
    }

    /** The host snapshot of the tree (hashing every file once). */
    static synchronized Snapshot host(TreeGenerator.Spec spec) {
        return hosts.computeIfAbsent(spec.name(), n -> TreeComparator.host(tree(spec).root()));
    }

    static synchronized Images.Image image(TreeGenerator.Spec spec, Images.Variant v) {
        String key = spec.name() + "-" + v.name();
        Images.Image image = images.get(key);
        if (image == null) {
            image = Images.build(tree(spec), host(spec), v, dir().resolve(key + ".img"));
            images.put(key, image);
        }
        return image;
    }

    private static Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("jrump-ext2fs-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d)));
        }
        return dir;
    }

    /** Removes a tree without following its symlinks (we run as root, so modes do not stop it). */
    static void delete(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("could not remove " + root + ": " + e);
        }
    }
}
