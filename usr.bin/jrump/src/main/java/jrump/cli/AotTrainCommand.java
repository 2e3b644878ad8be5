package jrump.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/**
 * {@code jrump aot-train} (hidden): the workload the launcher records the JDK's ahead-of-time cache from
 * (JEP 483/514) after a build — a boot, images made, listed, copied into and out of, checked — so that
 * every later command starts with those classes already loaded and linked.
 */
@Command(name = "aot-train", hidden = true, description = "Exercise the common commands once (for the launcher's AOT cache).")
final class AotTrainCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("jrump-aot-train");
        PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream(), true);
        try {
            Path tree = Files.createDirectories(dir.resolve("tree/sub"));
            Files.writeString(tree.resolve("file"), "training data\n".repeat(100));
            Files.createSymbolicLink(dir.resolve("tree/link"), Path.of("sub/file"));
            String ext = dir.resolve("ext4.img").toString();
            String fat = dir.resolve("fat.img").toString();
            String[][] steps = {
                    {"--version"},
                    {"boot"},
                    {"makefs", "-t", "ext2fs", "-s", "16m", ext, dir.resolve("tree").toString()},
                    {"newfs", "-t", "msdos", "-s", "16m", fat},
                    {"ls", "-l", "-R", ext},
                    {"cat", ext + ":/sub/file"},
                    {"stat", ext + ":/link"},
                    {"df", ext, fat},
                    {"mkdir", "-p", ext + ":/a/b", fat + ":/a/b"},
                    {"cp", "-r", "-p", dir.resolve("tree").toString(), ext + ":/a/b"},
                    {"cp", "-r", dir.resolve("tree").toString(), fat + ":/a/b"},
                    {"cp", "-r", ext + ":/a", dir.resolve("out-ext").toString()},
                    {"cp", "-r", fat + ":/a", dir.resolve("out-fat").toString()},
                    {"rm", "-r", ext + ":/a", fat + ":/a"},
                    {"fsck", ext},
                    {"fsck", fat},
                    {"info", ext, fat},
            };
            for (String[] step : steps) Jrump.run(OutputStream.nullOutputStream(), quiet, quiet, step);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
