package jrump.nio;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.ReadOnlyFileSystemException;

import jrump.rumpkern.RumpException;

/** A kernel errno as the IOException java.nio.file's callers expect for it (the JDK's UnixException mapping). */
final class Errors {
    private Errors() {
    }

    static IOException of(RumpException e, Object path) {
        return of(e, path, null);
    }

    static IOException of(RumpException e, Object path, Object other) {
        String file = path == null ? null : path.toString();
        String otherFile = other == null ? null : other.toString();
        String reason = e.errno().message();
        return switch (e.errno()) {
            case ENOENT -> new NoSuchFileException(file, otherFile, null);
            case EEXIST -> new FileAlreadyExistsException(file, otherFile, null);
            case EACCES, EPERM -> new AccessDeniedException(file, otherFile, reason);
            case ENOTEMPTY -> new DirectoryNotEmptyException(file);
            case ENOTDIR -> new NotDirectoryException(file);
            case ELOOP -> new FileSystemLoopException(file);
            default -> new FileSystemException(file, otherFile, reason);
        };
    }

    /** readlink's EINVAL on a file that is not a symbolic link. */
    static IOException notALink(RumpException e, Object path) {
        if (e.errno() == jrump.rumpkern.Errno.EINVAL) return new NotLinkException(path.toString());
        return of(e, path);
    }

    /** EROFS: the unchecked exception the NIO API reserves for writes to a read-only file system. */
    static RuntimeException readOnly() {
        return new ReadOnlyFileSystemException();
    }
}
