package jrump.ukfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import jrump.rumpdev.DiskException;
import jrump.rumpdev.Partition;
import jrump.rumpdev.PartitionTable;
import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Statvfs;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timespec;
import jrump.rumpvfs.tool.NewfsProvider;

/**
 * One image mounted in a private kernel (ukfs(3)). Paths are the image's own, absolute ("/etc/passwd");
 * every call is a system call of that kernel, so errors are {@link RumpException}s with their errno.
 * Writers lock the image file exclusively and readers share a lock (as ukfs does), so a second writer —
 * in this process or another — is refused.
 */
public final class Ukfs implements AutoCloseable {
    /** Where the file system is mounted inside the private kernel. */
    private static final String MNT = "/mnt";
    private static final String DEVICE = "/dev/ukfs";

    /**
     * How to mount: {@code type} null to detect it; {@code partition} 0 for the whole image, else an MBR or
     * GPT partition number; {@code offset}/{@code size} a byte window instead (size -1: to the end);
     * {@code layer} a device between the image and the file system (a cgd), or null.
     */
    public record Options(String type, boolean readOnly, int partition, long offset, long size, DeviceLayer layer) {
        public static Options reading() {
            return new Options(null, true, 0, 0, -1, null);
        }

        public static Options writing() {
            return new Options(null, false, 0, 0, -1, null);
        }

        public Options withType(String t) {
            return new Options(t, readOnly, partition, offset, size, layer);
        }

        public Options withPartition(int p) {
            return new Options(type, readOnly, p, offset, size, layer);
        }

        public Options withReadOnly() {
            return new Options(type, true, partition, offset, size, layer);
        }

        public Options withWindow(long off, long len) {
            return new Options(type, readOnly, partition, off, len, layer);
        }

        /** Mounts through {@code l} (which the Ukfs closes); null for none. */
        public Options withLayer(DeviceLayer l) {
            return new Options(type, readOnly, partition, offset, size, l);
        }
    }

    /** A directory entry with its lstat. */
    public record Entry(String name, Stat stat) {
    }

    private final RumpKernel kernel;
    private final Syscalls sys;
    private final Path image;
    private final String type;
    private final boolean readOnly;
    private final DeviceLayer layer;
    private boolean closed;

    private Ukfs(RumpKernel kernel, Path image, String type, boolean readOnly, DeviceLayer layer) {
        this.kernel = kernel;
        this.layer = layer;
        this.sys = kernel.syscalls();
        this.image = image;
        this.type = type;
        this.readOnly = readOnly;
    }

    /**
     * Mounts {@code image}. IOException when the image cannot be opened, is locked by a writer, has no
     * such partition or no file system this build knows; RumpException when the file system refuses it.
     */
    public static Ukfs mount(Path image, Options o) throws IOException {
        if (!Files.exists(image)) throw new java.nio.file.NoSuchFileException(image.toString());
        ImageLocks.acquire(image, !o.readOnly());
        RumpKernel rk = null;
        DeviceLayer layer = o.layer();
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            long[] window = window(image, ch, o);
            String type = o.type();
            if (type == null && layer == null) type = detect(image, FsDetect.detect(ch, window[0], window[1]), "");
            RumpConfig.Builder config = RumpConfig.builder();
            rk = RumpKernel.boot((layer == null ? config : layer.configure(config)).build());
            rk.pub().etfsRegisterWithsize(DEVICE, image.toString(), Sys.RUMP_ETFS_BLK, window[0], window[1]);
            String device = DEVICE;
            if (layer != null) {
                device = layer.attach(DEVICE, o.readOnly());
                // a wrong key decrypts to noise: a recognised file system is the check that it is right
                if (type == null) type = detect(image, FsDetect.detect(layer::read, 0, layer.size()), " inside the encrypted device (wrong passphrase?)");
            }
            rk.syscalls().mkdir(MNT, 0755);
            rk.syscalls().mount(type, MNT, o.readOnly() ? Sys.MNT_RDONLY : 0, device);
            // As ukfs does: the caller's root is the image's, so absolute symlinks inside it resolve in it
            rk.syscalls().chroot(MNT);
            rk.syscalls().chdir("/");
            Ukfs u = new Ukfs(rk, image, type, o.readOnly(), layer);
            rk = null; // the Ukfs owns it now
            layer = null;
            return u;
        } catch (IOException | RuntimeException e) {
            ImageLocks.release(image);
            throw e;
        } finally {
            if (layer != null) layer.close();
            if (rk != null) rk.close();
        }
    }

    /**
     * Makes an empty file system of {@code type} ("ext2fs", "msdos", ...) and {@code sizeBytes} in the image
     * file (created, or replaced when it exists), with that type's default layout. IOException naming the
     * types there are when no module on the module path makes {@code type}.
     */
    public static void newfs(Path image, String type, long sizeBytes, String label) throws IOException {
        List<String> known = new ArrayList<>();
        for (NewfsProvider p : ServiceLoader.load(NewfsProvider.class, Ukfs.class.getClassLoader())) {
            if (p.type().equals(type)) {
                try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    ImageLocks.acquire(image, true); // after the open: the lock needs the file to exist
                    try {
                        ch.truncate(0);
                        var rq = new NewfsProvider.Request(sizeBytes, label, new java.security.SecureRandom().nextLong(), System.currentTimeMillis() * 1_000_000L);
                        long size = p.newfs(rq, (off, data) -> {
                            while (data.hasRemaining()) ch.write(data, off + data.position());
                        });
                        if (ch.size() < size) ch.write(ByteBuffer.allocate(1), size - 1);
                        ch.truncate(size);
                    } finally {
                        ImageLocks.release(image);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IOException(image + ": " + e.getMessage(), e);
                }
                return;
            }
            known.add(p.type());
        }
        throw new IOException("no newfs for file system type " + type + " (there is: " + String.join(", ", known) + ")");
    }

    private static String detect(Path image, String type, String where) throws IOException {
        if (type == null) throw new IOException(image + ": no file system this build knows (ext2fs, msdos, cd9660, ffs)" + where);
        return type;
    }

    /** {offset, size} of what to mount: the whole image, a partition, or an explicit window. */
    private static long[] window(Path image, FileChannel ch, Options o) throws IOException {
        long imageSize = ch.size();
        if (o.partition() > 0) {
            List<Partition> table;
            try {
                table = PartitionTable.read(imageSize, image.toString(), (off, dst) -> ch.read(dst, off));
            } catch (DiskException e) {
                throw new IOException(e.getMessage(), e);
            }
            for (Partition p : table) {
                if (p.number() == o.partition()) {
                    if (p.offset() + p.size() > imageSize) throw new IOException(image + ": partition " + p.number() + " runs past the image's end");
                    return new long[] {p.offset(), p.size()};
                }
            }
            throw new IOException(image + ": no partition " + o.partition() + (table.isEmpty() ? " (the image has no partition table)"
                    : " (it has " + table.stream().map(p -> String.valueOf(p.number())).collect(java.util.stream.Collectors.joining(", ")) + ")"));
        }
        if (o.offset() < 0 || o.offset() > imageSize) throw new IOException(image + ": offset " + o.offset() + " outside the image");
        long size = o.size() < 0 ? imageSize - o.offset() : o.size();
        if (o.offset() + size > imageSize) throw new IOException(image + ": window runs past the image's end");
        return new long[] {o.offset(), size};
    }

    public String type() {
        return type;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** The kernel's system calls, for what the path-level calls below do not cover. */
    public Syscalls syscalls() {
        return sys;
    }

    /**
     * Bytes [offset, offset + count) of open file {@code fd} to {@code out} (rump_pub_fd_sendfile): on a
     * read-only mount the host moves them from the image straight to {@code out} wherever the file system
     * maps them to the image's blocks, so they never pass through this process; elsewhere they are read.
     * RumpException: EINVAL when the range is not inside the file, EIO when {@code out} fails.
     */
    public void sendfile(int fd, long offset, long count, java.nio.channels.WritableByteChannel out) {
        kernel.pub().fdSendfile(fd, offset, count, out);
    }

    /**
     * An image path as the private kernel's calls take it: the image's own path, since the kernel's
     * processes are chrooted into the mount (an absolute symlink inside the image stays inside it).
     */
    public String kernelPath(String path) {
        if (!path.startsWith("/")) throw new IllegalArgumentException("not an absolute path in the image: " + path);
        return path;
    }

    // --- ukfs(3)'s calls ----------------------------------------------------------------------------

    public Stat stat(String path) {
        return sys.stat(kernelPath(path));
    }

    public Stat lstat(String path) {
        return sys.lstat(kernelPath(path));
    }

    /** ukfs_read: up to dst.remaining() bytes at {@code off}; the count, 0 at the end. */
    public int read(String path, long off, ByteBuffer dst) {
        int fd = sys.open(kernelPath(path), Sys.O_RDONLY, 0);
        try {
            return (int) sys.pread(fd, dst, off);
        } finally {
            sys.close(fd);
        }
    }

    /** ukfs_write: all of src at {@code off} (the file must exist). */
    public void write(String path, long off, ByteBuffer src) {
        int fd = sys.open(kernelPath(path), Sys.O_WRONLY, 0);
        try {
            long at = off;
            while (src.hasRemaining()) at += sys.pwrite(fd, src, at);
        } finally {
            sys.close(fd);
        }
    }

    public void create(String path, int mode) {
        sys.close(sys.open(kernelPath(path), Sys.O_WRONLY | Sys.O_CREAT | Sys.O_EXCL, mode));
    }

    public void mkdir(String path, int mode) {
        sys.mkdir(kernelPath(path), mode);
    }

    public void remove(String path) {
        sys.unlink(kernelPath(path));
    }

    public void rmdir(String path) {
        sys.rmdir(kernelPath(path));
    }

    public void rename(String from, String to) {
        sys.rename(kernelPath(from), kernelPath(to));
    }

    public void link(String existing, String newName) {
        sys.link(kernelPath(existing), kernelPath(newName));
    }

    public void symlink(String target, String path) {
        sys.symlink(target, kernelPath(path));
    }

    public String readlink(String path) {
        ByteBuffer b = ByteBuffer.allocate(Sys.PATH_MAX);
        long n = sys.readlink(kernelPath(path), b);
        return new String(b.array(), 0, (int) n, StandardCharsets.UTF_8);
    }

    public void chmod(String path, int mode) {
        sys.lchmod(kernelPath(path), mode);
    }

    public void chown(String path, int uid, int gid) {
        sys.lchown(kernelPath(path), uid, gid);
    }

    /** Sets access and modification times (nanoseconds since 1970) without following a last symlink. */
    public void utimes(String path, long atimeNanos, long mtimeNanos) {
        Timespec[] t = {new Timespec(Math.floorDiv(atimeNanos, 1_000_000_000L), Math.floorMod(atimeNanos, 1_000_000_000L)),
                new Timespec(Math.floorDiv(mtimeNanos, 1_000_000_000L), Math.floorMod(mtimeNanos, 1_000_000_000L))};
        sys.utimensat(Sys.AT_FDCWD, kernelPath(path), t, Sys.AT_SYMLINK_NOFOLLOW);
    }

    public void mknod(String path, int mode, long dev) {
        sys.mknodat(Sys.AT_FDCWD, kernelPath(path), mode, (int) dev);
    }

    /** ukfs_getdents, whole: the directory's entries (without "." and ".."; name, inode, type), in directory order. */
    public List<Dirent> names(String path) {
        List<Dirent> out = new ArrayList<>();
        int fd = sys.open(kernelPath(path), Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate(64 << 10);
            int n;
            while ((n = sys.getdents(fd, b.clear())) > 0) {
                for (Dirent d : Dirent.parse(b.flip(), n)) {
                    if (!d.name().equals(".") && !d.name().equals("..")) out.add(d);
                }
            }
        } finally {
            sys.close(fd);
        }
        return out;
    }

    /** ukfs_getdents, whole: the directory's names (without "." and ".."), each with its lstat, in directory order. */
    public List<Entry> list(String path) {
        String dir = kernelPath(path);
        List<Entry> out = new ArrayList<>();
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate(64 << 10);
            int n;
            while ((n = sys.getdents(fd, b.clear())) > 0) {
                for (Dirent d : Dirent.parse(b.flip(), n)) {
                    if (d.name().equals(".") || d.name().equals("..")) continue;
                    out.add(new Entry(d.name(), sys.lstat(dir + "/" + d.name())));
                }
            }
        } finally {
            sys.close(fd);
        }
        return out;
    }

    /** The file system's figures (statvfs). */
    public Statvfs statvfs() {
        return sys.statvfs1("/", 0);
    }

    /** Writes what the file system holds in memory to the image. */
    public void sync() {
        sys.sync();
    }

    /** Unmounts (which syncs), halts the kernel and lets go of the image's lock. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            sys.unmount("/", 0);
        } catch (RumpException e) {
            if (e.errno() != Errno.EBUSY) throw e;
            sys.unmount("/", Sys.MNT_FORCE); // open files of a caller who forgot them: still write everything
        } finally {
            try {
                if (layer != null) layer.close();
            } finally {
                kernel.close();
                ImageLocks.release(image);
            }
        }
    }
}
