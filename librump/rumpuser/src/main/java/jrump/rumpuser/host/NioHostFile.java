package jrump.rumpuser.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import jrump.rumpuser.HostErrno;
import jrump.rumpuser.HostFile;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;

/** A host file over a FileChannel; positional I/O only, so one file serves many threads at once. */
final class NioHostFile implements HostFile {
    private final Path path;
    private final FileChannel channel;
    private final Supplier<ExecutorService> bioExecutor;

    private NioHostFile(Path path, FileChannel channel, Supplier<ExecutorService> bioExecutor) {
        this.path = path;
        this.channel = channel;
        this.bioExecutor = bioExecutor;
    }

    static HostFile open(Path path, int flags, Supplier<ExecutorService> bioExecutor) throws HyperException {
        Set<OpenOption> options = new HashSet<>();
        switch (flags & Hypercalls.OPEN_ACCMODE) {
            case Hypercalls.OPEN_RDONLY -> options.add(StandardOpenOption.READ);
            case Hypercalls.OPEN_WRONLY -> options.add(StandardOpenOption.WRITE);
            case Hypercalls.OPEN_RDWR -> {
                options.add(StandardOpenOption.READ);
                options.add(StandardOpenOption.WRITE);
            }
            default -> throw new HyperException(HostErrno.EINVAL, "bad open mode " + flags);
        }
        if ((flags & Hypercalls.OPEN_CREATE) != 0) {
            options.add((flags & Hypercalls.OPEN_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        }
        try {
            return new NioHostFile(path, FileChannel.open(path, options), bioExecutor);
        } catch (IOException e) {
            throw new HyperException(HostErrno.of(e), path.toString(), e);
        } catch (RuntimeException e) {
            throw new HyperException(HostErrno.of(e), path.toString(), e);
        }
    }

    @Override
    public long size() throws HyperException {
        try {
            return channel.size();
        } catch (IOException e) {
            throw fail(e);
        }
    }

    @Override
    public int read(ByteBuffer dst, long offset) throws HyperException {
        int total = 0;
        try {
            while (dst.hasRemaining()) {
                int n = channel.read(dst, offset + total);
                if (n < 0) break;
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw fail(e);
        }
    }

    @Override
    public int write(ByteBuffer src, long offset) throws HyperException {
        int total = 0;
        try {
            while (src.hasRemaining()) total += channel.write(src, offset + total);
            return total;
        } catch (IOException e) {
            throw fail(e);
        }
    }

    @Override
    public long transferTo(long offset, long count, java.nio.channels.WritableByteChannel target) throws HyperException {
        long done = 0;
        try {
            // the JDK picks sendfile(2) or copy_file_range(2) where the target is a file, pipe or socket
            while (done < count) {
                long n = channel.transferTo(offset + done, count - done, target);
                if (n <= 0) break; // the file ends before count
                done += n;
            }
            return done;
        } catch (IOException e) {
            throw new HyperException(HostErrno.of(e), "transfer from " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void bio(BioOp op, ByteBuffer buf, long offset, boolean sync, BioDone done) {
        bioExecutor.get().execute(() -> {
            try {
                int n = op == BioOp.READ ? read(buf, offset) : write(buf, offset);
                if (sync && op == BioOp.WRITE) channel.force(false);
                done.done(n, 0);
            } catch (HyperException e) {
                done.done(0, e.errno());
            } catch (IOException e) {
                done.done(0, HostErrno.of(e));
            }
        });
    }

    @Override
    public void sync(boolean metadata) throws HyperException {
        try {
            channel.force(metadata);
        } catch (IOException e) {
            throw fail(e);
        }
    }

    @Override
    public void truncate(long size) throws HyperException {
        try {
            if (size < channel.size()) channel.truncate(size);
            else if (size > channel.size()) channel.write(ByteBuffer.allocate(1), size - 1);
        } catch (IOException e) {
            throw fail(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // rumpuser_close cannot fail: the descriptor is gone either way
        }
    }

    private HyperException fail(IOException e) {
        return new HyperException(HostErrno.of(e), path.toString(), e);
    }
}
