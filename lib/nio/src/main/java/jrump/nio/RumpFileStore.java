package jrump.nio;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserDefinedFileAttributeView;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Statvfs;

/** The image's file system as a FileStore: its type, and space figures from the kernel's statvfs. */
final class RumpFileStore extends FileStore {
    private final RumpFileSystem fs;

    RumpFileStore(RumpFileSystem fs) {
        this.fs = fs;
    }

    private Statvfs statvfs() throws IOException {
        try {
            return fs.ukfs().statvfs();
        } catch (RumpException e) {
            throw Errors.of(e, fs.image());
        }
    }

    @Override
    public String name() {
        return fs.image().toString();
    }

    @Override
    public String type() {
        return fs.ukfs().type();
    }

    @Override
    public boolean isReadOnly() {
        return fs.isReadOnly();
    }

    @Override
    public long getTotalSpace() throws IOException {
        return statvfs().totalBytes();
    }

    @Override
    public long getUsableSpace() throws IOException {
        return statvfs().availableBytes();
    }

    @Override
    public long getUnallocatedSpace() throws IOException {
        Statvfs s = statvfs();
        return s.bfree() * s.frsize();
    }

    @Override
    public long getBlockSize() throws IOException {
        return statvfs().frsize();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        if (type == BasicFileAttributeView.class) return supportsFileAttributeView("basic");
        if (type == FileOwnerAttributeView.class) return supportsFileAttributeView("owner");
        if (type == PosixFileAttributeView.class) return supportsFileAttributeView("posix");
        if (type == DosFileAttributeView.class) return supportsFileAttributeView("dos");
        if (type == UserDefinedFileAttributeView.class) return supportsFileAttributeView("user");
        return false;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return fs.supportedFileAttributeViews().contains(name);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) throws IOException {
        return switch (attribute) {
            case "totalSpace" -> getTotalSpace();
            case "usableSpace" -> getUsableSpace();
            case "unallocatedSpace" -> getUnallocatedSpace();
            case "bytesPerSector" -> getBlockSize();
            default -> throw new UnsupportedOperationException("file store attribute " + attribute);
        };
    }

    @Override
    public String toString() {
        return fs.image() + " (" + type() + ")";
    }
}
