package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * NetBSD's tests/fs/vfs/t_full.c for jrump: a file system with a size or node limit fills up with ENOSPC,
 * loses nothing written before, and has the room again once files go. Skipped for file systems without
 * limits (rumpfs), as NetBSD skips rumpfs.
 */
class FullTest {
    private static final int SIZE = 256 << 10;
    private static final int CHUNK = 8192;
    private static final int NODES = 10;

    static List<FileSystems.Fs> fileSystems() {
        return FileSystems.all();
    }

    /** Appends distinct chunks until the file system is full; returns what was written, in order. */
    private static byte[] fill(Syscalls sys, int fd) {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        for (int i = 0; written.size() <= SIZE; i++) {
            byte[] chunk = Content.pattern(CHUNK, i);
            Errno errno = errnoOf(() -> assertThat(sys.write(fd, ByteBuffer.wrap(chunk))).isEqualTo(CHUNK));
            if (errno != null) {
                assertThat(errno).isEqualTo(Errno.ENOSPC);
                return written.toByteArray();
            }
            written.writeBytes(chunk);
        }
        throw new AssertionError("wrote " + written.size() + " bytes to a file system of " + SIZE + " without ENOSPC");
    }

    /** fillfs: writing past the size limit is ENOSPC; what was written before reads back; unlink frees it. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void fillfs(FileSystems.Fs fs) {
        assumeTrue(fs.caps().limits(), "no size limit to fill up to");
        try (RumpKernel rk = fs.boot("size=" + SIZE)) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/afile", Sys.O_CREAT | Sys.O_RDWR, 0644);
            byte[] written = fill(sys, fd);
            // nearly all of it is usable, and the failed write left the file as it was
            assertThat(written.length).isGreaterThan(SIZE - 2 * CHUNK).isLessThanOrEqualTo(SIZE);
            assertThat(sys.fstat(fd).size()).isEqualTo(written.length);
            assertThat(sys.statvfs1("/mnt", 0).availableBytes()).isLessThan(CHUNK);
            assertThat(errnoOf(() -> Content.write(sys, "/mnt/more", new byte[CHUNK]))).isEqualTo(Errno.ENOSPC);
            sys.close(fd);
            assertThat(Content.read(sys, "/mnt/afile")).isEqualTo(written);

            sys.unlink("/mnt/afile");
            sys.unlink("/mnt/more"); // made before its write failed, empty
            assertThat(sys.statvfs1("/mnt", 0).availableBytes()).isEqualTo(SIZE);
            int again = sys.open("/mnt/afile", Sys.O_CREAT | Sys.O_RDWR, 0644);
            assertThat(fill(sys, again)).hasSize(written.length); // all the room came back
            sys.close(again);
        }
    }

    /** fillfs: an unlinked file keeps its space while it is open; truncation gives space back at once. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void spaceOfOpenUnlinkedAndTruncatedFiles(FileSystems.Fs fs) {
        assumeTrue(fs.caps().limits(), "no size limit to fill up to");
        try (RumpKernel rk = fs.boot("size=" + SIZE)) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/afile", Sys.O_CREAT | Sys.O_RDWR, 0644);
            byte[] written = fill(sys, fd);
            sys.unlink("/mnt/afile");
            assertThat(errnoOf(() -> Content.write(sys, "/mnt/other", new byte[CHUNK]))).isEqualTo(Errno.ENOSPC);
            assertThat(sys.pread(fd, ByteBuffer.allocate(written.length), 0)).isEqualTo(written.length);
            sys.ftruncate(fd, CHUNK);
            Content.write(sys, "/mnt/other", new byte[CHUNK]); // the truncated tail's room
            sys.close(fd);
            assertThat(sys.statvfs1("/mnt", 0).availableBytes()).isEqualTo(SIZE - CHUNK);
        }
    }

    /** The node limit: creating past it is ENOSPC for every kind of file; existing ones stay; unlink frees one. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void fillNodes(FileSystems.Fs fs) {
        assumeTrue(fs.caps().limits(), "no node limit to fill up to");
        try (RumpKernel rk = fs.boot("nodes=" + NODES)) {
            Syscalls sys = rk.syscalls();
            int made = 0;
            while (made <= NODES) {
                String name = "/mnt/f" + made;
                Errno errno = errnoOf(() -> Content.write(sys, name, name));
                if (errno != null) {
                    assertThat(errno).isEqualTo(Errno.ENOSPC);
                    break;
                }
                made++;
            }
            assertThat(made).as("files made under nodes=%d (the root is one)", NODES).isEqualTo(NODES - 1);
            assertThat(sys.statvfs1("/mnt", 0).ffree()).isZero();
            assertThat(errnoOf(() -> sys.mkdir("/mnt/dir", 0755))).isEqualTo(Errno.ENOSPC);
            assertThat(errnoOf(() -> sys.symlink("f0", "/mnt/link"))).isEqualTo(Errno.ENOSPC);
            assertThat(errnoOf(() -> sys.mkfifo("/mnt/fifo", 0644))).isEqualTo(Errno.ENOSPC);
            sys.link("/mnt/f0", "/mnt/f0-again"); // a name is not a node
            assertThat(Content.names(sys, "/mnt")).hasSize(made + 1);
            for (int i = 0; i < made; i++) assertThat(Content.readString(sys, "/mnt/f" + i)).isEqualTo("/mnt/f" + i);

            sys.unlink("/mnt/f1");
            sys.mkdir("/mnt/dir", 0755);
            assertThat(errnoOf(() -> sys.mkdir("/mnt/dir2", 0755))).isEqualTo(Errno.ENOSPC);
            sys.unlink("/mnt/f0"); // still linked as f0-again: no node comes back
            assertThat(errnoOf(() -> sys.mkdir("/mnt/dir2", 0755))).isEqualTo(Errno.ENOSPC);
        }
    }

    /** The tmpfs mount options are checked: a malformed or zero limit is EINVAL and mounts nothing. */
    @ParameterizedTest
    @MethodSource("fileSystems")
    void badLimits(FileSystems.Fs fs) {
        assumeTrue(fs.caps().limits(), "no limits to give");
        for (String options : List.of("size=0", "nodes=0", "size=-1", "size=12q", "nodes", "colour=blue")) {
            RumpException e = org.junit.jupiter.api.Assertions.assertThrows(RumpException.class, () -> fs.boot(options).close(), options);
            assertThat(e.errno()).as(options).isEqualTo(Errno.EINVAL);
        }
    }
}
