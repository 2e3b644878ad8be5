package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * pread at chosen offsets in the kernel against the same bytes of the host file: around the starts of the
 * direct, single, double and triple indirect ranges of a block map, across block edges, at and past the end
 * of the file, and at random places. A whole-file hash says that something is wrong; this says where.
 */
final class OffsetReads {
    private OffsetReads() {
    }

    /** One difference a line; empty when every read matched. */
    static List<String> check(Syscalls sys, String kernelFile, Path hostFile, int blockSize, SplittableRandom rnd) {
        List<String> out = new ArrayList<>();
        try (RandomAccessFile host = new RandomAccessFile(hostFile.toFile(), "r")) {
            long size = host.length();
            int fd = sys.open(kernelFile, Sys.O_RDONLY, 0);
            try {
                for (long off : offsets(size, blockSize, rnd)) {
                    int len = rnd.nextInt(4) == 0 ? 1 : 1 + rnd.nextInt(3 * blockSize);
                    byte[] want = hostRead(host, off, len);
                    byte[] got = kernelRead(sys, fd, off, len);
                    if (!Arrays.equals(want, got)) {
                        int at = Arrays.mismatch(want, got);
                        out.add(kernelFile + ": pread(" + len + " at " + off + ") returned " + got.length
                                + " bytes, the host " + want.length + "; first difference at offset " + (off + at));
                    }
                }
            } finally {
                sys.close(fd);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static TreeSet<Long> offsets(long size, int bs, SplittableRandom rnd) {
        long perBlock = bs / 4; // block numbers an indirect block holds
        long[] starts = {0, 12L * bs, (12 + perBlock) * bs, (12 + perBlock + perBlock * perBlock) * bs};
        TreeSet<Long> offs = new TreeSet<>();
        for (long s : starts) {
            for (long d : new long[] {-bs - 1, -1, 0, 1, bs - 1}) offs.add(s + d);
        }
        offs.add(size - 1);
        offs.add(size);
        offs.add(size + 100);
        for (int i = 0; i < 20 && size > 0; i++) offs.add(rnd.nextLong(size));
        offs.removeIf(o -> o < 0 || o > size + 100);
        return offs;
    }

    private static byte[] hostRead(RandomAccessFile host, long off, int len) throws IOException {
        byte[] b = new byte[len];
        host.seek(off);
        int n = 0;
        int r;
        while (n < len && (r = host.read(b, n, len - n)) > 0) n += r;
        return Arrays.copyOf(b, n);
    }

    private static byte[] kernelRead(Syscalls sys, int fd, long off, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            long n = sys.pread(fd, b, off + b.position());
            if (n <= 0) break;
        }
        return Arrays.copyOf(b.array(), b.position());
    }
}
