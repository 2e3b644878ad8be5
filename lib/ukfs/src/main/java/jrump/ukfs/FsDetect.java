package jrump.ukfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Which file system an image holds, by the magic numbers of each format's first structures — what blkid
 * does for the types jrump has: ISO 9660's volume descriptor "CD001" (ECMA-119 8.1, at sector 16), ext2's
 * superblock magic 0xEF53 (at byte 1080), FFS's superblock magic (UFS1 0x011954, UFS2 0x19540119, NetBSD 10's
 * UFS2 with attributes 0x19012038, at
 * fs_magic of a superblock at 65536, 8192, 0 or 262144), and a FAT boot sector (0x55AA and a sane BPB).
 */
public final class FsDetect {
    static final int ISO_SECTOR = 2048;
    static final int ISO_FIRST_DESCRIPTOR = 16;
    static final int EXT2_MAGIC_OFFSET = 1024 + 0x38;
    static final int EXT2_MAGIC = 0xEF53;
    static final int UFS1_MAGIC = 0x011954;
    static final int UFS2_MAGIC = 0x19540119;
    /** NetBSD 10's UFS2 with extended attributes (fs.h FS_UFS2EA_MAGIC). */
    static final int UFS2EA_MAGIC = 0x19012038;
    static final int FS_MAGIC_OFFSET = 0x55C;
    static final long[] UFS_SUPERBLOCKS = {65536, 8192, 0, 262144};

    private FsDetect() {
    }

    /** Where the bytes come from: a host file, or a device inside a kernel (a cgd). */
    @FunctionalInterface
    public interface Source {
        /** Fills {@code dst} from {@code offset}; the count, fewer (or -1) at the end. */
        int read(long offset, ByteBuffer dst) throws IOException;
    }

    /** The jrump type name ("cd9660", "ext2fs", "ffs", "msdos") of what starts at {@code offset}, or null. */
    public static String detect(FileChannel ch, long offset, long size) throws IOException {
        return detect((at, dst) -> ch.read(dst, at), offset, size);
    }

    /** As above, reading through {@code ch}. */
    public static String detect(Source ch, long offset, long size) throws IOException {
        if (size >= (ISO_FIRST_DESCRIPTOR + 1L) * ISO_SECTOR) {
            byte[] vd = read(ch, offset + ISO_FIRST_DESCRIPTOR * ISO_SECTOR, 6);
            if (new String(vd, 1, 5, StandardCharsets.US_ASCII).equals("CD001")) return "cd9660";
        }
        if (size >= EXT2_MAGIC_OFFSET + 2 && (le(read(ch, offset + EXT2_MAGIC_OFFSET, 2)).getShort(0) & 0xffff) == EXT2_MAGIC) {
            return "ext2fs";
        }
        for (long sb : UFS_SUPERBLOCKS) {
            if (size < sb + FS_MAGIC_OFFSET + 4) continue;
            byte[] m = read(ch, offset + sb + FS_MAGIC_OFFSET, 4);
            // either byte order: makefs -B be writes big-endian file systems
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                int magic = ByteBuffer.wrap(m).order(order).getInt(0);
                if (magic == UFS1_MAGIC || magic == UFS2_MAGIC || magic == UFS2EA_MAGIC) return "ffs";
            }
        }
        if (size >= 512 && isFatBootSector(read(ch, offset, 512))) return "msdos";
        return null;
    }

    /** A FAT boot sector: the signature, and a BPB whose sizes are powers of two in range (fatgen103, "BPB"). */
    static boolean isFatBootSector(byte[] s) {
        if ((s[510] & 0xff) != 0x55 || (s[511] & 0xff) != 0xAA) return false;
        ByteBuffer b = le(s);
        int bytesPerSector = b.getShort(11) & 0xffff;
        int sectorsPerCluster = s[13] & 0xff;
        int reserved = b.getShort(14) & 0xffff;
        int fats = s[16] & 0xff;
        return Integer.bitCount(bytesPerSector) == 1 && bytesPerSector >= 512 && bytesPerSector <= 4096
                && Integer.bitCount(sectorsPerCluster) == 1 && reserved >= 1 && fats >= 1 && fats <= 4;
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] read(Source ch, long at, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        while (b.hasRemaining()) {
            if (ch.read(at + b.position(), b) <= 0) break;
        }
        return b.array();
    }
}
