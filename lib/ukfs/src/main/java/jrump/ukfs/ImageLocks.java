package jrump.ukfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Who uses an image (ukfs's image lock): one writer or any number of readers. Between processes an
 * advisory lock on the image file decides (exclusive for a writer, shared for readers); within this JVM,
 * which cannot hold two overlapping locks on one file, readers share one lock and count themselves.
 */
final class ImageLocks {
    private record Held(FileChannel channel, FileLock lock, boolean writer, int users) {
    }

    private static final Map<Path, Held> HELD = new HashMap<>();

    private ImageLocks() {
    }

    /** Takes the image for reading or writing; IOException naming the conflict when it cannot. */
    static synchronized void acquire(Path image, boolean write) throws IOException {
        Path key = image.toRealPath();
        Held h = HELD.get(key);
        if (h != null) {
            if (write || h.writer()) throw new IOException(image + ": in use by another " + (h.writer() ? "writer" : "reader") + " in this process");
            HELD.put(key, new Held(h.channel(), h.lock(), false, h.users() + 1));
            return;
        }
        FileChannel ch = write ? FileChannel.open(key, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(key, StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = ch.tryLock(0, Long.MAX_VALUE, !write);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException(image + ": in use by another process");
        }
        HELD.put(key, new Held(ch, lock, write, 1));
    }

    static synchronized void release(Path image) {
        Path key;
        try {
            key = image.toRealPath();
        } catch (IOException e) {
            key = image.toAbsolutePath().normalize();
        }
        Held h = HELD.get(key);
        if (h == null) return;
        if (h.users() > 1) {
            HELD.put(key, new Held(h.channel(), h.lock(), h.writer(), h.users() - 1));
            return;
        }
        HELD.remove(key);
        try {
            h.lock().release();
            h.channel().close();
        } catch (IOException e) {
            // closing the channel drops the lock in any case
        }
    }
}
