package jrump.nio;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import jrump.rumpkern.RumpException;

/**
 * A path inside an image: "/"-separated, absolute from the image's root or relative to it (the working
 * directory of an image file system is always its root). Immutable; no host path semantics leak in.
 */
final class RumpPath implements Path {
    /** SUSv4's SYMLOOP_MAX floor, the limit toRealPath follows links to. */
    private static final int MAX_SYMLINKS = 32;

    private final RumpFileSystem fs;
    private final String path;
    /** The names, "" alone for the empty path; none for the root. */
    private final String[] names;

    RumpPath(RumpFileSystem fs, String path) {
        this.fs = fs;
        this.path = canonical(path);
        if (this.path.isEmpty()) names = new String[] {""};
        else if (this.path.equals("/")) names = new String[0];
        else names = (this.path.startsWith("/") ? this.path.substring(1) : this.path).split("/");
    }

    /** Repeated and trailing slashes dropped, as UnixPath does; NUL refused as the kernel cannot take it. */
    private static String canonical(String p) {
        if (p.indexOf('\0') >= 0) throw new java.nio.file.InvalidPathException(p, "Nul character not allowed");
        StringBuilder b = new StringBuilder(p.length());
        char prev = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '/' && prev == '/') continue;
            b.append(c);
            prev = c;
        }
        if (b.length() > 1 && b.charAt(b.length() - 1) == '/') b.setLength(b.length() - 1);
        return b.toString();
    }

    private RumpPath of(boolean absolute, List<String> parts) {
        String joined = String.join("/", parts);
        return new RumpPath(fs, absolute ? "/" + joined : joined);
    }

    private static RumpPath check(Path other) {
        Objects.requireNonNull(other);
        if (!(other instanceof RumpPath p)) throw new ProviderMismatchException();
        return p;
    }

    /** The path as the image's own absolute path, for ukfs' calls. */
    String imagePath() {
        return isAbsolute() ? path : (path.isEmpty() ? "/" : "/" + path);
    }

    private boolean isEmpty() {
        return path.isEmpty();
    }

    @Override
    public RumpFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public Path getRoot() {
        return isAbsolute() ? fs.root() : null;
    }

    @Override
    public Path getFileName() {
        if (names.length == 0) return null;
        if (names.length == 1 && !isAbsolute()) return this;
        return new RumpPath(fs, names[names.length - 1]);
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || (names.length == 1 && !isAbsolute())) return null;
        if (names.length == 1) return fs.root();
        return of(isAbsolute(), Arrays.asList(names).subList(0, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public Path getName(int index) {
        if (index < 0 || index >= names.length) throw new IllegalArgumentException("name " + index + " of " + names.length);
        return new RumpPath(fs, names[index]);
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || endIndex > names.length || beginIndex >= endIndex) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of " + names.length + " names");
        }
        return of(false, Arrays.asList(names).subList(beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof RumpPath o) || o.fs != fs) return false;
        if (o.isAbsolute() != isAbsolute()) return false;
        if (o.isEmpty()) return isEmpty();
        if (o.names.length > names.length) return false;
        for (int i = 0; i < o.names.length; i++) if (!o.names[i].equals(names[i])) return false;
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof RumpPath o) || o.fs != fs) return false;
        if (o.isAbsolute()) return equals(o);
        if (o.isEmpty()) return isEmpty();
        if (o.names.length > names.length) return false;
        for (int i = 1; i <= o.names.length; i++) if (!o.names[o.names.length - i].equals(names[names.length - i])) return false;
        return true;
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".") || n.isEmpty()) continue;
            if (n.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) out.remove(out.size() - 1);
                else if (!isAbsolute()) out.add(n); // a relative path keeps its leading ".."; the root's parent is itself
                continue;
            }
            out.add(n);
        }
        return of(isAbsolute(), out);
    }

    @Override
    public Path resolve(Path other) {
        RumpPath o = check(other);
        if (o.isAbsolute()) return o;
        if (o.isEmpty()) return this;
        if (isEmpty()) return o;
        return new RumpPath(fs, path.equals("/") ? "/" + o.path : path + "/" + o.path);
    }

    @Override
    public Path relativize(Path other) {
        RumpPath o = check(other);
        if (o.isAbsolute() != isAbsolute()) throw new IllegalArgumentException("'" + other + "' and '" + this + "': one is absolute, the other not");
        if (equals(o)) return new RumpPath(fs, "");
        if (isEmpty()) return o;
        if (hasDots() || o.hasDots()) return ((RumpPath) normalize()).relativizeNormal((RumpPath) o.normalize());
        return relativizeNormal(o);
    }

    private boolean hasDots() {
        for (String n : names) if (n.equals(".") || n.equals("..")) return true;
        return false;
    }

    private Path relativizeNormal(RumpPath o) {
        if (equals(o)) return new RumpPath(fs, "");
        if (isEmpty()) return o;
        int common = 0;
        int max = Math.min(names.length, o.isEmpty() ? 0 : o.names.length);
        while (common < max && names[common].equals(o.names[common])) common++;
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.length; i++) out.add("..");
        if (!o.isEmpty()) out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
        return of(false, out);
    }

    @Override
    public URI toUri() {
        try {
            return new URI(RumpFileSystemProvider.SCHEME, fs.image().toUri() + "!" + toAbsolutePath().normalize(), null);
        } catch (URISyntaxException e) {
            throw new java.io.IOError(e);
        }
    }

    @Override
    public RumpPath toAbsolutePath() {
        return isAbsolute() ? this : new RumpPath(fs, imagePath());
    }

    @Override
    public Path toRealPath(LinkOption... options) throws IOException {
        boolean follow = Arrays.stream(options).noneMatch(o -> o == LinkOption.NOFOLLOW_LINKS);
        RumpPath abs = (RumpPath) toAbsolutePath();
        if (!follow) {
            RumpPath n = (RumpPath) abs.normalize();
            fs.lstat(n); // must exist
            return n;
        }
        // Component by component, following each link (its target resolved from the link's directory)
        List<String> done = new ArrayList<>();
        List<String> todo = new ArrayList<>(Arrays.asList(abs.names));
        int links = 0;
        while (!todo.isEmpty()) {
            String n = todo.remove(0);
            if (n.equals(".") || n.isEmpty()) continue;
            if (n.equals("..")) {
                if (!done.isEmpty()) done.remove(done.size() - 1);
                continue;
            }
            done.add(n);
            RumpPath here = of(true, done);
            if (fs.lstat(here).isSymbolicLink()) {
                if (++links > MAX_SYMLINKS) throw new FileSystemLoopException(toString());
                String target;
                try {
                    target = fs.ukfs().readlink(here.path);
                } catch (RumpException e) {
                    throw Errors.of(e, here);
                }
                done.remove(done.size() - 1);
                if (target.startsWith("/")) done.clear();
                List<String> next = new ArrayList<>(Arrays.asList(target.split("/")));
                next.addAll(todo);
                todo = next;
            }
        }
        return of(true, done);
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("watch services: an image changes only through its own file system");
    }

    @Override
    public int compareTo(Path other) {
        return path.compareTo(check(other).path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RumpPath p && p.fs == fs && p.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
