package jrump.fs.msdosfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import jrump.rumpvfs.tool.ImageWriter;

/**
 * newfs_msdos / mkfs.fat: an empty FAT file system. The FAT type and cluster size follow the size as
 * mkfs.fat 4.2 chooses them (FAT12 up to 8 MiB with 2 KiB clusters; FAT16 below 512 MiB with 2, 4 or
 * 8 KiB clusters; FAT32 from 512 MiB with 4 KiB clusters up to 8 GiB, 8 up to 16, 16 up to 32, then 32
 * KiB), or the type is forced and the cluster size is the first that gives that type a cluster count it
 * can have (fatgen103 "FAT Type Determination"). Two FATs, 512 root entries on FAT12/16; FAT32 gets 32
 * reserved sectors, FSInfo in sector 1 and a backup boot sector (and FSInfo) in sectors 6 and 7.
 */
public final class Newfs {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    static final int FAT32_RESERVED = 32;
    static final int FAT32_FSINFO_SECTOR = 1;
    static final int FAT32_BACKUP_BOOT_SECTOR = 6;
    static final int ROOT_ENTRIES = 512;
    static final int MEDIA_FIXED_DISK = 0xF8;

    private Newfs() {
    }

    /**
     * What to make: {@code fatType} 0 chooses from the size, else 12, 16 or 32; {@code clusterBytes} 0
     * chooses, else a power of two from the sector size to 64 KiB; {@code label} up to 11 characters (or
     * null); {@code volumeId} the serial number (the caller's: a tool takes it from the clock).
     */
    public record Options(long sizeBytes, int fatType, int bytesPerSector, int clusterBytes, String label, long volumeId) {
        public Options {
            if (bytesPerSector != 512 && bytesPerSector != 1024 && bytesPerSector != 2048 && bytesPerSector != 4096) {
                throw new IllegalArgumentException("sector size " + bytesPerSector + " (512, 1024, 2048 or 4096)");
            }
            if (fatType != 0 && fatType != 12 && fatType != 16 && fatType != 32) throw new IllegalArgumentException("FAT type " + fatType + " (12, 16 or 32)");
            if (clusterBytes != 0 && (Integer.bitCount(clusterBytes) != 1 || clusterBytes < bytesPerSector || clusterBytes > Bpb.MAX_CLUSTER_BYTES)) {
                throw new IllegalArgumentException("cluster size " + clusterBytes + " (a power of two from the sector size to 64 KiB)");
            }
            if (label != null && (label.length() > 11 || !StandardCharsets.US_ASCII.newEncoder().canEncode(label))) {
                throw new IllegalArgumentException("label '" + label + "': at most 11 ASCII characters");
            }
        }

        public static Options of(long sizeBytes) {
            return new Options(sizeBytes, 0, 512, 0, null, 0x12345678L);
        }
    }

    /** What was made. */
    public record Result(int fatType, long clusters, int clusterBytes, long fatSectors, long freeClusters) {
    }

    /** Formats: writes the boot sector(s), FSInfo, zeroed FATs with their reserved entries, an empty root. */
    public static Result format(Options o, ImageWriter sink) throws IOException {
        Bpb bpb = layout(o);
        write(bpb, sink);
        return new Result(bpb.type.bits, bpb.clusterCount, bpb.clusterBytes, bpb.fatSectors, bpb.clusterCount - (bpb.isFat32() ? 1 : 0));
    }

    /** The BPB for {@code o}: type, cluster size and FAT size. IllegalArgumentException when it cannot fit. */
    static Bpb layout(Options o) {
        int bps = o.bytesPerSector();
        long sectors = o.sizeBytes() / bps;
        long size = o.sizeBytes();
        int type = o.fatType() != 0 ? o.fatType() : size <= 8 * MIB ? 12 : size < 512 * MIB ? 16 : 32;
        int[] candidates = o.clusterBytes() != 0 ? new int[] {o.clusterBytes()} : clusterSizes(type, size, bps);
        for (int cb : candidates) {
            Bpb b = tryLayout(o, type, sectors, cb / bps);
            if (b != null) return b;
        }
        throw new IllegalArgumentException(o.sizeBytes() + " bytes cannot hold FAT" + type
                + (o.clusterBytes() != 0 ? " with " + o.clusterBytes() + "-byte clusters" : "") + " (FAT12 < 4085 clusters <= FAT16 < 65525 clusters <= FAT32)");
    }

    /** Cluster sizes to try: mkfs.fat's choice for the size first, then the others smallest first. */
    private static int[] clusterSizes(int type, long size, int bps) {
        int preferred = switch (type) {
            case 16 -> size <= 128 * MIB ? 2048 : size <= 256 * MIB ? 4096 : 8192;
            case 32 -> size <= 8 * GIB ? 4096 : size <= 16 * GIB ? 8192 : size <= 32 * GIB ? 16384 : 32768;
            default -> 2048;
        };
        java.util.List<Integer> out = new java.util.ArrayList<>();
        out.add(Math.max(preferred, bps));
        for (int cb = bps; cb <= Bpb.MAX_CLUSTER_BYTES; cb *= 2) if (!out.contains(cb)) out.add(cb);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The layout with {@code spc} sectors a cluster, or null when the cluster count does not fit the type. */
    private static Bpb tryLayout(Options o, int type, long sectors, int spc) {
        int bps = o.bytesPerSector();
        boolean fat32 = type == 32;
        int reserved = fat32 ? FAT32_RESERVED : 1;
        int rootEntries = fat32 ? 0 : Math.max(ROOT_ENTRIES, bps / Bpb.DIR_ENTRY_SIZE);
        long rootSectors = ((long) rootEntries * Bpb.DIR_ENTRY_SIZE + bps - 1) / bps;
        FatType ft = type == 12 ? FatType.FAT12 : type == 16 ? FatType.FAT16 : FatType.FAT32;
        // the FAT's size and the cluster count depend on each other: iterate to the fixed point
        long fatSz = 1;
        long clusters = 0;
        for (int i = 0; i < 64; i++) {
            long data = sectors - reserved - 2 * fatSz - rootSectors;
            if (data <= 0) return null;
            clusters = data / spc;
            long need = (ft.fatBytes(clusters + 2) + bps - 1) / bps;
            if (need <= fatSz) break;
            fatSz = need;
        }
        if (FatType.forClusters(clusters) != ft || (fat32 && clusters > FatType.FAT32_MAX_CLUSTERS)) return null;
        if (!fat32 && sectors > 0xFFFFFFFFL) return null;
        String label = o.label() == null ? "" : o.label().toUpperCase(java.util.Locale.ROOT);
        Bpb b = new Bpb(bps, spc, reserved, 2, rootEntries, sectors, fatSz, MEDIA_FIXED_DISK, fat32 ? 2 : 0,
                fat32 ? FAT32_FSINFO_SECTOR : 0, -1, o.volumeId(), label);
        return b.type == ft && b.clusterCount == clusters ? b : null;
    }

    private static void write(Bpb bpb, ImageWriter sink) throws IOException {
        int bps = bpb.bytesPerSector;
        boolean fat32 = bpb.isFat32();
        // everything before the data area starts as zeros (a reused image keeps nothing of its past)
        long metaBytes = bpb.firstDataSector * bps;
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(1 << 20, metaBytes));
        for (long off = 0; off < metaBytes; off += zeros.capacity()) {
            sink.write(off, zeros.clear().limit((int) Math.min(zeros.capacity(), metaBytes - off)));
        }
        byte[] boot = bpb.encode("JRUMP", 32, 64, 0, fat32 ? FAT32_BACKUP_BOOT_SECTOR : 0);
        sink.write(0, ByteBuffer.wrap(boot));
        byte[] fat = new byte[bps];
        Fat first = new Fat(bpb.type, fat, bps, Math.min(bpb.maxCluster(), (long) bps * 8 / bpb.type.bits - 1));
        first.set(0, (bpb.type.eoc & ~0xFFL) | bpb.media); // FAT[0]: the media byte, the rest ones
        first.set(1, bpb.type.eoc);
        if (fat32) first.set(bpb.rootCluster, bpb.type.eoc);
        for (int copy = 0; copy < bpb.numFats; copy++) sink.write((bpb.reservedSectors + copy * bpb.fatSectors) * bps, ByteBuffer.wrap(fat));
        if (fat32) {
            byte[] info = fsInfo(bps, bpb.clusterCount - 1, 3);
            sink.write((long) FAT32_FSINFO_SECTOR * bps, ByteBuffer.wrap(info));
            sink.write((long) FAT32_BACKUP_BOOT_SECTOR * bps, ByteBuffer.wrap(boot));
            sink.write((long) (FAT32_BACKUP_BOOT_SECTOR + 1) * bps, ByteBuffer.wrap(info));
            sink.write(bpb.clusterOffset(bpb.rootCluster), ByteBuffer.allocate(bpb.clusterBytes));
        }
        if (!bpb.label.isEmpty()) {
            long root = fat32 ? bpb.clusterOffset(bpb.rootCluster) : bpb.firstRootDirSector * bps;
            sink.write(root, ByteBuffer.wrap(labelEntry(bpb.label)));
        }
        // the last byte, so that an image file has its full size
        long end = bpb.totalSectors * bps;
        sink.write(end - 1, ByteBuffer.allocate(1));
    }

    /** The root directory's volume-label entry, which fsck.fat expects to match the boot sector's label. */
    static byte[] labelEntry(String label) {
        DirEntry e = new DirEntry();
        byte[] n = (label + "           ").substring(0, 11).getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(n, 0, e.name, 0, 11);
        e.attr = DirEntry.ATTR_VOLUME_ID;
        e.wrtDate = e.crtDate = e.accDate = (1 << 5) | 1;
        byte[] raw = new byte[DirEntry.SIZE];
        e.write(raw, 0);
        return raw;
    }

    /** The FSInfo sector (fatgen103 "FSInfo Sector Structure"). */
    static byte[] fsInfo(int bps, long free, long nextFree) {
        byte[] s = new byte[bps];
        ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Msdosfs.FSI_LEAD_SIG_OFFSET, Msdosfs.FSI_LEAD_SIG);
        b.putInt(Msdosfs.FSI_STRUC_SIG_OFFSET, Msdosfs.FSI_STRUC_SIG);
        b.putInt(Msdosfs.FSI_FREE_COUNT_OFFSET, (int) free);
        b.putInt(Msdosfs.FSI_NXT_FREE_OFFSET, (int) nextFree);
        b.putInt(Msdosfs.FSI_TRAIL_SIG_OFFSET, Msdosfs.FSI_TRAIL_SIG);
        return s;
    }
}
