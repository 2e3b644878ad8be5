package jrump.nio;

import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jrump.rumpkern.Stat;
import jrump.rumpkern.Timespec;

/**
 * A file's attributes as one stat saw them, in every form the views read: basic, posix, unix and, where
 * the file system keeps them (FAT), the DOS bits.
 */
record StatAttributes(Stat stat, int dosBits) implements PosixFileAttributes, DosFileAttributes {
    /** FAT's attribute bits (Microsoft FAT specification, "Directory Structure"). */
    static final int DOS_READ_ONLY = 0x01;
    static final int DOS_HIDDEN = 0x02;
    static final int DOS_SYSTEM = 0x04;
    static final int DOS_ARCHIVE = 0x20;

    /** What identifies a file within its file system (fileKey): device and inode, as the JDK's UnixFileKey. */
    record Key(long dev, long ino) {
    }

    static FileTime time(Timespec t) {
        return FileTime.from(Math.addExact(Math.multiplyExact(t.sec(), 1_000_000_000L), t.nsec()), TimeUnit.NANOSECONDS);
    }

    @Override
    public FileTime lastModifiedTime() {
        return time(stat.mtime());
    }

    @Override
    public FileTime lastAccessTime() {
        return time(stat.atime());
    }

    /** The birth time where the file system keeps one, else the modification time (as the JDK on Linux without statx). */
    @Override
    public FileTime creationTime() {
        Timespec b = stat.birthtime();
        return b == null || (b.sec() == 0 && b.nsec() == 0) || b.sec() < 0 ? lastModifiedTime() : time(b);
    }

    FileTime changeTime() {
        return time(stat.ctime());
    }

    @Override
    public boolean isRegularFile() {
        return stat.isRegularFile();
    }

    @Override
    public boolean isDirectory() {
        return stat.isDirectory();
    }

    @Override
    public boolean isSymbolicLink() {
        return stat.isSymbolicLink();
    }

    @Override
    public boolean isOther() {
        return !isRegularFile() && !isDirectory() && !isSymbolicLink();
    }

    @Override
    public long size() {
        return stat.size();
    }

    @Override
    public Object fileKey() {
        return new Key(stat.dev(), stat.ino());
    }

    @Override
    public UserPrincipal owner() {
        return new Principals.User(stat.uid());
    }

    @Override
    public GroupPrincipal group() {
        return new Principals.Group(stat.gid());
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        return permissions(stat.mode());
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE, high bit first
        for (int i = 0; i < order.length; i++) if ((mode & (0400 >> i)) != 0) s.add(order[i]);
        return s;
    }

    static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) m |= 0400 >> p.ordinal();
        return m;
    }

    @Override
    public boolean isReadOnly() {
        return (dosBits & DOS_READ_ONLY) != 0;
    }

    @Override
    public boolean isHidden() {
        return (dosBits & DOS_HIDDEN) != 0;
    }

    @Override
    public boolean isArchive() {
        return (dosBits & DOS_ARCHIVE) != 0;
    }

    @Override
    public boolean isSystem() {
        return (dosBits & DOS_SYSTEM) != 0;
    }
}
