package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timespec;

/**
 * Copies a host tree into a rump kernel through its system calls, keeping everything the comparator looks
 * at: hard links, holes, symlinks, FIFOs, devices, user.* attributes, owners, modes and modification times
 * with nanoseconds. It stands in for a file system image while ext2fs is missing: a tree copied into rumpfs
 * must compare equal to its host original, which shows the comparator judges a kernel's tree fairly.
 */
final class KernelCopier {
    private KernelCopier() {
    }

    /** An inode copied: its first name on both sides and its host attributes. */
    private record Copied(Path host, String kernel, Map<String, Object> attrs) {
    }

    /** Copies the tree under {@code hostRoot} into the existing kernel directory {@code kernelRoot}. */
    static void copy(Path hostRoot, Syscalls sys, String kernelRoot) {
        int oldMask = sys.umask(0);
        try {
            List<Copied> copied = create(hostRoot, sys, kernelRoot);
            for (Copied c : copied) attributes(sys, c);
            // modification times last and deepest first: anything done in a directory changes its time
            List<Copied> byDepth = new ArrayList<>(copied);
            byDepth.sort(Comparator.comparingInt((Copied c) -> c.host().getNameCount()).reversed());
            for (Copied c : byDepth) {
                FileTime t = (FileTime) c.attrs().get("lastModifiedTime");
                Timespec ts = new Timespec(t.toInstant().getEpochSecond(), t.toInstant().getNano());
                sys.utimensat(Sys.AT_FDCWD, c.kernel(), new Timespec[] {ts, ts}, Sys.AT_SYMLINK_NOFOLLOW);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sys.umask(oldMask);
        }
    }

    private static List<Copied> create(Path hostRoot, Syscalls sys, String kernelRoot) throws IOException {
        List<Copied> copied = new ArrayList<>();
        Map<Long, String> firstNameOfInode = new HashMap<>();
        Files.walkFileTree(hostRoot, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                String k = kernelPath(hostRoot, dir, kernelRoot);
                if (!dir.equals(hostRoot)) sys.mkdir(k, 0700);
                copied.add(new Copied(dir, k, attrs(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes a) throws IOException {
                Map<String, Object> attrs = attrs(p);
                String k = kernelPath(hostRoot, p, kernelRoot);
                String first = firstNameOfInode.putIfAbsent((Long) attrs.get("ino"), k);
                if (first != null) {
                    // another name of an inode already copied; flag 0: a symlink is linked, not its target
                    sys.linkat(Sys.AT_FDCWD, first, Sys.AT_FDCWD, k, 0);
                    return FileVisitResult.CONTINUE;
                }
                int mode = (Integer) attrs.get("mode");
                switch (mode & Stat.S_IFMT) {
                    case Stat.S_IFREG -> copyFile(p, sys, k);
                    case Stat.S_IFLNK -> sys.symlink(Files.readSymbolicLink(p).toString(), k);
                    case Stat.S_IFIFO -> sys.mkfifo(k, 0600);
                    case Stat.S_IFCHR, Stat.S_IFBLK -> sys.mknodat(Sys.AT_FDCWD, k, (mode & Stat.S_IFMT) | 0600,
                            (int) (long) (Long) attrs.get("rdev"));
                    default -> throw new IllegalArgumentException("cannot copy " + p + " of mode " + Integer.toOctalString(mode));
                }
                copied.add(new Copied(p, k, attrs));
                return FileVisitResult.CONTINUE;
            }
        });
        return copied;
    }

    private static Map<String, Object> attrs(Path p) throws IOException {
        return Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    private static String kernelPath(Path hostRoot, Path p, String kernelRoot) {
        String rel = hostRoot.relativize(p).toString();
        return rel.isEmpty() ? kernelRoot : kernelRoot + "/" + rel;
    }

    /** Writes only the blocks that are not all zeros, then sets the size: holes stay holes. */
    private static void copyFile(Path p, Syscalls sys, String k) throws IOException {
        int fd = sys.open(k, Sys.O_CREAT | Sys.O_EXCL | Sys.O_WRONLY, 0600);
        try (InputStream in = Files.newInputStream(p)) {
            byte[] chunk = new byte[1 << 16];
            long offset = 0;
            int n;
            while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                if (!allZero(chunk, n)) {
                    ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                    while (b.hasRemaining()) sys.pwrite(fd, b, offset + b.position());
                }
                offset += n;
            }
            sys.ftruncate(fd, offset);
        } finally {
            sys.close(fd);
        }
    }

    private static boolean allZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) return false;
        }
        return true;
    }

    /** User attributes, then owner, then mode (chown may clear setuid and setgid). */
    private static void attributes(Syscalls sys, Copied c) throws IOException {
        int mode = (Integer) c.attrs().get("mode");
        int type = mode & Stat.S_IFMT;
        if (type == Stat.S_IFREG || type == Stat.S_IFDIR) {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(c.host(), UserDefinedFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            for (String name : view.list()) {
                ByteBuffer b = ByteBuffer.allocate(view.size(name));
                view.read(name, b);
                sys.setxattr(c.kernel(), "user." + name, b.flip(), 0);
            }
        }
        sys.lchown(c.kernel(), (Integer) c.attrs().get("uid"), (Integer) c.attrs().get("gid"));
        sys.lchmod(c.kernel(), mode & 07777);
    }
}
