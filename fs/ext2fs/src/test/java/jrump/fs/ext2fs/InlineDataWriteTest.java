package jrump.fs.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Changing inline-data files and directories that mke2fs -d made: each change moves the inode's content
 * out to a block first. The same changes are made to the host copy of the tree; afterwards e2fsck -fn is
 * clean and the Linux kernel reads back exactly the host tree.
 */
class InlineDataWriteTest {
    @TempDir
    Path tmp;

    @Test
    void inlineFilesAndDirectories_moveOutWhenChanged() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(tree.resolve("tiny"), "tiny");
        Files.writeString(tree.resolve("longer"), "x".repeat(100)); // past i_block: part in system.data
        Files.writeString(tree.resolve("cut"), "y".repeat(90));
        Files.writeString(tree.resolve("attrs"), "attributes too");
        Path sub = Files.createDirectories(tree.resolve("sub"));
        Files.writeString(sub.resolve("a"), "a");
        Files.writeString(sub.resolve("b"), "b");
        Path other = Files.createDirectories(tree.resolve("other"));
        Files.writeString(other.resolve("gone"), "gone");
        Files.writeString(other.resolve("stays"), "stays");
        Files.writeString(Files.createDirectories(tree.resolve("quiet")).resolve("q"), "q");
        Path img = tmp.resolve("img");
        Tools.run("mke2fs", "-q", "-F", "-t", "ext4", "-O", "inline_data", "-d", tree.toString(), img.toString(), "32M");
        assertThat(Tools.run("debugfs", "-R", "stat /sub", img.toString())).contains("Size of inline data");

        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", 0, "/dev/img");
            int fd = sys.open("/mnt/tiny", Sys.O_WRONLY | Sys.O_APPEND, 0);
            sys.write(fd, ByteBuffer.wrap(" grows into a block".getBytes(StandardCharsets.UTF_8)));
            sys.close(fd);
            fd = sys.open("/mnt/longer", Sys.O_WRONLY, 0);
            sys.pwrite(fd, ByteBuffer.wrap("zz".getBytes(StandardCharsets.UTF_8)), 10);
            sys.close(fd);
            sys.truncate("/mnt/cut", 30);
            sys.setxattr("/mnt/attrs", "user.kind", ByteBuffer.wrap("inline".getBytes(StandardCharsets.UTF_8)), 0);
            sys.close(sys.open("/mnt/sub/c", Sys.O_WRONLY | Sys.O_CREAT, 0644));
            sys.rename("/mnt/sub/a", "/mnt/sub/a2");
            sys.unlink("/mnt/other/gone");
            sys.unmount("/mnt", 0);
        }
        // the same on the host
        Files.writeString(tree.resolve("tiny"), " grows into a block", StandardOpenOption.APPEND);
        byte[] longer = Files.readAllBytes(tree.resolve("longer"));
        longer[10] = 'z';
        longer[11] = 'z';
        Files.write(tree.resolve("longer"), longer);
        Files.writeString(tree.resolve("cut"), "y".repeat(30));
        Files.createFile(sub.resolve("c"));
        Files.move(sub.resolve("a"), sub.resolve("a2"));
        Files.delete(other.resolve("gone"));

        Tools.run("e2fsck", "-fn", img.toString());
        Path mnt = Files.createDirectory(tmp.resolve("linux"));
        Tools.run("mount", "-o", "ro,loop", img.toString(), mnt.toString());
        try {
            List<Path> expected;
            try (var walk = Files.walk(tree)) {
                expected = walk.map(tree::relativize).sorted().toList();
            }
            List<Path> actual;
            try (var walk = Files.walk(mnt)) {
                actual = walk.map(mnt::relativize).filter(p -> !p.startsWith("lost+found")).sorted().toList();
            }
            assertThat(actual).isEqualTo(expected);
            for (Path p : expected) {
                if (Files.isRegularFile(tree.resolve(p), LinkOption.NOFOLLOW_LINKS)) {
                    assertThat(Files.readAllBytes(mnt.resolve(p))).as(p.toString()).isEqualTo(Files.readAllBytes(tree.resolve(p)));
                }
            }
            var view = Files.getFileAttributeView(mnt.resolve("attrs"), java.nio.file.attribute.UserDefinedFileAttributeView.class);
            ByteBuffer v = ByteBuffer.allocate(view.size("kind"));
            view.read("kind", v);
            assertThat(new String(v.array(), StandardCharsets.UTF_8)).isEqualTo("inline");
        } finally {
            Tools.run("umount", mnt.toString());
        }
        assertThat(Tools.run("debugfs", "-R", "stat /quiet", img.toString())).as("an untouched inline directory stays inline")
                .contains("Size of inline data");
    }
}
