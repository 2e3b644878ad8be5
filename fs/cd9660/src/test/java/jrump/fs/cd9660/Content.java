package jrump.fs.cd9660;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** Whole files through the system calls. */
final class Content {
    private Content() {
    }

    static byte[] readAll(Syscalls sys, String path) {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            while (sys.read(fd, b.clear()) > 0) out.write(b.array(), 0, b.position());
            return out.toByteArray();
        } finally {
            sys.close(fd);
        }
    }

    /** The whole file through rump_pub_fd_sendfile (VOP_BMAP and the host's transfer from the image). */
    static byte[] sendAll(jrump.rumpkern.RumpKernel rk, String path) {
        Syscalls sys = rk.syscalls();
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            rk.pub().fdSendfile(fd, 0, sys.fstat(fd).size(), java.nio.channels.Channels.newChannel(out));
            return out.toByteArray();
        } finally {
            sys.close(fd);
        }
    }

    static String read(Syscalls sys, String path) {
        return new String(readAll(sys, path), StandardCharsets.UTF_8);
    }
}
