package jrump.rumpdev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Disk images made by the real tools (sfdisk from util-linux, sgdisk from gdisk: scripts/apt-packages.txt
 * lists both), and what sfdisk says about them. A missing tool fails the test: it is not optional.
 */
final class Images {
    private Images() {
    }

    /** Runs a command; fails the test with its output when it fails. Returns standard output. */
    static String run(Path stdin, String... command) throws IOException, InterruptedException {
        String tool = command[0];
        assertThat(List.of("/usr/sbin/" + tool, "/sbin/" + tool, "/usr/bin/" + tool))
                .as("%s is missing: scripts/setup installs it (scripts/apt-packages.txt)", tool)
                .anyMatch(p -> Files.isExecutable(Path.of(p)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().put("PATH", "/usr/sbin:/sbin:/usr/bin:/bin");
        if (stdin != null) pb.redirectInput(stdin.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", tool).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s %s failed: %s%s", tool, List.of(command), text, new String(err, StandardCharsets.UTF_8)).isZero();
        return text;
    }

    /** A sparse image of {@code bytes} partitioned by sfdisk from {@code script}. */
    static Path sfdisk(Path dir, String name, long bytes, String script) throws IOException, InterruptedException {
        Path image = dir.resolve(name);
        try (var f = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            f.write(java.nio.ByteBuffer.allocate(1), bytes - 1);
        }
        Path in = dir.resolve(name + ".sfdisk");
        Files.writeString(in, script);
        run(in, "sfdisk", "--quiet", "--no-reread", "--no-tell-kernel", image.toString());
        return image;
    }

    /** sfdisk --json's partition list: node, start, size (sectors), type, and for GPT uuid, name, attrs. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> sfdiskPartitions(Path image) throws IOException, InterruptedException {
        Map<String, Object> root = (Map<String, Object>) Json.parse(run(null, "sfdisk", "--json", image.toString()));
        Map<String, Object> table = (Map<String, Object>) root.get("partitiontable");
        assertThat(table.get("sectorsize")).isEqualTo(512L);
        return new ArrayList<>((List<Map<String, Object>>) table.get("partitions"));
    }

    /** The partition number at the end of sfdisk's node name ("disk.img12" → 12). */
    static int number(Map<String, Object> sfdiskPartition, Path image) {
        String node = (String) sfdiskPartition.get("node");
        return Integer.parseInt(node.substring(image.toString().length()));
    }
}
