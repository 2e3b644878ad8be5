package jrump.fs.msdosfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The boot sector's BIOS Parameter Block (fatgen103 "Boot Sector and BPB Structure") and the layout it
 * implies: where the FATs, the FAT12/16 root directory and the data clusters are. {@link #parse} checks
 * every field later arithmetic depends on, so a damaged boot sector is a clear error, never a wild read.
 */
final class Bpb {
    /** Offsets shared by all types. */
    static final int BS_JMP_BOOT = 0;
    static final int BS_OEM_NAME = 3;
    static final int BPB_BYTS_PER_SEC = 11;
    static final int BPB_SEC_PER_CLUS = 13;
    static final int BPB_RSVD_SEC_CNT = 14;
    static final int BPB_NUM_FATS = 16;
    static final int BPB_ROOT_ENT_CNT = 17;
    static final int BPB_TOT_SEC16 = 19;
    static final int BPB_MEDIA = 21;
    static final int BPB_FAT_SZ16 = 22;
    static final int BPB_SEC_PER_TRK = 24;
    static final int BPB_NUM_HEADS = 26;
    static final int BPB_HIDD_SEC = 28;
    static final int BPB_TOT_SEC32 = 32;
    /** FAT12/16 extended fields. */
    static final int BS16_DRV_NUM = 36;
    static final int BS16_BOOT_SIG = 38;
    static final int BS16_VOL_ID = 39;
    static final int BS16_VOL_LAB = 43;
    static final int BS16_FIL_SYS_TYPE = 54;
    /** FAT32 extended fields. */
    static final int BPB_FAT_SZ32 = 36;
    static final int BPB_EXT_FLAGS = 40;
    static final int BPB_FS_VER = 42;
    static final int BPB_ROOT_CLUS = 44;
    static final int BPB_FS_INFO = 48;
    static final int BPB_BK_BOOT_SEC = 50;
    static final int BS32_DRV_NUM = 64;
    static final int BS32_BOOT_SIG = 66;
    static final int BS32_VOL_ID = 67;
    static final int BS32_VOL_LAB = 71;
    static final int BS32_FIL_SYS_TYPE = 82;
    /** 0x55 0xAA at bytes 510 and 511 of sector 0, whatever the sector size. */
    static final int SIGNATURE_OFFSET = 510;
    static final int EXTENDED_BOOT_SIGNATURE = 0x29;
    /** BPB_ExtFlags bit 7: only the active FAT (bits 0-3) is used, the others are not mirrored. */
    static final int EXT_FLAGS_NO_MIRROR = 0x80;
    /** fatgen103 allows clusters up to 32 KiB; 64 KiB ones are in use (Windows NT, mkfs.fat -s 128 with 512-byte sectors). */
    static final int MAX_CLUSTER_BYTES = 64 << 10;
    /** Directory entries are 32 bytes. */
    static final int DIR_ENTRY_SIZE = 32;

    final int bytesPerSector;
    final int sectorsPerCluster;
    final int reservedSectors;
    final int numFats;
    final int rootEntries;
    final long totalSectors;
    final long fatSectors;
    final int media;
    final FatType type;
    /** FAT32: the root directory's first cluster; 0 for FAT12/16 (a fixed region). */
    final long rootCluster;
    /** FAT32: the FSInfo sector; 0 when there is none. */
    final int fsInfoSector;
    /** The FAT copy in use when mirroring is off, else -1: every copy is written. */
    final int activeFat;
    final long volumeId;
    final String label;

    // the layout (fatgen103 "FAT Data Structure")
    final long rootDirSectors;
    final long firstRootDirSector;
    final long firstDataSector;
    final long clusterCount;
    final int clusterBytes;

    Bpb(int bytesPerSector, int sectorsPerCluster, int reservedSectors, int numFats, int rootEntries, long totalSectors,
        long fatSectors, int media, long rootCluster, int fsInfoSector, int activeFat, long volumeId, String label) {
        this.bytesPerSector = bytesPerSector;
        this.sectorsPerCluster = sectorsPerCluster;
        this.reservedSectors = reservedSectors;
        this.numFats = numFats;
        this.rootEntries = rootEntries;
        this.totalSectors = totalSectors;
        this.fatSectors = fatSectors;
        this.media = media;
        this.rootCluster = rootCluster;
        this.fsInfoSector = fsInfoSector;
        this.activeFat = activeFat;
        this.volumeId = volumeId;
        this.label = label;
        this.rootDirSectors = ((long) rootEntries * DIR_ENTRY_SIZE + bytesPerSector - 1) / bytesPerSector;
        this.firstRootDirSector = reservedSectors + numFats * fatSectors;
        this.firstDataSector = firstRootDirSector + rootDirSectors;
        this.clusterCount = Math.max(0, (totalSectors - firstDataSector) / sectorsPerCluster);
        this.type = FatType.forClusters(clusterCount);
        this.clusterBytes = bytesPerSector * sectorsPerCluster;
    }

    /** The highest valid cluster number (clusters are numbered from 2). */
    long maxCluster() {
        return clusterCount + 1;
    }

    /** The first sector of data cluster {@code c} (fatgen103: FirstSectorofCluster). */
    long clusterSector(long c) {
        return firstDataSector + (c - 2) * sectorsPerCluster;
    }

    long clusterOffset(long c) {
        return clusterSector(c) * bytesPerSector;
    }

    boolean isFat32() {
        return type == FatType.FAT32;
    }

    private static int u8(ByteBuffer b, int off) {
        return b.get(off) & 0xff;
    }

    private static int u16(ByteBuffer b, int off) {
        return b.getShort(off) & 0xffff;
    }

    private static long u32(ByteBuffer b, int off) {
        return b.getInt(off) & 0xffffffffL;
    }

    private static boolean powerOfTwo(long v) {
        return v > 0 && (v & (v - 1)) == 0;
    }

    /**
     * Parses and checks sector 0. Not a FAT boot sector at all (no jump instruction and no signature):
     * EFTYPE; a FAT boot sector with a field that cannot be right: EIO naming the field.
     */
    static Bpb parse(byte[] sector0) throws FatError {
        if (sector0.length < 512) throw new FatError(jrump.rumpkern.Errno.EFTYPE, "boot sector shorter than 512 bytes");
        ByteBuffer b = ByteBuffer.wrap(sector0).order(ByteOrder.LITTLE_ENDIAN);
        int jump = u8(b, BS_JMP_BOOT);
        boolean signature = u8(b, SIGNATURE_OFFSET) == 0x55 && u8(b, SIGNATURE_OFFSET + 1) == 0xAA;
        if (jump != 0xEB && jump != 0xE9 && !signature) {
            throw new FatError(jrump.rumpkern.Errno.EFTYPE, "no FAT boot sector (neither a jump instruction nor the 0x55AA signature)");
        }
        int bps = u16(b, BPB_BYTS_PER_SEC);
        if (bps < 512 || bps > 4096 || !powerOfTwo(bps)) throw FatError.corrupt("BPB_BytsPerSec " + bps + " (512, 1024, 2048 or 4096)");
        int spc = u8(b, BPB_SEC_PER_CLUS);
        if (!powerOfTwo(spc)) throw FatError.corrupt("BPB_SecPerClus " + spc + " (a power of 2 up to 128)");
        if ((long) spc * bps > MAX_CLUSTER_BYTES) throw FatError.corrupt("clusters of " + spc * bps + " bytes (at most 64 KiB)");
        int rsvd = u16(b, BPB_RSVD_SEC_CNT);
        if (rsvd == 0) throw FatError.corrupt("BPB_RsvdSecCnt 0");
        int nfats = u8(b, BPB_NUM_FATS);
        if (nfats == 0) throw FatError.corrupt("BPB_NumFATs 0");
        int rootEnt = u16(b, BPB_ROOT_ENT_CNT);
        long tot = u16(b, BPB_TOT_SEC16);
        if (tot == 0) tot = u32(b, BPB_TOT_SEC32);
        int media = u8(b, BPB_MEDIA);
        if (media != 0xF0 && media < 0xF8) throw FatError.corrupt("BPB_Media 0x" + Integer.toHexString(media));
        long fatSz = u16(b, BPB_FAT_SZ16);
        boolean fat32Layout = fatSz == 0;
        if (fat32Layout) fatSz = u32(b, BPB_FAT_SZ32);
        if (fatSz == 0) throw FatError.corrupt("FAT size 0");
        long rootClus = 0;
        int fsInfo = 0;
        int active = -1;
        long volId;
        String label;
        if (fat32Layout) {
            rootClus = u32(b, BPB_ROOT_CLUS);
            fsInfo = u16(b, BPB_FS_INFO);
            int ext = u16(b, BPB_EXT_FLAGS);
            if ((ext & EXT_FLAGS_NO_MIRROR) != 0) active = ext & 0x0f;
            if (u16(b, BPB_FS_VER) != 0) throw new FatError(jrump.rumpkern.Errno.EOPNOTSUPP, "FAT32 version " + u16(b, BPB_FS_VER));
            volId = u8(b, BS32_BOOT_SIG) == EXTENDED_BOOT_SIGNATURE ? u32(b, BS32_VOL_ID) : 0;
            label = u8(b, BS32_BOOT_SIG) == EXTENDED_BOOT_SIGNATURE ? text(sector0, BS32_VOL_LAB, 11) : "";
        } else {
            volId = u8(b, BS16_BOOT_SIG) == EXTENDED_BOOT_SIGNATURE ? u32(b, BS16_VOL_ID) : 0;
            label = u8(b, BS16_BOOT_SIG) == EXTENDED_BOOT_SIGNATURE ? text(sector0, BS16_VOL_LAB, 11) : "";
        }
        if (active >= nfats) throw FatError.corrupt("active FAT " + active + " of " + nfats);
        Bpb p = new Bpb(bps, spc, rsvd, nfats, rootEnt, tot, fatSz, media, rootClus, fsInfo, active, volId, label);
        p.checkLayout(fat32Layout);
        return p;
    }

    private void checkLayout(boolean fat32Layout) throws FatError {
        if (firstDataSector >= totalSectors) {
            throw FatError.corrupt("the FATs and the root directory (" + firstDataSector + " sectors) fill the volume of " + totalSectors);
        }
        if (clusterCount < 1) throw FatError.corrupt("no data clusters");
        if (type == FatType.FAT32) {
            if (!fat32Layout) throw FatError.corrupt(clusterCount + " clusters (FAT32) with a FAT12/16 boot sector");
            if (rootEntries != 0) throw FatError.corrupt("BPB_RootEntCnt " + rootEntries + " on FAT32");
            if (rootCluster < 2 || rootCluster > maxCluster()) throw FatError.corrupt("BPB_RootClus " + rootCluster);
            if (clusterCount > FatType.FAT32_MAX_CLUSTERS) throw FatError.corrupt(clusterCount + " clusters: more than FAT32 can number");
            if (fsInfoSector >= reservedSectors) throw FatError.corrupt("BPB_FSInfo " + fsInfoSector + " outside the reserved sectors");
        } else {
            if (rootEntries == 0) throw FatError.corrupt("BPB_RootEntCnt 0 on " + type);
        }
        if (type.fatBytes(clusterCount + 2) > fatSectors * bytesPerSector) {
            throw FatError.corrupt("a FAT of " + fatSectors + " sectors cannot hold " + clusterCount + " clusters");
        }
    }

    /** A space-padded OEM string field, trailing spaces removed. */
    private static String text(byte[] raw, int off, int len) {
        return new String(raw, off, len, StandardCharsets.ISO_8859_1).stripTrailing();
    }

    /** The boot sector this BPB describes, for newfs: an x86 jump to a halting loop, the fields, the signature. */
    byte[] encode(String oemName, int sectorsPerTrack, int heads, long hiddenSectors, int backupBootSector) {
        byte[] s = new byte[bytesPerSector];
        ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        boolean fat32 = isFat32();
        int bootCode = fat32 ? 90 : 62;
        b.put(0, (byte) 0xEB).put(1, (byte) (bootCode - 2)).put(2, (byte) 0x90);
        byte[] oem = (oemName + "        ").substring(0, 8).getBytes(StandardCharsets.ISO_8859_1);
        b.put(BS_OEM_NAME, oem);
        b.putShort(BPB_BYTS_PER_SEC, (short) bytesPerSector);
        b.put(BPB_SEC_PER_CLUS, (byte) sectorsPerCluster);
        b.putShort(BPB_RSVD_SEC_CNT, (short) reservedSectors);
        b.put(BPB_NUM_FATS, (byte) numFats);
        b.putShort(BPB_ROOT_ENT_CNT, (short) rootEntries);
        if (totalSectors < 0x10000 && !fat32) b.putShort(BPB_TOT_SEC16, (short) totalSectors);
        else b.putInt(BPB_TOT_SEC32, (int) totalSectors);
        b.put(BPB_MEDIA, (byte) media);
        b.putShort(BPB_SEC_PER_TRK, (short) sectorsPerTrack);
        b.putShort(BPB_NUM_HEADS, (short) heads);
        b.putInt(BPB_HIDD_SEC, (int) hiddenSectors);
        int sig;
        int volIdAt;
        int labAt;
        int typeAt;
        if (fat32) {
            b.putInt(BPB_FAT_SZ32, (int) fatSectors);
            b.putInt(BPB_ROOT_CLUS, (int) rootCluster);
            b.putShort(BPB_FS_INFO, (short) fsInfoSector);
            b.putShort(BPB_BK_BOOT_SEC, (short) backupBootSector);
            b.put(BS32_DRV_NUM, (byte) 0x80);
            sig = BS32_BOOT_SIG;
            volIdAt = BS32_VOL_ID;
            labAt = BS32_VOL_LAB;
            typeAt = BS32_FIL_SYS_TYPE;
        } else {
            b.putShort(BPB_FAT_SZ16, (short) fatSectors);
            b.put(BS16_DRV_NUM, (byte) (media == 0xF0 ? 0x00 : 0x80));
            sig = BS16_BOOT_SIG;
            volIdAt = BS16_VOL_ID;
            labAt = BS16_VOL_LAB;
            typeAt = BS16_FIL_SYS_TYPE;
        }
        b.put(sig, (byte) EXTENDED_BOOT_SIGNATURE);
        b.putInt(volIdAt, (int) volumeId);
        String lab = label.isEmpty() ? "NO NAME" : label;
        b.put(labAt, (lab + "           ").substring(0, 11).getBytes(StandardCharsets.ISO_8859_1));
        String fsType = switch (type) {
            case FAT12 -> "FAT12   ";
            case FAT16 -> "FAT16   ";
            case FAT32 -> "FAT32   ";
        };
        b.put(typeAt, fsType.getBytes(StandardCharsets.ISO_8859_1));
        // boot code: "int 0x18" style halt loop is enough: jmp $ (0xEB 0xFE)
        b.put(bootCode, (byte) 0xEB).put(bootCode + 1, (byte) 0xFE);
        b.put(SIGNATURE_OFFSET, (byte) 0x55).put(SIGNATURE_OFFSET + 1, (byte) 0xAA);
        return s;
    }
}
