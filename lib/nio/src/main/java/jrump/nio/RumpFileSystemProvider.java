package jrump.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.ukfs.FsDetect;
import jrump.ukfs.Ukfs;

/**
 * The "jrump" file system provider: a disk image (ext2/3/4, FAT, ISO 9660, FFS: whatever file system
 * modules are present) opened as a java.nio.file.FileSystem. {@code FileSystems.newFileSystem(Path, env)}
 * declines anything that is not such an image with UnsupportedOperationException after reading a few
 * sectors; {@code jrump:file:///path/disk.img} URIs name an image, {@code ...!/inner/path} a file in it.
 */
public final class RumpFileSystemProvider extends FileSystemProvider {
    static final String SCHEME = "jrump";
    private static final int COPY_CHUNK = 1 << 20;

    /** File systems opened by URI, by the image's real path (getFileSystem(URI) finds them). */
    private final Map<Path, RumpFileSystem> byUri = new ConcurrentHashMap<>();

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(Path image, Map<String, ?> env) throws IOException {
        return open(image, env, false);
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        Path image = imageOf(uri).toRealPath();
        synchronized (byUri) {
            if (byUri.containsKey(image)) throw new FileSystemAlreadyExistsException(uri.toString());
            RumpFileSystem fs = open(image, env, true);
            byUri.put(image, fs);
            return fs;
        }
    }

    private RumpFileSystem open(Path image, Map<String, ?> env, boolean named) throws IOException {
        if (image.getFileSystem() != FileSystems.getDefault()) throw new UnsupportedOperationException("an image must be a host file: " + image);
        // Creating takes an explicit fsType: a "create" meant for another provider (zipfs) is not ours to claim
        boolean creating = env.get("fsType") != null && "true".equalsIgnoreCase(String.valueOf(env.get("create"))) && !Files.exists(image);
        if (!creating && !named && !looksLikeImage(image, env)) throw new UnsupportedOperationException(image + ": not an image of a file system jrump knows");
        Env e = Env.of(env);
        if (creating) {
            if (e.size() <= 0) throw new IllegalArgumentException("creating " + image + " needs a size in env");
            Ukfs.newfs(image, e.fsType(), e.size(), e.label());
        }
        Ukfs u;
        try {
            u = Ukfs.mount(image, e.options());
        } catch (RumpException ex) {
            // a type that only reads (ISO 9660), or an image with features we only read: read-only, as mount(8)
            // falls back, unless the caller insisted on writing
            if (ex.errno() != Errno.EROFS || e.readOnly() || env.containsKey("readOnly")) throw Errors.of(ex, image);
            try {
                u = Ukfs.mount(image, e.options().withReadOnly());
            } catch (RumpException again) {
                throw Errors.of(again, image);
            }
        }
        return new RumpFileSystem(this, image.toAbsolutePath(), u);
    }

    /** The fast decline: a regular file whose window holds a magic number this build knows (or a type given). */
    private static boolean looksLikeImage(Path image, Map<String, ?> env) throws IOException {
        if (!Files.isRegularFile(image)) return false;
        if (env.get("fsType") != null || env.get("partition") != null) return true;
        Env e = Env.parse(env);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            long size = e.windowSize() < 0 ? ch.size() - e.offset() : e.windowSize();
            return size > 0 && FsDetect.detect(ch, e.offset(), size) != null;
        }
    }

    private static Path imageOf(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) throw new IllegalArgumentException("not a " + SCHEME + ": URI: " + uri);
        String ssp = uri.getSchemeSpecificPart();
        int bang = ssp.indexOf("!/");
        return Path.of(URI.create(bang < 0 ? ssp : ssp.substring(0, bang)));
    }

    private static String innerOf(URI uri) {
        String ssp = uri.getSchemeSpecificPart();
        int bang = ssp.indexOf("!/");
        return bang < 0 ? "/" : ssp.substring(bang + 1);
    }

    void forget(RumpFileSystem fs) {
        byUri.values().remove(fs);
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        RumpFileSystem fs = registered(uri);
        if (fs == null) throw new FileSystemNotFoundException(uri.toString());
        return fs;
    }

    private RumpFileSystem registered(URI uri) {
        try {
            return byUri.get(imageOf(uri).toRealPath());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Path getPath(URI uri) {
        RumpFileSystem fs = registered(uri);
        if (fs == null) throw new FileSystemNotFoundException(uri.toString());
        return fs.getPath(innerOf(uri));
    }

    private static RumpPath check(Path p) {
        if (!(p instanceof RumpPath rp)) throw new ProviderMismatchException(String.valueOf(p));
        return rp;
    }

    private static boolean has(Object[] options, Object o) {
        return Arrays.asList(options).contains(o);
    }

    // --- files ----------------------------------------------------------------------------------------

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        RumpPath p = check(path);
        RumpFileSystem fs = p.getFileSystem();
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean write = append || options.contains(StandardOpenOption.WRITE);
        boolean read = options.contains(StandardOpenOption.READ) || !write;
        if (read && append) throw new IllegalArgumentException("READ + APPEND not allowed");
        if (append && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        int flags = read && write ? Sys.O_RDWR : write ? Sys.O_WRONLY : Sys.O_RDONLY;
        if (write) {
            fs.checkWritable();
            if (append) flags |= Sys.O_APPEND;
            if (options.contains(StandardOpenOption.TRUNCATE_EXISTING)) flags |= Sys.O_TRUNC;
            if (options.contains(StandardOpenOption.CREATE_NEW)) flags |= Sys.O_CREAT | Sys.O_EXCL;
            else if (options.contains(StandardOpenOption.CREATE)) flags |= Sys.O_CREAT;
        }
        if (options.contains(LinkOption.NOFOLLOW_LINKS)) flags |= Sys.O_NOFOLLOW;
        boolean sync = options.contains(StandardOpenOption.SYNC) || options.contains(StandardOpenOption.DSYNC);
        boolean deleteOnClose = options.contains(StandardOpenOption.DELETE_ON_CLOSE);
        if (deleteOnClose) fs.checkWritable();
        int fd;
        try {
            fd = fs.ukfs().syscalls().open(p.imagePath(), flags, mode(attrs, 0666));
        } catch (RumpException e) {
            throw Errors.of(e, p);
        }
        return new RumpFileChannel(fs, p, fd, read, write, sync, deleteOnClose);
    }

    /** The permissions a "posix:permissions" attribute gives, else {@code dflt}; the kernel's umask applies. */
    @SuppressWarnings("unchecked")
    private static int mode(FileAttribute<?>[] attrs, int dflt) {
        int mode = dflt;
        for (FileAttribute<?> a : attrs) {
            if (a.name().equals("posix:permissions") || a.name().equals("unix:permissions")) {
                mode = StatAttributes.mode((Set<PosixFilePermission>) a.value());
            } else {
                throw new UnsupportedOperationException("'" + a.name() + "' cannot be set initially");
            }
        }
        return mode;
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        RumpPath p = check(dir);
        try {
            int fd = p.getFileSystem().ukfs().syscalls().open(p.imagePath(), Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
            return new RumpDirectoryStream(p.getFileSystem(), p, fd, filter);
        } catch (RumpException e) {
            if (e.errno() == Errno.ENOTDIR) throw new NotDirectoryException(p.toString());
            throw Errors.of(e, p);
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        RumpPath p = check(dir);
        p.getFileSystem().checkWritable();
        try {
            p.getFileSystem().ukfs().syscalls().mkdir(p.imagePath(), mode(attrs, 0777));
        } catch (RumpException e) {
            throw Errors.of(e, p);
        }
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        RumpPath p = check(link);
        check(target);
        if (attrs.length > 0) throw new UnsupportedOperationException("attributes of a symbolic link: '" + attrs[0].name() + "'");
        p.getFileSystem().checkWritable();
        try {
            p.getFileSystem().ukfs().syscalls().symlink(target.toString(), p.imagePath());
        } catch (RumpException e) {
            throw Errors.of(e, p);
        }
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        RumpPath p = check(link);
        RumpPath e = check(existing);
        if (e.getFileSystem() != p.getFileSystem()) throw new java.nio.file.FileSystemException(existing.toString(), link.toString(), "Cross-device link");
        p.getFileSystem().checkWritable();
        try {
            p.getFileSystem().ukfs().syscalls().link(e.imagePath(), p.imagePath());
        } catch (RumpException ex) {
            throw Errors.of(ex, existing, link);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        RumpPath p = check(path);
        RumpFileSystem fs = p.getFileSystem();
        fs.checkWritable();
        Stat st = fs.lstat(p);
        try {
            if (st.isDirectory()) fs.ukfs().syscalls().rmdir(p.imagePath());
            else fs.ukfs().syscalls().unlink(p.imagePath());
        } catch (RumpException e) {
            throw Errors.of(e, p);
        }
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        RumpPath p = check(link);
        try {
            return p.getFileSystem().getPath(p.getFileSystem().ukfs().readlink(p.imagePath()));
        } catch (RumpException e) {
            throw Errors.notALink(e, p);
        }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        RumpPath s = check(source);
        RumpPath t = check(target);
        if (has(options, StandardCopyOption.ATOMIC_MOVE)) throw new UnsupportedOperationException("ATOMIC_MOVE is an option of move, not copy");
        boolean follow = !has(options, LinkOption.NOFOLLOW_LINKS);
        Stat st = follow ? s.getFileSystem().stat(s) : s.getFileSystem().lstat(s);
        t.getFileSystem().checkWritable();
        if (!prepareTarget(s, st, t, has(options, StandardCopyOption.REPLACE_EXISTING))) return;
        copyOne(s, st, t);
        if (has(options, StandardCopyOption.COPY_ATTRIBUTES)) copyAttributes(st, t);
    }

    /** Clears the way for a copy or move to {@code t}; false when source and target are one file (nothing to do). */
    private boolean prepareTarget(RumpPath s, Stat st, RumpPath t, boolean replace) throws IOException {
        Stat existing;
        try {
            existing = t.getFileSystem().lstat(t);
        } catch (NoSuchFileException e) {
            return true;
        }
        if (s.getFileSystem() == t.getFileSystem() && existing.dev() == st.dev() && existing.ino() == st.ino()) return false;
        if (!replace) throw new FileAlreadyExistsException(t.toString());
        delete(t);
        return true;
    }

    private void copyOne(RumpPath s, Stat st, RumpPath t) throws IOException {
        Syscalls to = t.getFileSystem().ukfs().syscalls();
        try {
            switch (st.mode() & Stat.S_IFMT) {
                case Stat.S_IFDIR -> to.mkdir(t.imagePath(), st.permissions());
                case Stat.S_IFLNK -> to.symlink(s.getFileSystem().ukfs().readlink(s.imagePath()), t.imagePath());
                case Stat.S_IFREG -> copyContent(s, t, st.permissions());
                default -> to.mknodat(Sys.AT_FDCWD, t.imagePath(), st.mode(), (int) st.rdev());
            }
        } catch (RumpException e) {
            throw Errors.of(e, s, t);
        }
    }

    /** A file's bytes a megabyte at a time, so that no file is ever held in memory whole. */
    private void copyContent(RumpPath s, RumpPath t, int perm) throws IOException {
        try (FileChannel in = newFileChannel(s, Set.of(StandardOpenOption.READ));
             FileChannel out = newFileChannel(t, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
                     java.nio.file.attribute.PosixFilePermissions.asFileAttribute(StatAttributes.permissions(perm)))) {
            ByteBuffer b = ByteBuffer.allocateDirect(COPY_CHUNK);
            long at = 0;
            int n;
            while ((n = in.read(b.clear(), at)) > 0) {
                b.flip();
                while (b.hasRemaining()) out.write(b, at + b.position());
                at += n;
            }
        }
    }

    private static void copyAttributes(Stat st, RumpPath t) throws IOException {
        Syscalls to = t.getFileSystem().ukfs().syscalls();
        try {
            to.lchmod(t.imagePath(), st.mode() & 07777);
            to.lchown(t.imagePath(), st.uid(), st.gid());
            to.utimensat(Sys.AT_FDCWD, t.imagePath(), new jrump.rumpkern.Timespec[] {st.atime(), st.mtime()}, Sys.AT_SYMLINK_NOFOLLOW);
        } catch (RumpException e) {
            // a file system without owners or link modes (FAT) keeps what it can, as cp -p does
            if (e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.EPERM && e.errno() != Errno.EINVAL) throw Errors.of(e, t);
        }
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        RumpPath s = check(source);
        RumpPath t = check(target);
        boolean replace = has(options, StandardCopyOption.REPLACE_EXISTING);
        RumpFileSystem fs = s.getFileSystem();
        if (t.getFileSystem() != fs) {
            if (has(options, StandardCopyOption.ATOMIC_MOVE)) throw new AtomicMoveNotSupportedException(source.toString(), target.toString(), "between two images");
            Stat st = fs.lstat(s);
            if (st.isDirectory()) {
                try (DirectoryStream<Path> d = newDirectoryStream(s, x -> true)) {
                    if (d.iterator().hasNext()) throw new DirectoryNotEmptyException(source.toString());
                }
            }
            fs.checkWritable();
            t.getFileSystem().checkWritable();
            if (prepareTarget(s, st, t, replace)) {
                copyOne(s, st, t);
                copyAttributes(st, t);
            }
            delete(s);
            return;
        }
        fs.checkWritable();
        if (!has(options, StandardCopyOption.ATOMIC_MOVE)) {
            Stat st = fs.lstat(s);
            Stat existing = null;
            try {
                existing = fs.lstat(t);
            } catch (NoSuchFileException e) {
                // nothing in the way
            }
            if (existing != null) {
                if (existing.dev() == st.dev() && existing.ino() == st.ino()) return;
                if (!replace) throw new FileAlreadyExistsException(target.toString());
            }
        }
        try {
            fs.ukfs().syscalls().rename(s.imagePath(), t.imagePath());
        } catch (RumpException e) {
            throw Errors.of(e, source, target);
        }
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (path.equals(path2)) return true;
        if (!(path instanceof RumpPath a) || !(path2 instanceof RumpPath b) || a.getFileSystem() != b.getFileSystem()) return false;
        Stat x = a.getFileSystem().stat(a);
        Stat y = b.getFileSystem().stat(b);
        return x.dev() == y.dev() && x.ino() == y.ino();
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        RumpPath p = check(path);
        Path name = p.getFileName();
        if (name != null && name.toString().startsWith(".")) return true;
        return p.getFileSystem().supportedFileAttributeViews().contains("dos") && Attributes.read(p.getFileSystem(), p, true, true).isHidden();
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        RumpPath p = check(path);
        p.getFileSystem().stat(p);
        return p.getFileSystem().store();
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        RumpPath p = check(path);
        int amode = Sys.F_OK;
        for (AccessMode m : modes) {
            amode |= switch (m) {
                case READ -> Sys.R_OK;
                case WRITE -> Sys.W_OK;
                case EXECUTE -> Sys.X_OK;
            };
        }
        try {
            p.getFileSystem().ukfs().syscalls().access(p.imagePath(), amode);
        } catch (RumpException e) {
            throw Errors.of(e, p);
        }
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        RumpPath p = check(path);
        return Attributes.view(p.getFileSystem(), p, type, options);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
        RumpPath p = check(path);
        boolean dos = type == DosFileAttributes.class;
        if (dos && !p.getFileSystem().supportedFileAttributeViews().contains("dos")) throw new UnsupportedOperationException("DOS attributes on " + p.getFileSystem().ukfs().type());
        if (type != BasicFileAttributes.class && type != java.nio.file.attribute.PosixFileAttributes.class && !dos) {
            throw new UnsupportedOperationException(type.getName());
        }
        return (A) Attributes.read(p.getFileSystem(), p, Attributes.follow(options), dos);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        RumpPath p = check(path);
        return Attributes.readByName(p.getFileSystem(), p, attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        RumpPath p = check(path);
        Attributes.setByName(p.getFileSystem(), p, attribute, value, options);
    }
}
