package jrump.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import jrump.fs.ext2fs.Makefs;
import jrump.rumpvfs.tool.MakefsTree;
import picocli.CommandLine.Option;

/** What makefs and newfs share: the ext2fs options and writing the image file. */
final class Ext2Image {
    @Option(names = {"-t", "--type"}, required = true, description = "file system type: ext2fs, msdos, ffs (makefs also cd9660)")
    String type;

    @Option(names = {"-O", "--flavor"}, description = "ext2fs: ext2, ext3 or ext4 (default: ${DEFAULT-VALUE}); ffs: 1 or 2 (UFS1 or UFS2, default 2)",
            defaultValue = "ext4")
    String flavor;

    @Option(names = {"-b", "--block-size"}, description = "ext2fs: 1024, 2048 or 4096 (default 4096); ffs: 4096 to 65536 (default: from the size)",
            defaultValue = "0")
    int blockSize;

    @Option(names = {"-N", "--inodes"}, description = "inode count (default: one per 16 KiB, at least what the tree needs)", defaultValue = "0")
    long inodes;

    @Option(names = {"-L", "--label"}, description = "volume label (up to 16 bytes)")
    String label;

    @Option(names = {"-U", "--uuid"}, converter = UuidConverter.class,
            description = "the file system's UUID, as 01234567-89ab-cdef-0123-456789abcdef (default: random, or from --seed)")
    java.util.UUID uuid;

    /** A UUID in its usual spelling, with a one-line complaint otherwise. */
    static final class UuidConverter implements picocli.CommandLine.ITypeConverter<java.util.UUID> {
        @Override
        public java.util.UUID convert(String value) {
            if (!value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                throw new picocli.CommandLine.TypeConversionException("not a UUID (8-4-4-4-12 hex digits): " + value);
            }
            return java.util.UUID.fromString(value);
        }
    }

    @Option(names = {"--seed"}, description = "seed of the UUID and hash seed (default: random)")
    Long seed;

    Makefs.Options options(long sizeBytes) {
        if (!type.equals("ext2fs")) throw new IllegalArgumentException("unsupported file system type " + type + " (ext2fs)");
        Makefs.Flavor f = switch (flavor.toLowerCase(Locale.ROOT)) {
            case "ext2" -> Makefs.Flavor.EXT2;
            case "ext3" -> Makefs.Flavor.EXT3;
            case "ext4" -> Makefs.Flavor.EXT4;
            default -> throw new IllegalArgumentException("flavor " + flavor + ": ext2, ext3 or ext4");
        };
        long s = seed != null ? seed : new java.security.SecureRandom().nextLong();
        byte[] id = null;
        if (uuid != null) {
            id = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
        }
        return new Makefs.Options(f, blockSize == 0 ? 4096 : blockSize, sizeBytes, inodes, label, id, s, System.currentTimeMillis() * 1_000_000L);
    }

    /** "64m", "1g", "512k", "1048576". */
    static long bytes(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("k")) mult = 1L << 10;
        else if (s.endsWith("m")) mult = 1L << 20;
        else if (s.endsWith("g")) mult = 1L << 30;
        if (mult != 1) s = s.substring(0, s.length() - 1);
        return Math.multiplyExact(Long.parseLong(s), mult);
    }

    /** Builds the image file: written in place (through cgd's encryption with --cgd), then cut or grown to the image's size. */
    static Makefs.Result write(Path image, MakefsTree.Dir root, Makefs.Options o, CgdOptions cgd) throws IOException {
        try (ImageOutput out = new ImageOutput(image, cgd)) {
            Makefs.Result r = Makefs.build(root, o, out::write);
            out.finish(r.blocks() * r.blockSize());
            return r;
        }
    }
}
