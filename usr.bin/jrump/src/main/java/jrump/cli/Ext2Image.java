package jrump.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jrump.fs.ext2fs.Makefs;
import picocli.CommandLine.Option;

/** What makefs and newfs share: the ext2fs options, the host tree as Makefs nodes, writing the image file. */
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
    static Makefs.Result write(Path image, Makefs.Dir root, Makefs.Options o, CgdOptions cgd) throws IOException {
        try (ImageOutput out = new ImageOutput(image, cgd)) {
            Makefs.Result r = Makefs.build(root, o, out::write);
            out.finish(r.blocks() * r.blockSize());
            return r;
        }
    }

    /** The host tree under {@code dir}: hard links share a node, symlinks are not followed. */
    static Makefs.Dir tree(Path dir) throws IOException {
        return dir(dir, new HashMap<>());
    }

    private static Makefs.Dir dir(Path dir, Map<Object, Makefs.Node> seen) throws IOException {
        List<Map.Entry<String, Makefs.Node>> entries = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) entries.add(Map.entry(p.getFileName().toString(), node(p, seen)));
        }
        return new Makefs.Dir(attrs(dir), entries);
    }

    private static Makefs.Node node(Path p, Map<Object, Makefs.Node> seen) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) return dir(p, seen);
        if (a.isSymbolicLink()) return new Makefs.Symlink(attrs(p), Files.readSymbolicLink(p).toString());
        Makefs.Node existing = a.fileKey() == null ? null : seen.get(a.fileKey());
        if (existing != null) return existing;
        Makefs.Node n;
        if (a.isRegularFile()) {
            n = new Makefs.File(attrs(p), a.size(), (off, dst) -> {
                try (FileChannel ch = FileChannel.open(p)) {
                    return ch.read(dst, off);
                }
            });
        } else {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            n = new Makefs.Special(attrs(p), mode & 0xF000, DevNumbers.linuxMajor(rdev), DevNumbers.linuxMinor(rdev));
        }
        if (a.fileKey() != null) seen.put(a.fileKey(), n);
        return n;
    }

    private static Makefs.Attrs attrs(Path p) throws IOException {
        Map<String, Object> u = Files.readAttributes(p, "unix:mode,uid,gid,lastAccessTime,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        return new Makefs.Attrs((Integer) u.get("mode") & 07777, (Integer) u.get("uid"), (Integer) u.get("gid"),
                nanos(u.get("lastAccessTime")), nanos(u.get("lastModifiedTime")), nanos(u.get("ctime")));
    }

    private static long nanos(Object t) {
        return ((FileTime) t).to(TimeUnit.NANOSECONDS);
    }
}
