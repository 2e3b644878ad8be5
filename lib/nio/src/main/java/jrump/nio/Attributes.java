package jrump.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timespec;

/**
 * The attribute views of a path in an image: basic, owner, posix and unix for every type, dos where FAT
 * keeps DOS bits (the "user.DOSATTRIB" attribute msdosfs offers), user where the file system keeps
 * extended attributes. Reading by name ("unix:mode,ino") and setting by name follow the JDK's views.
 */
final class Attributes {
    private static final String DOSATTRIB = "user.DOSATTRIB";
    private static final String USER_PREFIX = "user.";

    private static final List<String> BASIC = List.of("lastModifiedTime", "lastAccessTime", "creationTime", "size",
            "isRegularFile", "isDirectory", "isSymbolicLink", "isOther", "fileKey");
    private static final List<String> POSIX = List.of("permissions", "owner", "group");
    private static final List<String> UNIX = List.of("mode", "ino", "dev", "rdev", "nlink", "uid", "gid", "ctime");
    private static final List<String> DOS = List.of("readonly", "hidden", "archive", "system");

    private Attributes() {
    }

    static Set<String> views(String type) {
        return switch (type) {
            case "msdos" -> Set.of("basic", "owner", "posix", "unix", "dos");
            case "ext2fs" -> Set.of("basic", "owner", "posix", "unix", "user");
            default -> Set.of("basic", "owner", "posix", "unix");
        };
    }

    static StatAttributes read(RumpFileSystem fs, RumpPath p, boolean follow, boolean withDos) throws IOException {
        Stat st = follow ? fs.stat(p) : fs.lstat(p);
        int dos = 0;
        if (withDos) {
            ByteBuffer b = ByteBuffer.allocate(16);
            try {
                Syscalls sys = fs.ukfs().syscalls();
                long n = follow ? sys.getxattr(p.imagePath(), DOSATTRIB, b) : sys.lgetxattr(p.imagePath(), DOSATTRIB, b);
                String v = new String(b.array(), 0, (int) n, StandardCharsets.US_ASCII).strip().replace("\0", "");
                if (v.startsWith("0x")) dos = Integer.parseInt(v.substring(2), 16);
            } catch (RumpException | NumberFormatException e) {
                dos = 0; // no DOS bits where the file system keeps none
            }
        }
        return new StatAttributes(st, dos);
    }

    static boolean follow(LinkOption... options) {
        return Arrays.stream(options).noneMatch(o -> o == LinkOption.NOFOLLOW_LINKS);
    }

    @SuppressWarnings("unchecked")
    static <V extends FileAttributeView> V view(RumpFileSystem fs, RumpPath p, Class<V> type, LinkOption... options) {
        boolean follow = follow(options);
        Set<String> views = fs.supportedFileAttributeViews();
        if (type == BasicFileAttributeView.class) return (V) new StatView(fs, p, follow, "basic");
        if (type == FileOwnerAttributeView.class) return (V) new StatView(fs, p, follow, "owner");
        if (type == PosixFileAttributeView.class) return (V) new StatView(fs, p, follow, "posix");
        if (type == DosFileAttributeView.class && views.contains("dos")) return (V) new DosView(fs, p, follow);
        if (type == UserDefinedFileAttributeView.class && views.contains("user")) return (V) new UserView(fs, p, follow);
        return null;
    }

    /** readAttributes(path, "view:a,b" or "view:*"). */
    static Map<String, Object> readByName(RumpFileSystem fs, RumpPath p, String spec, LinkOption... options) throws IOException {
        int colon = spec.indexOf(':');
        String view = colon < 0 ? "basic" : spec.substring(0, colon);
        String names = colon < 0 ? spec : spec.substring(colon + 1);
        if (!fs.supportedFileAttributeViews().contains(view)) throw new UnsupportedOperationException("view " + view + " on " + fs.ukfs().type());
        if (view.equals("user")) return new UserView(fs, p, follow(options)).readByName(names);
        List<String> known = new ArrayList<>(BASIC);
        if (view.equals("owner")) known = List.of("owner");
        if (view.equals("posix") || view.equals("unix")) known.addAll(POSIX);
        if (view.equals("unix")) known.addAll(UNIX);
        if (view.equals("dos")) known.addAll(DOS);
        List<String> wanted = names.equals("*") ? known : Arrays.asList(names.split(","));
        for (String w : wanted) if (!w.equals("*") && !known.contains(w)) throw new IllegalArgumentException("'" + w + "' not recognized in view " + view);
        StatAttributes a = read(fs, p, follow(options), view.equals("dos"));
        Map<String, Object> out = new LinkedHashMap<>();
        for (String w : wanted.contains("*") ? known : wanted) out.put(w, value(a, w));
        return out;
    }

    private static Object value(StatAttributes a, String name) {
        Stat st = a.stat();
        return switch (name) {
            case "lastModifiedTime" -> a.lastModifiedTime();
            case "lastAccessTime" -> a.lastAccessTime();
            case "creationTime" -> a.creationTime();
            case "size" -> a.size();
            case "isRegularFile" -> a.isRegularFile();
            case "isDirectory" -> a.isDirectory();
            case "isSymbolicLink" -> a.isSymbolicLink();
            case "isOther" -> a.isOther();
            case "fileKey" -> a.fileKey();
            case "permissions" -> a.permissions();
            case "owner" -> a.owner();
            case "group" -> a.group();
            case "mode" -> st.mode();
            case "ino" -> st.ino();
            case "dev" -> st.dev();
            case "rdev" -> st.rdev();
            case "nlink" -> (int) st.nlink();
            case "uid" -> st.uid();
            case "gid" -> st.gid();
            case "ctime" -> a.changeTime();
            case "readonly" -> a.isReadOnly();
            case "hidden" -> a.isHidden();
            case "archive" -> a.isArchive();
            case "system" -> a.isSystem();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** setAttribute(path, "view:name", value). */
    @SuppressWarnings("unchecked")
    static void setByName(RumpFileSystem fs, RumpPath p, String spec, Object value, LinkOption... options) throws IOException {
        int colon = spec.indexOf(':');
        String view = colon < 0 ? "basic" : spec.substring(0, colon);
        String name = colon < 0 ? spec : spec.substring(colon + 1);
        if (!fs.supportedFileAttributeViews().contains(view)) throw new UnsupportedOperationException("view " + view + " on " + fs.ukfs().type());
        boolean follow = follow(options);
        StatView v = new StatView(fs, p, follow, view);
        switch (view + ":" + name) {
            case "basic:lastModifiedTime", "posix:lastModifiedTime", "unix:lastModifiedTime", "dos:lastModifiedTime" -> v.setTimes((FileTime) value, null, null);
            case "basic:lastAccessTime", "posix:lastAccessTime", "unix:lastAccessTime", "dos:lastAccessTime" -> v.setTimes(null, (FileTime) value, null);
            case "basic:creationTime", "posix:creationTime", "unix:creationTime", "dos:creationTime" -> v.setTimes(null, null, (FileTime) value);
            case "posix:permissions", "unix:permissions" -> v.setPermissions((Set<PosixFilePermission>) value);
            case "owner:owner", "posix:owner", "unix:owner" -> v.setOwner((UserPrincipal) value);
            case "posix:group", "unix:group" -> v.setGroup((GroupPrincipal) value);
            case "unix:mode" -> v.chmod((Integer) value & 07777);
            case "unix:uid" -> v.chown((Integer) value, -1);
            case "unix:gid" -> v.chown(-1, (Integer) value);
            case "dos:readonly" -> new DosView(fs, p, follow).setBit(StatAttributes.DOS_READ_ONLY, (Boolean) value);
            case "dos:hidden" -> new DosView(fs, p, follow).setBit(StatAttributes.DOS_HIDDEN, (Boolean) value);
            case "dos:system" -> new DosView(fs, p, follow).setBit(StatAttributes.DOS_SYSTEM, (Boolean) value);
            case "dos:archive" -> new DosView(fs, p, follow).setBit(StatAttributes.DOS_ARCHIVE, (Boolean) value);
            default -> {
                if (!view.equals("user")) throw new IllegalArgumentException("'" + name + "' not settable in view " + view);
                ByteBuffer b = value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : (ByteBuffer) value;
                new UserView(fs, p, follow).write(name, b);
            }
        }
    }

    /** What every view of a path holds: the file system, the path, and whether a last symlink is followed. */
    abstract static class PathView {
        final RumpFileSystem fs;
        final RumpPath path;
        final boolean follow;

        PathView(RumpFileSystem fs, RumpPath path, boolean follow) {
            this.fs = fs;
            this.path = path;
            this.follow = follow;
        }
    }

    /** basic, owner and posix (and the settable part of unix): one stat, one chmod, chown or utimensat. */
    static class StatView extends PathView implements PosixFileAttributeView {
        private final String name;

        StatView(RumpFileSystem fs, RumpPath path, boolean follow, String name) {
            super(fs, path, follow);
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public StatAttributes readAttributes() throws IOException {
            return read(fs, path, follow, false);
        }

        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) throws IOException {
            if (lastModifiedTime == null && lastAccessTime == null) return; // a birth time cannot be set, as on Linux
            fs.checkWritable();
            Timespec[] t = {spec(lastAccessTime), spec(lastModifiedTime)};
            try {
                fs.ukfs().syscalls().utimensat(Sys.AT_FDCWD, path.imagePath(), t, follow ? 0 : Sys.AT_SYMLINK_NOFOLLOW);
            } catch (RumpException e) {
                throw Errors.of(e, path);
            }
        }

        private static Timespec spec(FileTime t) {
            return t == null ? new Timespec(0, Sys.UTIME_OMIT) : Timespec.ofNanos(t.to(TimeUnit.NANOSECONDS));
        }

        @Override
        public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
            chmod(StatAttributes.mode(perms));
        }

        void chmod(int mode) throws IOException {
            fs.checkWritable();
            try {
                if (follow) fs.ukfs().syscalls().chmod(path.imagePath(), mode);
                else fs.ukfs().syscalls().lchmod(path.imagePath(), mode);
            } catch (RumpException e) {
                throw Errors.of(e, path);
            }
        }

        void chown(int uid, int gid) throws IOException {
            fs.checkWritable();
            try {
                if (follow) fs.ukfs().syscalls().chown(path.imagePath(), uid, gid);
                else fs.ukfs().syscalls().lchown(path.imagePath(), uid, gid);
            } catch (RumpException e) {
                throw Errors.of(e, path);
            }
        }

        @Override
        public UserPrincipal getOwner() throws IOException {
            return readAttributes().owner();
        }

        @Override
        public void setOwner(UserPrincipal owner) throws IOException {
            chown(Principals.uid(owner), -1);
        }

        @Override
        public void setGroup(GroupPrincipal group) throws IOException {
            chown(-1, Principals.gid(group));
        }
    }

    /** FAT's DOS bits, kept by msdosfs as the "user.DOSATTRIB" attribute ("0x21"). */
    static final class DosView extends PathView implements DosFileAttributeView {
        DosView(RumpFileSystem fs, RumpPath path, boolean follow) {
            super(fs, path, follow);
        }

        @Override
        public String name() {
            return "dos";
        }

        @Override
        public StatAttributes readAttributes() throws IOException {
            return read(fs, path, follow, true);
        }

        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) throws IOException {
            new StatView(fs, path, follow, "dos").setTimes(lastModifiedTime, lastAccessTime, createTime);
        }

        void setBit(int bit, boolean on) throws IOException {
            fs.checkWritable();
            int bits = readAttributes().dosBits();
            bits = on ? bits | bit : bits & ~bit;
            ByteBuffer v = ByteBuffer.wrap(("0x" + Integer.toHexString(bits)).getBytes(StandardCharsets.US_ASCII));
            try {
                if (follow) fs.ukfs().syscalls().setxattr(path.imagePath(), DOSATTRIB, v, 0);
                else fs.ukfs().syscalls().lsetxattr(path.imagePath(), DOSATTRIB, v, 0);
            } catch (RumpException e) {
                throw Errors.of(e, path);
            }
        }

        @Override
        public void setReadOnly(boolean value) throws IOException {
            setBit(StatAttributes.DOS_READ_ONLY, value);
        }

        @Override
        public void setHidden(boolean value) throws IOException {
            setBit(StatAttributes.DOS_HIDDEN, value);
        }

        @Override
        public void setSystem(boolean value) throws IOException {
            setBit(StatAttributes.DOS_SYSTEM, value);
        }

        @Override
        public void setArchive(boolean value) throws IOException {
            setBit(StatAttributes.DOS_ARCHIVE, value);
        }
    }

    /** Extended attributes of the "user." namespace, named without the prefix as the JDK's view does. */
    static final class UserView extends PathView implements UserDefinedFileAttributeView {
        UserView(RumpFileSystem fs, RumpPath path, boolean follow) {
            super(fs, path, follow);
        }

        @Override
        public String name() {
            return "user";
        }

        private Syscalls sys() {
            return fs.ukfs().syscalls();
        }

        @Override
        public List<String> list() throws IOException {
            ByteBuffer b = ByteBuffer.allocate(Sys.XATTR_SIZE_MAX);
            long n;
            try {
                n = follow ? sys().listxattr(path.imagePath(), b) : sys().llistxattr(path.imagePath(), b);
            } catch (RumpException e) {
                throw Errors.of(e, path);
            }
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (b.get(i) != 0) continue;
                String name = new String(b.array(), start, i - start, StandardCharsets.UTF_8);
                if (name.startsWith(USER_PREFIX)) out.add(name.substring(USER_PREFIX.length()));
                start = i + 1;
            }
            return out;
        }

        private ByteBuffer value(String name) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(Sys.XATTR_SIZE_MAX);
            try {
                long n = follow ? sys().getxattr(path.imagePath(), USER_PREFIX + name, b) : sys().lgetxattr(path.imagePath(), USER_PREFIX + name, b);
                return b.flip().limit((int) n);
            } catch (RumpException e) {
                if (e.errno() == Errno.ENOATTR || e.errno() == Errno.ENODATA) throw new FileSystemException(path.toString(), null, "user." + name + ": no such attribute");
                throw Errors.of(e, path);
            }
        }

        @Override
        public int size(String name) throws IOException {
            return value(name).remaining();
        }

        @Override
        public int read(String name, ByteBuffer dst) throws IOException {
            ByteBuffer v = value(name);
            if (dst.remaining() < v.remaining()) throw new IOException("user." + name + ": " + v.remaining() + " bytes, the buffer has room for " + dst.remaining());
            int n = v.remaining();
            dst.put(v);
            return n;
        }

        @Override
        public int write(String name, ByteBuffer src) throws IOException {
            fs.checkWritable();
            int n = src.remaining();
            try {
                if (follow) sys().setxattr(path.imagePath(), USER_PREFIX + name, src.duplicate(), 0);
                else sys().lsetxattr(path.imagePath(), USER_PREFIX + name, src.duplicate(), 0);
            } catch (RumpException e) {
                throw Errors.of(e, path);
            }
            src.position(src.limit());
            return n;
        }

        @Override
        public void delete(String name) throws IOException {
            fs.checkWritable();
            try {
                if (follow) sys().removexattr(path.imagePath(), USER_PREFIX + name);
                else sys().lremovexattr(path.imagePath(), USER_PREFIX + name);
            } catch (RumpException e) {
                throw Errors.of(e, path);
            }
        }

        Map<String, Object> readByName(String names) throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            List<String> wanted = names.equals("*") ? list() : Arrays.asList(names.split(","));
            for (String w : wanted) {
                ByteBuffer v = value(w);
                byte[] bytes = new byte[v.remaining()];
                v.get(bytes);
                out.put(w, bytes);
            }
            return out;
        }
    }
}
