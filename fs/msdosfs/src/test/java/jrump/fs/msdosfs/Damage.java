package jrump.fs.msdosfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Pokes damage into an image: FAT entries (every copy or one), directory entries found by short name. */
final class Damage implements AutoCloseable {
    final FileChannel ch;
    final Bpb bpb;

    Damage(Path img) throws Exception {
        ch = FileChannel.open(img, StandardOpenOption.READ, StandardOpenOption.WRITE);
        byte[] s = new byte[4096];
        ch.read(ByteBuffer.wrap(s), 0);
        bpb = Bpb.parse(s);
    }

    byte[] read(long off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining() && ch.read(b, off + b.position()) > 0) {
            // to the end
        }
        return b.array();
    }

    void write(long off, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) ch.write(b, off + b.position());
    }

    Fat fat(int copy) throws IOException {
        byte[] raw = read((bpb.reservedSectors + copy * bpb.fatSectors) * bpb.bytesPerSector, (int) (bpb.fatSectors * bpb.bytesPerSector));
        return new Fat(bpb.type, raw, bpb.bytesPerSector, bpb.maxCluster());
    }

    /** Sets FAT entry {@code c} in copy {@code copy} (or in all copies for -1). */
    void setFat(int copy, long c, long value) throws IOException {
        for (int i = 0; i < bpb.numFats; i++) {
            if (copy >= 0 && i != copy) continue;
            Fat f = fat(i);
            f.set(c, value);
            write((bpb.reservedSectors + i * bpb.fatSectors) * bpb.bytesPerSector, f.raw());
        }
    }

    /** The device position of the short entry named {@code raw11} in the root directory (FAT12/16 or FAT32). */
    long rootEntry(String raw11) throws Exception {
        return entryIn(bpb.isFat32() ? bpb.rootCluster : 0, raw11);
    }

    /** The position of the short entry {@code raw11} in the directory starting at {@code cluster} (0: fixed root). */
    long entryIn(long cluster, String raw11) throws Exception {
        byte[] name = raw11.getBytes(StandardCharsets.ISO_8859_1);
        if (cluster == 0) {
            long base = bpb.firstRootDirSector * bpb.bytesPerSector;
            byte[] dir = read(base, bpb.rootEntries * 32);
            for (int o = 0; o < dir.length; o += 32) if (java.util.Arrays.equals(dir, o, o + 11, name, 0, 11)) return base + o;
        } else {
            FatChain chain = FatChain.walk(fat(0), cluster, "test");
            for (int i = 0; i < chain.length(); i++) {
                long base = bpb.clusterOffset(chain.get(i));
                byte[] dir = read(base, bpb.clusterBytes);
                for (int o = 0; o < dir.length; o += 32) if (java.util.Arrays.equals(dir, o, o + 11, name, 0, 11)) return base + o;
            }
        }
        throw new AssertionError("no entry " + raw11);
    }

    DirEntry entry(long pos) throws IOException {
        return DirEntry.parse(read(pos, 32), 0);
    }

    void putEntry(long pos, DirEntry e) throws IOException {
        byte[] raw = new byte[32];
        e.write(raw, 0);
        write(pos, raw);
    }

    void putU32(long off, long v) throws IOException {
        write(off, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    /** One kind of damage. */
    @FunctionalInterface
    interface Poke {
        void apply(Damage d) throws Exception;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
