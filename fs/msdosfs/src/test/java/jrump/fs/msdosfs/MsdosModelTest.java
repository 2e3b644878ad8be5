package jrump.fs.msdosfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;

/**
 * Seeded random sequences of create, write, truncate, unlink, mkdir, rmdir and rename (names that differ
 * only in case, long and Unicode names) compared after every step with a model of FAT's semantics
 * (case-insensitive, case-preserving names); then fsck.fat -n and our Fsck find the image clean and a new
 * mount reads the model's tree. A failure names the seed and the steps that led to it.
 */
class MsdosModelTest {
    private static final String[] NAMES = {"a", "A", "b.txt", "B.TXT", "readme", "Long File Name.text", "long file name.TEXT",
            "ñandú.txt", "名前", "x y z", "data.bin", "DATA.BIN", "more.than.one.dot", "d", "D", "sub"};

    @TempDir
    Path tmp;

    /** A model node: a directory (children by folded name) or a file (its bytes). */
    private static final class Node {
        final boolean dir;
        String name;
        Node parent;
        byte[] data = new byte[0];
        final Map<String, Node> kids = new LinkedHashMap<>();

        Node(boolean dir, String name, Node parent) {
            this.dir = dir;
            this.name = name;
            this.parent = parent;
        }

        String path() {
            return parent == null ? "/mnt" : parent.path() + "/" + name;
        }

        boolean within(Node ancestor) {
            for (Node n = this; n != null; n = n.parent) if (n == ancestor) return true;
            return false;
        }
    }

    private static String fold(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    private final List<String> log = new ArrayList<>();

    @ParameterizedTest
    @CsvSource({"12, 4, 1", "16, 20, 2", "32, 40, 3", "32, 40, 4"})
    void randomOperations_matchTheModel(int type, int mib, long seed) throws Exception {
        Path img = tmp.resolve("m.img");
        MsdosNewfsTest.newfs(img, new Newfs.Options(mib * (1L << 20), type, 512, type == 32 ? 512 : 1024, null, seed));
        Node root = new Node(true, "", null);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Mounted m = new Mounted(img)) {
            for (int step = 0; step < 400; step++) {
                try {
                    step(m, root, rnd);
                } catch (AssertionError e) {
                    throw new AssertionError("seed " + seed + ", FAT" + type + ", step " + step + ":\n" + String.join("\n", log), e);
                }
            }
            compare(m, root);
        }
        Tools.fsckClean(img);
        assertThat(MsdosFsckTest.fsck(img).problems()).isEmpty();
        try (Mounted m = new Mounted(img, Sys.MNT_RDONLY, null)) {
            compare(m, root);
        }
    }

    private static List<Node> all(Node d, boolean dirs) {
        List<Node> out = new ArrayList<>();
        if (d.dir == dirs) out.add(d);
        for (Node k : d.kids.values()) out.addAll(k.dir ? all(k, dirs) : (dirs ? List.of() : List.of(k)));
        return out;
    }

    private static <T> T pick(SplittableRandom rnd, List<T> l) {
        return l.isEmpty() ? null : l.get(rnd.nextInt(l.size()));
    }

    private void step(Mounted m, Node root, SplittableRandom rnd) {
        List<Node> dirs = all(root, true);
        List<Node> files = all(root, false);
        Node d = pick(rnd, dirs);
        String name = NAMES[rnd.nextInt(NAMES.length)];
        Node there = d.kids.get(fold(name));
        String path = d.path() + "/" + name;
        switch (rnd.nextInt(8)) {
            case 0 -> { // create or truncate, then write
                byte[] data = new byte[rnd.nextInt(3) == 0 ? rnd.nextInt(20000) : rnd.nextInt(300)];
                rnd.nextBytes(data);
                log.add("create " + path + " " + data.length);
                if (there != null && there.dir) {
                    assertThat(errnoOf(() -> m.write(path, data))).isEqualTo(Errno.EISDIR);
                    return;
                }
                m.write(path, data);
                Node f = there != null ? there : new Node(false, name, d);
                f.data = data;
                d.kids.putIfAbsent(fold(name), f);
            }
            case 1 -> { // write at an offset, maybe past the end
                Node f = pick(rnd, files);
                if (f == null) return;
                long off = rnd.nextInt(f.data.length + 5000);
                byte[] data = new byte[rnd.nextInt(4000) + 1];
                rnd.nextBytes(data);
                log.add("pwrite " + f.path() + " at " + off + " " + data.length);
                int fd = m.sys.open(f.path(), Sys.O_WRONLY, 0);
                m.sys.pwrite(fd, ByteBuffer.wrap(data), off);
                m.sys.close(fd);
                byte[] n = Arrays.copyOf(f.data, (int) Math.max(f.data.length, off + data.length));
                System.arraycopy(data, 0, n, (int) off, data.length);
                f.data = n;
            }
            case 2 -> { // truncate
                Node f = pick(rnd, files);
                if (f == null) return;
                int len = rnd.nextInt(f.data.length + 9000);
                log.add("truncate " + f.path() + " " + len);
                m.sys.truncate(f.path(), len);
                f.data = Arrays.copyOf(f.data, len);
            }
            case 3 -> { // unlink
                Node f = pick(rnd, files);
                if (f == null) return;
                log.add("unlink " + f.path());
                m.sys.unlink(f.path());
                f.parent.kids.remove(fold(f.name));
            }
            case 4 -> { // mkdir
                log.add("mkdir " + path);
                Errno e = errnoOf(() -> m.sys.mkdir(path, 0755));
                assertThat(e).isEqualTo(there != null ? Errno.EEXIST : null);
                if (there == null) d.kids.put(fold(name), new Node(true, name, d));
            }
            case 5 -> { // rmdir
                Node x = pick(rnd, dirs);
                if (x == root) return;
                log.add("rmdir " + x.path());
                Errno e = errnoOf(() -> m.sys.rmdir(x.path()));
                assertThat(e).isEqualTo(x.kids.isEmpty() ? null : Errno.ENOTEMPTY);
                if (e == null) x.parent.kids.remove(fold(x.name));
            }
            case 6 -> rename(m, root, rnd, files, dirs, d, name, there, path);
            default -> { // read back something
                Node f = pick(rnd, files);
                if (f != null) assertThat(m.read(f.path())).as(f.path()).isEqualTo(f.data);
                Node x = pick(rnd, dirs);
                List<String> want = x.kids.values().stream().map(k -> k.name).toList();
                assertThat(m.names(x.path())).as(x.path()).containsExactlyInAnyOrderElementsOf(want);
            }
        }
    }

    private void rename(Mounted m, Node root, SplittableRandom rnd, List<Node> files, List<Node> dirs, Node d, String name, Node there, String path) {
        Node src = rnd.nextBoolean() ? pick(rnd, files) : pick(rnd, dirs);
        if (src == null || src == root) return;
        String from = src.path();
        log.add("rename " + from + " -> " + path);
        Errno expected = null;
        if (src.dir && d.within(src)) expected = Errno.EINVAL;
        else if (there != null && there != src) {
            if (src.dir && !there.dir) expected = Errno.ENOTDIR;
            else if (!src.dir && there.dir) expected = Errno.EISDIR;
            else if (there.dir && !there.kids.isEmpty()) expected = Errno.ENOTEMPTY;
        }
        Errno e = errnoOf(() -> m.sys.rename(from, path));
        assertThat(e).isEqualTo(expected);
        if (e != null) return;
        if (there == src && src.parent == d) {
            src.name = name; // only the case changed
            return;
        }
        if (there == src) return;
        src.parent.kids.remove(fold(src.name));
        d.kids.remove(fold(name));
        src.name = name;
        src.parent = d;
        d.kids.put(fold(name), src);
    }

    private static void compare(Mounted m, Node d) {
        List<String> want = d.kids.values().stream().map(k -> k.name).toList();
        assertThat(m.names(d.path())).as(d.path()).containsExactlyInAnyOrderElementsOf(want);
        for (Node k : d.kids.values()) {
            if (k.dir) compare(m, k);
            else assertThat(m.read(k.path())).as(k.path()).isEqualTo(k.data);
        }
    }
}
