package jrump.fs.msdosfs;

/**
 * The three FAT entry widths (fatgen103 "FAT Type Determination": the type follows from the count of
 * data clusters alone, never from the label string in the boot sector).
 */
enum FatType {
    FAT12(12, 0xFF8, 0xFF7, 0xFFF),
    FAT16(16, 0xFFF8, 0xFFF7, 0xFFFF),
    FAT32(32, 0x0FFFFFF8L, 0x0FFFFFF7L, 0x0FFFFFFFL);

    /** fatgen103: a volume with fewer than 4085 clusters is FAT12, fewer than 65525 FAT16, else FAT32. */
    static final long FAT12_MAX_CLUSTERS = 4084;
    static final long FAT16_MAX_CLUSTERS = 65524;
    /** FAT32 entries are 28 bits: the highest cluster number that is not a marker. */
    static final long FAT32_MAX_CLUSTERS = 0x0FFFFFF5L;

    final int bits;
    /** Entries at or above this value end a chain (EOC). */
    final long eocMin;
    /** The bad-cluster marker. */
    final long bad;
    /** The end-of-chain value this implementation writes. */
    final long eoc;

    FatType(int bits, long eocMin, long bad, long eoc) {
        this.bits = bits;
        this.eocMin = eocMin;
        this.bad = bad;
        this.eoc = eoc;
    }

    static FatType forClusters(long clusters) {
        if (clusters <= FAT12_MAX_CLUSTERS) return FAT12;
        if (clusters <= FAT16_MAX_CLUSTERS) return FAT16;
        return FAT32;
    }

    /** Bytes of FAT that {@code entries} entries take, rounded up. */
    long fatBytes(long entries) {
        return this == FAT12 ? (entries * 3 + 1) / 2 : entries * (bits / 8);
    }

    boolean isEoc(long v) {
        return v >= eocMin;
    }

    @Override
    public String toString() {
        return name();
    }
}
