package jrump.fs.ext2fs;

/**
 * The CRC-16 of uninit_bg's group descriptor checksums (gdt_csum without metadata_csum): the
 * reflected ANSI polynomial 0x8005 (0xA001), as lib/crc16.c in Linux and e2fsprogs compute it.
 */
final class Crc16 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            TABLE[i] = c;
        }
    }

    private Crc16() {
    }

    static int update(int crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ b[i]) & 0xff];
        return crc & 0xffff;
    }
}
