package jrump.fs.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Images that need journal recovery, made with debugfs' journal_write (transactions e2fsprogs writes the
 * way the kernel does): a read-only mount reads through the committed transactions, honours revokes and
 * checksums, and shows what e2fsck's replay leaves on the disk, without writing the image.
 */
class JournalReadTest {
    @TempDir
    Path tmp;

    private String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out + "\nexit " + p.exitValue();
    }

    /** A 1 KiB-block ext4 with /file of four blocks of 'A'; returns those blocks' numbers. */
    private long[] makeImage(Path img) throws Exception {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        Files.write(tree.resolve("file"), "A".repeat(4096).getBytes(StandardCharsets.UTF_8));
        assertThat(run("mke2fs", "-q", "-F", "-d", tree.toString(), "-t", "ext4", "-b", "1024", img.toString(), "16M")).endsWith("exit 0");
        String out = run("debugfs", "-R", "blocks /file", img.toString());
        String[] nums = out.lines().filter(l -> l.matches("[0-9 ]+")).findFirst().orElseThrow().trim().split(" +");
        assertThat(nums).hasSize(4);
        return java.util.Arrays.stream(nums).mapToLong(Long::parseLong).toArray();
    }

    private String debugfsJournal(Path img, String commands) throws Exception {
        Path cmds = tmp.resolve("cmds");
        Files.writeString(cmds, commands);
        return run("debugfs", "-w", "-f", cmds.toString(), img.toString());
    }

    private static String readFile(Path img) {
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/img");
            int fd = sys.open("/mnt/file", Sys.O_RDONLY, 0);
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (sys.read(fd, b) > 0) {
                // to the end
            }
            // sendfile must see the journal's copies too: it maps to the image only where that is current
            java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
            rk.pub().fdSendfile(fd, 0, b.position(), java.nio.channels.Channels.newChannel(sent));
            sys.close(fd);
            assertThat(sent.toByteArray()).isEqualTo(java.util.Arrays.copyOf(b.array(), b.position()));
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    /** What e2fsck's replay leaves, read by debugfs from a recovered copy. */
    private String afterE2fsck(Path img) throws Exception {
        Path copy = tmp.resolve("recovered.img");
        Files.copy(img, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        run("e2fsck", "-fy", copy.toString());
        String out = run("debugfs", "-R", "cat /file", copy.toString());
        return out.substring(out.indexOf('\n') + 1, out.lastIndexOf("\nexit"));
    }

    private static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void aCommittedTransaction_isReadThrough_withoutWritingTheImage() throws Exception {
        Path img = tmp.resolve("j.img");
        long[] blocks = makeImage(img);
        Files.write(tmp.resolve("b"), "B".repeat(1024).getBytes(StandardCharsets.UTF_8));
        debugfsJournal(img, "jo\njw -b " + blocks[1] + " " + tmp.resolve("b") + "\njc\n");
        assertThat(run("dumpe2fs", "-h", img.toString())).contains("needs_recovery");
        String before = sha(img);
        String seen = readFile(img);
        assertThat(seen).isEqualTo("A".repeat(1024) + "B".repeat(1024) + "A".repeat(2048));
        assertThat(seen).isEqualTo(afterE2fsck(img));
        assertThat(sha(img)).isEqualTo(before);
    }

    @Test
    void revokesInALaterTransaction_cancelEarlierCopies_withChecksumsV3() throws Exception {
        Path img = tmp.resolve("k.img");
        long[] blocks = makeImage(img);
        Files.write(tmp.resolve("b"), "B".repeat(1024).getBytes(StandardCharsets.UTF_8));
        Files.write(tmp.resolve("c"), "C".repeat(1024).getBytes(StandardCharsets.UTF_8));
        debugfsJournal(img, "jo -c\njw -b " + blocks[2] + " " + tmp.resolve("b") + "\njw -b " + blocks[3] + " "
                + tmp.resolve("c") + "\njc\njo\njw -r " + blocks[2] + "\njc\n");
        assertThat(run("dumpe2fs", "-h", img.toString())).contains("journal_checksum_v3");
        String seen = readFile(img);
        assertThat(seen).isEqualTo("A".repeat(3072) + "C".repeat(1024));
        assertThat(seen).isEqualTo(afterE2fsck(img));
    }

    @Test
    void aTransactionWhoseCommitBlockIsLost_isIgnored() throws Exception {
        Path img = tmp.resolve("u.img");
        long[] blocks = makeImage(img);
        Files.write(tmp.resolve("b"), "B".repeat(1024).getBytes(StandardCharsets.UTF_8));
        debugfsJournal(img, "jo\njw -b " + blocks[0] + " " + tmp.resolve("b") + "\njc\n");
        String log = run("debugfs", "-R", "logdump", img.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("type 2 \\(commit block\\) at block (\\d+)").matcher(log);
        assertThat(m.find()).as(log).isTrue();
        long commitInJournal = Long.parseLong(m.group(1));
        String jblocks = run("debugfs", "-R", "blocks <8>", img.toString());
        String[] nums = jblocks.lines().filter(l -> l.matches("[0-9 ]+")).findFirst().orElseThrow().trim().split(" +");
        long physical = Long.parseLong(nums[(int) commitInJournal]);
        // a crash before the commit block reached the disk: its magic number is not there
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4), physical * 1024);
        }
        String seen = readFile(img);
        assertThat(seen).isEqualTo("A".repeat(4096));
        assertThat(seen).isEqualTo(afterE2fsck(img));
    }

    @Test
    void needsRecoveryWithAnEmptyJournal_readsTheDiskAsItIs() throws Exception {
        Path img = tmp.resolve("e.img");
        long[] blocks = makeImage(img);
        Files.write(tmp.resolve("b"), "B".repeat(1024).getBytes(StandardCharsets.UTF_8));
        // journal_write without journal_close leaves needs_recovery set and no transaction started
        debugfsJournal(img, "jo\njw -b " + blocks[0] + " " + tmp.resolve("b") + "\n");
        assertThat(run("dumpe2fs", "-h", img.toString())).contains("needs_recovery");
        assertThat(readFile(img)).isEqualTo("A".repeat(4096));
    }
}
