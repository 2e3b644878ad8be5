package jrump.fs.msdosfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jrump.rumpvfs.tool.ImageWriter;
import jrump.rumpvfs.tool.MakefsTree.Dir;
import jrump.rumpvfs.tool.MakefsTree.File;
import jrump.rumpvfs.tool.MakefsTree.Node;

/**
 * makefs -t msdos: a FAT image holding a tree, in one pass and without a kernel. The volume is formatted
 * as {@link Newfs} does, then every directory and file gets consecutive clusters in tree order (a
 * directory's own clusters before its children's), so every file is one contiguous run; names get their
 * 8.3 aliases against the names of their own directory, as the kernel gives them.
 *
 * <p>Of the {@link jrump.rumpvfs.tool.MakefsTree} FAT keeps names, sizes, content and modification times
 * (to two seconds); creation and access dates are the build's time. Owners and permissions have no
 * place in a FAT entry; a symbolic link or special file is refused. A file under two names is two files.
 */
public final class Makefs {
    private Makefs() {
    }

    /**
     * What to build: {@code newfs}'s size 0 picks one that fits the tree with a quarter to spare; the
     * other fields as {@link Newfs.Options}. {@code nowNanos} stamps creation and access times.
     */
    public record Options(Newfs.Options newfs, long nowNanos) {
    }

    public record Result(int fatType, long clusters, int clusterBytes, long freeClusters, long sizeBytes) {
    }

    /** Builds the image; IllegalArgumentException for a tree FAT cannot hold (names, sizes, space). */
    public static Result build(Dir root, Options o, ImageWriter sink) throws IOException {
        refuseOtherTypes(root, "");
        Newfs.Options n = o.newfs();
        if (n.sizeBytes() == 0) n = new Newfs.Options(fitSize(root, n), n.fatType(), n.bytesPerSector(), n.clusterBytes(), n.label(), n.volumeId());
        Bpb bpb = Newfs.layout(n);
        Newfs.format(n, sink);
        Builder b = new Builder(bpb, sink, o.nowNanos());
        try {
            b.root(root);
        } catch (FatError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        b.finish();
        return new Result(bpb.type.bits, bpb.clusterCount, bpb.clusterBytes, b.fat.freeCount(), bpb.totalSectors * bpb.bytesPerSector);
    }

    /** Before anything is written: every node is a directory or a regular file. */
    private static void refuseOtherTypes(Dir d, String path) {
        for (Map.Entry<String, Node> e : d.entries()) {
            String p = path + "/" + e.getKey();
            switch (e.getValue()) {
                case Dir sub -> refuseOtherTypes(sub, p);
                case File f -> { }
                default -> throw new IllegalArgumentException(p + ": FAT holds only directories and regular files");
            }
        }
    }

    /**
     * A size with a quarter to spare over what the tree takes in 4 KiB clusters, at least 1 MiB, and
     * doubled until the requested type and cluster size can have it (FAT32 needs 65,525 clusters).
     */
    private static long fitSize(Dir root, Newfs.Options n) {
        long need = need(root);
        long size = (Math.max(1L << 20, need + need / 4 + (256L << 10)) + 1048575) / 1048576 * 1048576;
        for (int i = 0; ; i++) {
            try {
                Newfs.layout(new Newfs.Options(size, n.fatType(), n.bytesPerSector(), n.clusterBytes(), n.label(), n.volumeId()));
                return size;
            } catch (IllegalArgumentException e) {
                if (i == 20) throw e; // 2^20 MiB: no size will do
                size *= 2;
            }
        }
    }

    private static long need(Dir d) {
        long bytes = 4096L * (1 + (d.entries().size() * 3L * DirEntry.SIZE) / 4096);
        for (Map.Entry<String, Node> e : d.entries()) {
            bytes += e.getValue() instanceof Dir sub ? need(sub) : (((File) e.getValue()).size() + 4095) / 4096 * 4096;
        }
        return bytes;
    }

    /** The state of one build: the FAT in memory and the next free cluster. */
    private static final class Builder {
        final Bpb bpb;
        final ImageWriter sink;
        final Fat fat;
        final long now;

        Builder(Bpb bpb, ImageWriter sink, long now) {
            this.bpb = bpb;
            this.sink = sink;
            this.now = now;
            this.fat = new Fat(bpb.type, new byte[Math.toIntExact(bpb.fatSectors * bpb.bytesPerSector)], bpb.bytesPerSector, bpb.maxCluster());
            fat.set(0, (bpb.type.eoc & ~0xFFL) | bpb.media);
            fat.set(1, bpb.type.eoc);
        }

        /** Takes {@code count} clusters as one chain (FAT order: the next free ones). */
        long take(long count) throws FatError {
            return count == 0 ? 0 : fat.allocate(count, 0);
        }

        void root(Dir root) throws IOException, FatError {
            List<byte[]> slots = entries(root, 0);
            List<byte[]> withLabel = new ArrayList<>();
            if (!bpb.label.isEmpty()) withLabel.add(Newfs.labelEntry(bpb.label));
            withLabel.addAll(slots);
            byte[] dir = concat(withLabel, 0);
            if (bpb.isFat32()) {
                int clusters = Math.max(1, (dir.length + bpb.clusterBytes - 1) / bpb.clusterBytes);
                fat.set(bpb.rootCluster, bpb.type.eoc);
                long last = bpb.rootCluster;
                for (int i = 1; i < clusters; i++) last = fat.allocate(1, last);
                placeChildren(root, slots, 0);
                writeDir(FatChain.walk(fat, bpb.rootCluster, "the root directory"), concat(withLabel, 0));
            } else {
                if (dir.length > bpb.rootEntries * DirEntry.SIZE) {
                    throw new FatError(jrump.rumpkern.Errno.ENOSPC, "the root directory holds " + bpb.rootEntries + " entries: too many names");
                }
                placeChildren(root, slots, 0);
                sink.write(bpb.firstRootDirSector * bpb.bytesPerSector, ByteBuffer.wrap(concat(withLabel, 0)));
            }
        }

        /**
         * The slots of {@code d}'s entries in order, one array per entry (long-name pieces and the short
         * entry); clusters of children are filled in later by {@link #placeChildren}.
         */
        List<byte[]> entries(Dir d, long parentCluster) throws FatError {
            Set<String> taken = new HashSet<>();
            Set<String> names = new HashSet<>();
            List<byte[]> out = new ArrayList<>();
            for (Map.Entry<String, Node> e : d.entries()) {
                String name = e.getKey();
                ShortNames.check(name);
                if (!names.add(ShortNames.fold(name))) throw new FatError(jrump.rumpkern.Errno.EEXIST, "'" + name + "' twice (FAT names ignore case)");
                DirEntry de = entry(e.getValue());
                byte[] slots = ShortNames.slotsFor(name, de, taken);
                taken.add(de.rawName());
                out.add(slots);
            }
            return out;
        }

        DirEntry entry(Node n) throws FatError {
            DirEntry de = new DirEntry();
            de.attr = n instanceof Dir ? DirEntry.ATTR_DIRECTORY : DirEntry.ATTR_ARCHIVE;
            int[] m = FatTime.encode(n.attrs().mtime(), 0);
            int[] c = FatTime.encode(now, 0);
            de.wrtDate = m[0];
            de.wrtTime = m[1];
            de.crtDate = c[0];
            de.crtTime = c[1];
            de.crtTenth = c[2];
            de.accDate = c[0];
            if (n instanceof File f) {
                if (f.size() > DirEntry.MAX_FILE_SIZE) throw new FatError(jrump.rumpkern.Errno.EFBIG, "a file of " + f.size() + " bytes (FAT ends at 4 GiB - 1)");
                de.size = f.size();
            }
            return de;
        }

        /** Gives each child of {@code d} its clusters and content, and fixes the cluster in its short entry. */
        void placeChildren(Dir d, List<byte[]> slots, long selfCluster) throws IOException, FatError {
            int i = 0;
            for (Map.Entry<String, Node> e : d.entries()) {
                byte[] s = slots.get(i++);
                int at = s.length - DirEntry.SIZE;
                DirEntry de = DirEntry.parse(s, at);
                if (e.getValue() instanceof File f) {
                    de.firstCluster = take((f.size() + bpb.clusterBytes - 1) / bpb.clusterBytes);
                    writeFile(f, de.firstCluster);
                } else {
                    de.firstCluster = subdir((Dir) e.getValue(), de, selfCluster);
                }
                de.write(s, at);
            }
        }

        /** A subdirectory: its clusters, ".", "..", its entries, then its children. */
        long subdir(Dir d, DirEntry self, long parentCluster) throws IOException, FatError {
            List<byte[]> slots = entries(d, 0);
            int bytes = (slots.stream().mapToInt(s -> s.length).sum() + 2 * DirEntry.SIZE);
            if (bytes > Directory.MAX_SLOTS * DirEntry.SIZE) throw new FatError(jrump.rumpkern.Errno.ENOSPC, "a directory of more than 65,536 entries");
            long first = take(Math.max(1, (bytes + bpb.clusterBytes - 1) / bpb.clusterBytes));
            placeChildren(d, slots, first);
            byte[] dots = new byte[2 * DirEntry.SIZE];
            DirEntry.dot(".", first, self).write(dots, 0);
            DirEntry.dot("..", parentCluster, self).write(dots, DirEntry.SIZE);
            List<byte[]> all = new ArrayList<>();
            all.add(dots);
            all.addAll(slots);
            writeDir(FatChain.walk(fat, first, "a new directory"), concat(all, 0));
            return first;
        }

        /** A directory's bytes over its clusters, the rest of its last cluster zeros. */
        void writeDir(FatChain chain, byte[] dir) throws IOException {
            int cs = bpb.clusterBytes;
            for (int i = 0; i < chain.length(); i++) {
                byte[] c = new byte[cs];
                if (i * cs < dir.length) System.arraycopy(dir, i * cs, c, 0, Math.min(cs, dir.length - i * cs));
                sink.write(bpb.clusterOffset(chain.get(i)), ByteBuffer.wrap(c));
            }
        }

        /** A file's content into its (contiguous) clusters, in chunks of up to 1 MiB. */
        void writeFile(File f, long first) throws IOException {
            if (f.size() == 0) return;
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(1 << 20, f.size()));
            long base = bpb.clusterOffset(first);
            for (long off = 0; off < f.size(); ) {
                buf.clear().limit((int) Math.min(buf.capacity(), f.size() - off));
                while (buf.hasRemaining()) {
                    int n = f.content().read(off + buf.position(), buf);
                    if (n < 0) throw new IOException("file content ended at " + (off + buf.position()) + " of " + f.size() + " bytes");
                }
                buf.flip();
                int len = buf.remaining();
                sink.write(base + off, buf);
                off += len;
            }
        }

        static byte[] concat(List<byte[]> parts, int extra) {
            int len = extra;
            for (byte[] p : parts) len += p.length;
            ByteBuffer b = ByteBuffer.allocate(len);
            for (byte[] p : parts) b.put(p);
            return b.array();
        }

        /** Every FAT copy and FSInfo. */
        void finish() throws IOException {
            for (int copy = 0; copy < bpb.numFats; copy++) {
                sink.write((bpb.reservedSectors + copy * bpb.fatSectors) * bpb.bytesPerSector, ByteBuffer.wrap(fat.raw()));
            }
            if (bpb.isFat32()) {
                byte[] info = Newfs.fsInfo(bpb.bytesPerSector, fat.freeCount(), fat.nextFree());
                sink.write((long) Newfs.FAT32_FSINFO_SECTOR * bpb.bytesPerSector, ByteBuffer.wrap(info));
                sink.write((long) (Newfs.FAT32_BACKUP_BOOT_SECTOR + 1) * bpb.bytesPerSector, ByteBuffer.wrap(info));
            }
        }
    }
}
