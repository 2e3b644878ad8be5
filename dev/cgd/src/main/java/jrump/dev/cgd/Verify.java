package jrump.dev.cgd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.Vop;

/**
 * cgdconfig(8)'s verification methods: after configuring with a key, the decrypted disk must hold what the
 * method expects, else the key (the passphrase) is wrong. A wrong key decrypts to noise, which holds none of
 * these magic numbers but by a chance of about 2^-32.
 */
public final class Verify {
    /** sys/disklabel.h DISKMAGIC, in both d_magic and d_magic2. */
    static final int DISKMAGIC = 0x82564557;
    /** disklabel(5): where d_magic2, d_checksum and d_npartitions are; partitions start at 148, 16 bytes each. */
    static final int D_MAGIC2 = 132;
    static final int D_NPARTITIONS = 138;
    static final int D_PARTITIONS = 148;
    static final int PARTITION_BYTES = 16;
    static final int MAXPARTITIONS = 22;
    /** sys/disklabel.h BBSIZE: a label is searched for in the first 8 KiB, as disklabel_scan does. */
    static final int BBSIZE = 8192;
    /** ufs/ffs/fs.h SBLOCKSEARCH and fs_magic's offset; FS_UFS1_MAGIC, FS_UFS2_MAGIC. */
    static final long[] SBLOCKSEARCH = {65536, 8192, 0, 262144};
    static final int FS_MAGIC_OFFSET = 1372;
    static final int FS_UFS1_MAGIC = 0x011954;
    static final int FS_UFS2_MAGIC = 0x19540119;

    private Verify() {
    }

    /** Null when {@code dev} passes {@code method}, else why it does not (a wrong passphrase, most likely). */
    public static String check(CgdDevice dev, VerifyMethod method) {
        return switch (method) {
            case NONE, REENTER -> null;
            case FFS -> ffs(dev);
            case DISKLABEL -> disklabel(dev);
            case MBR -> {
                ByteBuffer s = read(dev, 0, 512);
                yield s != null && (s.get(510) & 0xff) == 0x55 && (s.get(511) & 0xff) == 0xAA ? null : "no MBR signature in sector 0";
            }
            case GPT -> {
                ByteBuffer s = read(dev, 512, 512);
                yield s != null && new String(s.array(), 0, 8, StandardCharsets.US_ASCII).equals("EFI PART") ? null : "no GPT header in sector 1";
            }
        };
    }

    private static String ffs(CgdDevice dev) {
        for (long at : SBLOCKSEARCH) {
            ByteBuffer sb = read(dev, at + FS_MAGIC_OFFSET - FS_MAGIC_OFFSET % 512, 512);
            if (sb == null) continue;
            int magic = sb.getInt(FS_MAGIC_OFFSET % 512);
            if (magic == FS_UFS1_MAGIC || magic == FS_UFS2_MAGIC || Integer.reverseBytes(magic) == FS_UFS1_MAGIC
                    || Integer.reverseBytes(magic) == FS_UFS2_MAGIC) return null;
        }
        return "no FFS superblock at 65536, 8192, 0 or 262144";
    }

    private static String disklabel(CgdDevice dev) {
        ByteBuffer b = read(dev, 0, BBSIZE);
        if (b == null) return "cannot read the label area";
        for (int off = 0; off + D_PARTITIONS <= BBSIZE; off += 4) {
            if (b.getInt(off) != DISKMAGIC || b.getInt(off + D_MAGIC2) != DISKMAGIC) continue;
            int n = b.getShort(off + D_NPARTITIONS) & 0xffff;
            int end = off + D_PARTITIONS + n * PARTITION_BYTES;
            if (n > MAXPARTITIONS || end > BBSIZE) continue;
            int sum = 0; // dkcksum: the XOR of the label's 16-bit words is 0
            for (int i = off; i < end; i += 2) sum ^= b.getShort(i);
            if (sum == 0) return null;
        }
        return "no valid disklabel in the first " + BBSIZE + " bytes";
    }

    /** {@code len} bytes at {@code offset} (sector-aligned) of the decrypted disk, little-endian; null past its end or on error. */
    static ByteBuffer read(CgdDevice dev, long offset, int len) {
        if (offset + len > dev.size()) return null;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        Buf bp = new Buf(offset / SectorCipher.SECTOR, b, true);
        if (Vop.strategy(dev.vnode(), bp) != 0 || bp.error != 0 || bp.resid != 0) return null;
        return b.clear();
    }
}
