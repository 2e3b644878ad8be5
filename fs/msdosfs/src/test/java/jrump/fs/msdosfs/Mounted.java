package jrump.fs.msdosfs;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** A kernel in diagnostic mode with an image file as block device /dev/img mounted at /mnt; closing unmounts. */
final class Mounted implements AutoCloseable {
    final RumpKernel rk;
    final Syscalls sys;

    Mounted(Path image, int flags, String options) {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        try {
            sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", image.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("msdos", "/mnt", flags, options == null ? "/dev/img" : "/dev/img," + options);
        } catch (RuntimeException e) {
            rk.close();
            throw e;
        }
    }

    Mounted(Path image) {
        this(image, 0, null);
    }

    @Override
    public void close() {
        try {
            sys.unmount("/mnt", 0);
        } finally {
            rk.close();
        }
    }

    byte[] read(String path) {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            long size = sys.fstat(fd).size();
            ByteBuffer b = ByteBuffer.allocate((int) size + 1);
            while (sys.read(fd, b) > 0) {
                // to the end
            }
            return java.util.Arrays.copyOf(b.array(), b.position());
        } finally {
            sys.close(fd);
        }
    }

    void write(String path, byte[] data) {
        int fd = sys.open(path, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, 0644);
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) sys.write(fd, b);
        } finally {
            sys.close(fd);
        }
    }

    /** The names in {@code dir} without "." and "..". */
    List<String> names(String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(4096);
        List<String> out = new ArrayList<>();
        try {
            int n;
            while ((n = sys.getdents(fd, b.clear())) > 0) {
                for (Dirent d : Dirent.parse(b.flip(), n)) if (!d.name().equals(".") && !d.name().equals("..")) out.add(d.name());
            }
        } finally {
            sys.close(fd);
        }
        return out;
    }

    /** Asserts that the tree under {@code dir} in the mount is the host tree {@code host}: names, types, content. */
    void assertSameTree(String dir, Path host) throws java.io.IOException {
        List<String> expected = new ArrayList<>();
        try (var s = Files.list(host)) {
            s.forEach(p -> expected.add(p.getFileName().toString()));
        }
        org.assertj.core.api.Assertions.assertThat(names(dir)).as(dir).containsExactlyInAnyOrderElementsOf(expected);
        for (String name : expected) {
            Path h = host.resolve(name);
            String m = dir + "/" + name;
            if (Files.isDirectory(h)) {
                org.assertj.core.api.Assertions.assertThat(sys.stat(m).mode() & jrump.rumpkern.Stat.S_IFMT).as(m).isEqualTo(jrump.rumpkern.Stat.S_IFDIR);
                assertSameTree(m, h);
            } else {
                org.assertj.core.api.Assertions.assertThat(read(m)).as(m).isEqualTo(Files.readAllBytes(h));
                org.assertj.core.api.Assertions.assertThat(send(m)).as("sendfile of %s", m).isEqualTo(Files.readAllBytes(h));
            }
        }
    }

    /** The whole file through rump_pub_fd_sendfile (on a read-only mount: VOP_BMAP's cluster runs). */
    byte[] send(String path) {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            rk.pub().fdSendfile(fd, 0, sys.fstat(fd).size(), java.nio.channels.Channels.newChannel(out));
            return out.toByteArray();
        } finally {
            sys.close(fd);
        }
    }
}
