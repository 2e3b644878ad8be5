package jrump.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jrump.fs.ffs.Fsck;
import jrump.fs.ffs.Newfs;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Option;

/**
 * newfs, makefs and fsck for {@code -t ffs}: -O 1|2 (UFS1 or UFS2) and -b (block size) are the shared
 * options' (as NetBSD newfs' -O and -b), -f, -i and -B its own (fragment size, bytes per inode, byte
 * order). makefs formats an image sized for the tree and copies the tree in through a mounted kernel, as
 * NetBSD's makefs writes through its own FFS code: owners, modes, times, symlinks and hard links kept.
 */
final class FfsImage {
    static final String TYPE = "ffs";
    /** makefs' defaults (NetBSD makefs -t ffs): 8 KiB blocks of 1 KiB fragments. */
    static final int MAKEFS_BSIZE = 8192;
    static final int MAKEFS_FSIZE = 1024;

    @Option(names = {"-f", "--fragment-size"}, description = "ffs: fragment size, 512 to the block size (default: an eighth of the block)", defaultValue = "0")
    int fragmentSize;

    @Option(names = {"-i", "--density"}, description = "ffs: bytes of data per inode (default: four fragments)", defaultValue = "0")
    int density;

    @Option(names = {"-B", "--byte-order"}, description = "ffs: be or le (default: ${DEFAULT-VALUE})", defaultValue = "le")
    String byteOrder;

    private static boolean ufs2(String flavor) {
        return switch (flavor) {
            case "1" -> false;
            case "2", "ext4" -> true; // ext4 is the shared -O's default: UFS2 then
            default -> throw new IllegalArgumentException("-O " + flavor + ": 1 (UFS1) or 2 (UFS2) for ffs");
        };
    }

    private boolean bigEndian() {
        return switch (byteOrder) {
            case "be", "big" -> true;
            case "le", "little" -> false;
            default -> throw new IllegalArgumentException("-B " + byteOrder + ": be or le");
        };
    }

    private Newfs.Options options(long bytes, String flavor, int bsize, int fsize, int dens) {
        return new Newfs.Options(bytes, ufs2(flavor), bsize, fsize, dens, bigEndian(), System.currentTimeMillis() / 1000);
    }

    int newfs(Path image, long bytes, String flavor, int bsize, CgdOptions cgd, PrintWriter out) throws IOException {
        Newfs.Result r = format(image, options(bytes, flavor, bsize, fragmentSize, density), cgd);
        out.printf("%s: %s, %d bytes, %d cylinder groups, %d inodes, blocks of %d bytes in %d-byte fragments%n",
                image, ufs2(flavor) ? "UFS2" : "UFS1", r.sizeBytes(), r.cylinderGroups(), r.inodes(), r.bsize(), r.fsize());
        return 0;
    }

    /** The empty file system in the image file, through cgd's encryption with --cgd. */
    private static Newfs.Result format(Path image, Newfs.Options o, CgdOptions cgd) throws IOException {
        try (ImageOutput out = new ImageOutput(image, cgd)) {
            Newfs.Result r = Newfs.format(o, out::write);
            out.finish(r.sizeBytes());
            return r;
        }
    }

    /** What a tree needs: its inodes and its bytes of data (fragment-rounded, with indirect blocks and directories). */
    record Needs(long inodes, long bytes) {
    }

    static Needs measure(Path dir, int bsize, int fsize) throws IOException {
        long[] n = {1, 0};
        Set<Object> seen = new HashSet<>();
        try (var s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,size,nlink", LinkOption.NOFOLLOW_LINKS);
                int type = (Integer) a.get("mode") & 0170000;
                long size = (Long) a.get("size");
                if (type == 0040000) {
                    long entries;
                    try (var l = Files.list(p)) {
                        entries = l.count() + 2;
                    }
                    n[0]++;
                    n[1] += roundup(entries * 40, fsize); // a name of up to 28 bytes and its header, on average
                } else if (type == 0100000) {
                    if ((Integer) a.get("nlink") > 1 && !seen.add(List.of(a.get("dev"), a.get("ino")))) continue;
                    n[0]++;
                    long blocks = (size + bsize - 1) / bsize;
                    n[1] += blocks > 12 ? blocks * bsize + (blocks / (bsize / 8) + 2) * bsize : roundup(size, fsize);
                } else if (type == 0120000) {
                    n[0]++;
                    if (size >= 60) n[1] += fsize;
                } else {
                    n[0]++;
                }
            }
        }
        return new Needs(n[0], n[1]);
    }

    private static long roundup(long x, long y) {
        return (x + y - 1) / y * y;
    }

    int makefs(Path image, Path dir, long sizeBytes, String flavor, int bsizeOption, CgdOptions cgd, PrintWriter out) throws IOException {
        int bsize = bsizeOption != 0 ? bsizeOption : MAKEFS_BSIZE;
        int fsize = fragmentSize != 0 ? fragmentSize : bsizeOption != 0 ? Math.max(512, bsize / 8) : MAKEFS_FSIZE;
        Needs needs = measure(dir, bsize, fsize);
        long inodesWanted = needs.inodes() + needs.inodes() / 10 + 64;
        // room for the data, the minfree reserve, the inodes and each group's metadata, then some
        long bytes = sizeBytes != 0 ? sizeBytes
                : roundup((long) (needs.bytes() * 1.12) + inodesWanted * 256 + (4L << 20), 1L << 20);
        int dens = density != 0 ? density : (int) Math.max(fsize, Math.min(1L << 20, bytes / Math.max(1, inodesWanted)));
        Newfs.Result r = format(image, options(bytes, flavor, bsize, fsize, dens), cgd);
        while (sizeBytes == 0 && density == 0 && r.inodes() < inodesWanted && dens > fsize) {
            dens = Math.max(fsize, dens / 2);
            r = format(image, options(bytes, flavor, bsize, fsize, dens), cgd);
        }
        long files;
        Ukfs.Options mount = Ukfs.Options.writing().withType(TYPE);
        if (cgd.active()) mount = mount.withLayer(cgd.layer(image, false));
        try (Ukfs u = Ukfs.mount(image, mount)) {
            files = new CopyIn(u).tree(dir);
        }
        out.printf("%s: %s, %d bytes, %d cylinder groups, %d inodes; %d files copied%n",
                image, ufs2(flavor) ? "UFS2" : "UFS1", r.sizeBytes(), r.cylinderGroups(), r.inodes(), files);
        return 0;
    }

    /** The host tree into the image's root: content, symlinks, hard links, owners, modes, times. */
    private static final class CopyIn {
        private final Ukfs u;
        private final Syscalls sys;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        private final Map<Object, String> linked = new HashMap<>();
        private long files;

        CopyIn(Ukfs u) {
            this.u = u;
            this.sys = u.syscalls();
        }

        long tree(Path dir) throws IOException {
            try (var list = Files.list(dir)) {
                for (Path child : list.sorted().toList()) copy(child, "/" + child.getFileName());
            }
            attrs(dir, "/", attrsOf(dir));
            return files;
        }

        private static Map<String, Object> attrsOf(Path p) throws IOException {
            return Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,nlink,lastModifiedTime,lastAccessTime", LinkOption.NOFOLLOW_LINKS);
        }

        private void copy(Path src, String path) throws IOException {
            Map<String, Object> a = attrsOf(src); // before the content is read (reading moves the atime)
            int mode = (Integer) a.get("mode");
            files++;
            if (Files.isSymbolicLink(src)) {
                u.symlink(Files.readSymbolicLink(src).toString(), path);
            } else if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
                u.mkdir(path, mode & 07777);
                try (var list = Files.list(src)) {
                    for (Path child : list.sorted().toList()) copy(child, path + "/" + child.getFileName());
                }
            } else if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
                Object key = List.of(a.get("dev"), a.get("ino"));
                String first = (Integer) a.get("nlink") > 1 ? linked.get(key) : null;
                if (first != null) {
                    u.link(first, path);
                    return;
                }
                int fd = sys.open(u.kernelPath(path), Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, mode & 07777);
                try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
                    while (in.read(buf.clear()) > 0) {
                        buf.flip();
                        while (buf.hasRemaining()) sys.write(fd, buf);
                    }
                } finally {
                    sys.close(fd);
                }
                if ((Integer) a.get("nlink") > 1) linked.put(key, path);
            } else {
                int type = mode & 0170000;
                long rdev = (Long) Files.getAttribute(src, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
                u.mknod(path, type | (mode & 07777), DevNumbers.netbsdOfLinux(rdev));
            }
            attrs(src, path, a);
        }

        private void attrs(Path src, String path, Map<String, Object> a) {
            int mode = (Integer) a.get("mode");
            boolean link = Files.isSymbolicLink(src);
            if (!link) u.chmod(path, mode & 07777);
            else sys.lchmod(u.kernelPath(path), mode & 07777); // a symlink's own mode (0777 from Linux), as makefs keeps it
            sys.lchown(u.kernelPath(path), (Integer) a.get("uid"), (Integer) a.get("gid"));
            long at = ((FileTime) a.get("lastAccessTime")).to(TimeUnit.NANOSECONDS);
            long mt = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
            sys.utimensat(Sys.AT_FDCWD, u.kernelPath(path), new jrump.rumpkern.Timespec[] {ts(at), ts(mt)}, Sys.AT_SYMLINK_NOFOLLOW);
        }

        private static jrump.rumpkern.Timespec ts(long ns) {
            return new jrump.rumpkern.Timespec(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
        }
    }

    /** Whether {@code image} holds an FFS file system (fsck's type detection). */
    static boolean isFfs(Path image) throws IOException {
        try (FileChannel ch = FileChannel.open(image)) {
            return Fsck.looksLikeFfs((off, dst) -> ch.read(dst, off), ch.size());
        }
    }

    static int fsck(Path image, PrintWriter out) throws IOException {
        Fsck.Report r;
        try (FileChannel ch = FileChannel.open(image)) {
            r = Fsck.check((off, dst) -> ch.read(dst, off), ch.size());
        }
        r.output().forEach(out::println);
        return r.exitStatus();
    }
}
