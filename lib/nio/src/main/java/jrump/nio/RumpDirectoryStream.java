package jrump.nio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.RumpException;

/**
 * A directory's entries read a buffer of getdents at a time from an open descriptor, so a directory of a
 * million names is never held in memory at once. "." and ".." are left out, as DirectoryStream requires.
 */
final class RumpDirectoryStream implements DirectoryStream<Path> {
    private static final int GETDENTS_BUFFER = 32 << 10;

    private final RumpFileSystem fs;
    private final RumpPath dir;
    private final Filter<? super Path> filter;
    private final int fd;
    private boolean closed;
    private boolean iterated;

    RumpDirectoryStream(RumpFileSystem fs, RumpPath dir, int fd, Filter<? super Path> filter) {
        this.fs = fs;
        this.dir = dir;
        this.fd = fd;
        this.filter = filter;
        fs.opened(this);
    }

    @Override
    public synchronized Iterator<Path> iterator() {
        if (closed) throw new IllegalStateException("directory stream closed");
        if (iterated) throw new IllegalStateException("iterator already obtained");
        iterated = true;
        return new Iterator<>() {
            private final ArrayDeque<Path> ready = new ArrayDeque<>();
            private final ByteBuffer buf = ByteBuffer.allocate(GETDENTS_BUFFER);
            private boolean end;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && !end) fill();
                return !ready.isEmpty();
            }

            @Override
            public Path next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.poll();
            }

            private void fill() {
                synchronized (RumpDirectoryStream.this) {
                    if (closed) {
                        end = true; // a closed stream's iterator ends, as the interface says
                        return;
                    }
                    int n;
                    try {
                        n = fs.ukfs().syscalls().getdents(fd, buf.clear());
                    } catch (RumpException e) {
                        throw new DirectoryIteratorException(Errors.of(e, dir));
                    }
                    if (n <= 0) {
                        end = true;
                        return;
                    }
                    for (Dirent d : Dirent.parse(buf.flip(), n)) {
                        if (d.name().equals(".") || d.name().equals("..")) continue;
                        Path p = dir.resolve(new RumpPath(fs, d.name()));
                        try {
                            if (filter == null || filter.accept(p)) ready.add(p);
                        } catch (IOException e) {
                            throw new DirectoryIteratorException(e);
                        } catch (UncheckedIOException e) {
                            throw new DirectoryIteratorException(e.getCause());
                        }
                    }
                }
            }
        };
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        fs.closed(this);
        try {
            fs.ukfs().syscalls().close(fd);
        } catch (RumpException e) {
            throw Errors.of(e, dir);
        }
    }
}
