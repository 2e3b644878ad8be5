package jrump.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jrump demo [DIR]}: what jrump is for, on images it makes itself. A small sample tree is written to
 * DIR/tree and built into an ext4, a FAT and an ISO 9660 image with jrump's own makefs; then the everyday
 * commands run on them, each shown with its output: info, ls, cat, cp out and back in, diff. Nothing needs
 * root or a host mount. The images stay for the reader to try more commands on.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Make sample ext4, FAT and ISO images with jrump's makefs and show the everyday commands on them.")
final class DemoCommand implements Callable<Integer> {
    /** A fixed time for the sample tree, so every run builds the same listing (2026-01-01 12:00 UTC). */
    private static final FileTime SAMPLE_TIME = FileTime.fromMillis(1_767_268_800_000L);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "where the images go (default: ${DEFAULT-VALUE})", defaultValue = "demo")
    Path dir;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        Path tree = dir.resolve("tree");
        if (!Files.isDirectory(tree)) sampleTree(tree);
        String ext4 = dir.resolve("ext4.img").toString();
        String fat = dir.resolve("fat.img").toString();
        String iso = dir.resolve("disc.iso").toString();
        out.println("# Images from a sample tree, made by jrump's own makefs (no root, no loop device):");
        jrump("makefs", "-t", "ext2fs", "-O", "ext4", "--seed", "1", "-U", "6a726d70-0000-4000-8000-000000000001", "-L", "demo", ext4, tree.toString());
        jrump("makefs", "-t", "msdos", "-L", "DEMO", fat, dir.resolve("tree/docs").toString());
        jrump("makefs", "-t", "cd9660", "-o", "rockridge,joliet,label=DEMO", iso, tree.toString());
        out.println();
        out.println("# What an image holds, without mounting it:");
        jrump("info", ext4);
        out.println();
        out.println("# Files inside images, as ls, cat and du would show them (the type is detected):");
        jrump("ls", "-l", ext4 + ":/");
        jrump("cat", ext4 + ":/etc/motd");
        jrump("ls", "-l", fat + ":/");
        jrump("ls", "-l", iso + ":/docs");
        out.println();
        out.println("# Changing an image, and copying trees in and out:");
        jrump("mkdir", "-p", ext4 + ":/home/guest/notes");
        jrump("cp", "-r", dir.resolve("tree/docs").toString(), ext4 + ":/home/guest/notes");
        jrump("find", ext4 + ":/home", "-type", "f");
        Path out1 = dir.resolve("copied-out");
        if (!Files.exists(out1)) jrump("cp", "-rp", iso + ":/docs", out1.toString());
        jrump("diff", ext4 + ":/home/guest/notes/docs", out1.toString());
        out.println();
        out.println("# Try next: ./jrump ls -lR " + ext4 + ":/   ./jrump fsck " + ext4 + "   ./jrump man");
        out.println("#   as root, with any program: ./jrump mount " + ext4 + " /mnt/demo; ls -l /mnt/demo; umount /mnt/demo");
        return 0;
    }

    /** Runs one jrump command in this process, showing it as a shell line and then its output. */
    private void jrump(String... args) {
        out.println("$ jrump " + String.join(" ", List.of(args)));
        StringWriter err = new StringWriter();
        int status = Jrump.run(Jrump.rawOut(), out, new PrintWriter(err, true), args);
        out.flush();
        if (status != 0) throw new CliException("demo: jrump " + String.join(" ", args) + " failed: " + err.toString().strip());
    }

    private static void sampleTree(Path tree) throws IOException {
        write(tree.resolve("etc/motd"), "Welcome to a file system that lives in a file.\nEverything here was read by a rump kernel running in your JVM.\n");
        write(tree.resolve("etc/hostname"), "demo\n");
        write(tree.resolve("docs/README.txt"), "jrump reads and writes ext2/3/4, FAT, ISO 9660 and FFS images without root.\n");
        write(tree.resolve("docs/Notes with spaces and ünïcødé.txt"), "Long names and UTF-8 survive every file system that can hold them.\n");
        StringBuilder big = new StringBuilder();
        for (int i = 1; i <= 2000; i++) big.append("line ").append(i).append(" of a file that spans several blocks\n");
        write(tree.resolve("docs/manual.txt"), big.toString());
        Files.createSymbolicLink(tree.resolve("motd"), Path.of("etc/motd"));
        Files.createLink(tree.resolve("etc/hostname.bak"), tree.resolve("etc/hostname"));
        try (var s = Files.walk(tree)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!Files.isSymbolicLink(p)) Files.setLastModifiedTime(p, SAMPLE_TIME);
            }
        }
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }
}
