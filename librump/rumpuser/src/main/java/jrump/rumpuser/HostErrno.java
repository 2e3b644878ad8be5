package jrump.rumpuser;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.ReadOnlyFileSystemException;

/**
 * The errno numbers hypercalls report, in the rump kernel's namespace (NetBSD sys/errno.h), and the one
 * place where host exceptions become errnos. rumpkern's Errno enum has the full list; a test keeps the
 * two in agreement.
 */
public final class HostErrno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EPIPE = 32;
    public static final int EAGAIN = 35;
    public static final int ETIMEDOUT = 60;
    public static final int ELOOP = 62;
    public static final int ENAMETOOLONG = 63;
    public static final int ENOTEMPTY = 66;
    public static final int ENOSYS = 78;

    private HostErrno() {
    }

    /** Translates a host I/O failure. */
    public static int of(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> ENOENT;
            case FileNotFoundException x -> ENOENT;
            case AccessDeniedException x -> EACCES;
            case FileAlreadyExistsException x -> EEXIST;
            case NotDirectoryException x -> ENOTDIR;
            case DirectoryNotEmptyException x -> ENOTEMPTY;
            case ClosedChannelException x -> EBADF;
            case FileSystemException x when reasonHas(x, "No space left") -> ENOSPC;
            case FileSystemException x when reasonHas(x, "Is a directory") -> EISDIR;
            case FileSystemException x when reasonHas(x, "Read-only file system") -> EROFS;
            case FileSystemException x when reasonHas(x, "Too many levels of symbolic links") -> ELOOP;
            case FileSystemException x when reasonHas(x, "File name too long") -> ENAMETOOLONG;
            case IOException x when reasonHas(x, "No space left") -> ENOSPC;
            case IOException x when reasonHas(x, "Is a directory") -> EISDIR;
            case IOException x when reasonHas(x, "Broken pipe") -> EPIPE;
            default -> EIO;
        };
    }

    /** Translates a host failure that is not an IOException. */
    public static int of(RuntimeException e) {
        return switch (e) {
            case ReadOnlyFileSystemException x -> EROFS;
            case SecurityException x -> EACCES;
            case UnsupportedOperationException x -> ENOSYS;
            case IllegalArgumentException x -> EINVAL;
            default -> EIO;
        };
    }

    private static boolean reasonHas(IOException e, String text) {
        String m = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        return m != null && m.contains(text);
    }
}
