package jrump.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code jrump cat IMAGE:PATH...}: the files' bytes, in order, on standard output. */
@Command(name = "cat", mixinStandardHelpOptions = true, description = "Write files inside an image (IMAGE:PATH) to standard output.")
final class CatCommand implements Callable<Integer> {
    @Mixin
    Images images;

    @Parameters(paramLabel = "IMAGE:PATH", arity = "1..*")
    List<String> files;

    /** Files from this size on go by sendfile; smaller ones are one read anyway. */
    private static final long SENDFILE_MIN = 1 << 20;

    @Override
    public Integer call() throws IOException {
        OutputStream raw = Jrump.rawOut();
        // standard output as a channel: the bytes go from the direct buffer the kernel filled straight to
        // write(2), with no copy through a Java array (a test's stream gets them copied instead)
        java.nio.channels.WritableByteChannel out = raw == System.out
                ? new java.io.FileOutputStream(java.io.FileDescriptor.out).getChannel()
                : java.nio.channels.Channels.newChannel(raw);
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (Images opened = images) {
            for (String f : files) {
                ImagePath p = ImagePath.parse(f, false);
                if (p == null) throw new CliException(f + ": not IMAGE:PATH");
                Ukfs u = images.of(p, false);
                Syscalls sys = u.syscalls();
                try {
                    int fd = sys.open(u.kernelPath(p.path()), Sys.O_RDONLY, 0);
                    try {
                        Stat st = sys.fstat(fd);
                        long size = st.size();
                        if (size >= SENDFILE_MIN && (st.mode() & Stat.S_IFMT) == Stat.S_IFREG) {
                            // the host moves the image's blocks to standard output itself (sendfile)
                            u.sendfile(fd, 0, size, out);
                        } else {
                            while (sys.read(fd, buf.clear()) > 0) {
                                buf.flip();
                                while (buf.hasRemaining()) out.write(buf);
                            }
                        }
                    } finally {
                        sys.close(fd);
                    }
                } catch (RumpException e) {
                    // as cat(1) says it when SIGPIPE is ignored: the reader went away, not the image
                    if (e.errno() == jrump.rumpkern.Errno.EPIPE) throw new CliException("write error: Broken pipe");
                    throw Images.failure(p, e);
                }
            }
            raw.flush();
        }
        return 0;
    }
}
