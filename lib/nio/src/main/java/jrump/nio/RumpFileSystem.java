package jrump.nio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.ukfs.Ukfs;

/**
 * One image opened as a file system: a ukfs mount whose calls answer the provider's. Closing it closes
 * the channels and directory streams still open on it, then unmounts (which writes everything back).
 */
final class RumpFileSystem extends FileSystem {
    private final RumpFileSystemProvider provider;
    private final Path image;
    private final Ukfs ukfs;
    private final RumpPath root;
    private final RumpFileStore store;
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    RumpFileSystem(RumpFileSystemProvider provider, Path image, Ukfs ukfs) {
        this.provider = provider;
        this.image = image;
        this.ukfs = ukfs;
        this.root = new RumpPath(this, "/");
        this.store = new RumpFileStore(this);
    }

    Path image() {
        return image;
    }

    Ukfs ukfs() {
        if (closed) throw new ClosedFileSystemException();
        return ukfs;
    }

    RumpPath root() {
        return root;
    }

    RumpFileStore store() {
        return store;
    }

    /** Before a change: the unchecked exception NIO reserves for a read-only file system. */
    void checkWritable() {
        if (closed) throw new ClosedFileSystemException();
        if (ukfs.readOnly()) throw Errors.readOnly();
    }

    Stat stat(RumpPath p) throws IOException {
        try {
            return ukfs().stat(p.imagePath());
        } catch (RumpException e) {
            throw Errors.of(e, p);
        }
    }

    Stat lstat(RumpPath p) throws IOException {
        try {
            return ukfs().lstat(p.imagePath());
        } catch (RumpException e) {
            throw Errors.of(e, p);
        }
    }

    void opened(Closeable c) {
        open.add(c);
    }

    void closed(Closeable c) {
        open.remove(c);
    }

    @Override
    public RumpFileSystemProvider provider() {
        return provider;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        IOException first = null;
        for (Closeable c : List.copyOf(open)) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        closed = true;
        provider.forget(this);
        try {
            ukfs.close();
        } catch (RumpException e) {
            if (first == null) first = Errors.of(e, image);
        }
        if (first != null) throw first;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public boolean isReadOnly() {
        return ukfs.readOnly();
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(root);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of(store);
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Attributes.views(ukfs.type());
    }

    @Override
    public Path getPath(String first, String... more) {
        if (more.length == 0) return new RumpPath(this, first);
        StringBuilder b = new StringBuilder(first);
        for (String m : more) {
            if (m.isEmpty()) continue;
            if (!b.isEmpty()) b.append('/');
            b.append(m);
        }
        return new RumpPath(this, b.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("not syntax:pattern: " + syntaxAndPattern);
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern regex = switch (syntax.toLowerCase(java.util.Locale.ROOT)) {
            case "glob" -> Pattern.compile(Globs.toRegex(pattern));
            case "regex" -> Pattern.compile(pattern);
            default -> throw new UnsupportedOperationException("syntax " + syntax + " (glob or regex)");
        };
        return p -> regex.matcher(p.toString()).matches();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return Principals.LOOKUP;
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("watch services: an image changes only through its own file system");
    }

    @Override
    public String toString() {
        return image.toString();
    }
}
