package jrump.rumpvfs.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * A seeded stateful test: random sequences of mkdir, create+write, unlink, rmdir and rename against
 * rumpfs and against an in-memory model, comparing each call's errno and, after every step, the whole
 * tree (names, types, contents). On failure it prints the seed and the steps so far.
 */
class VfsModelTest {
    private static final String[] NAMES = {"a", "b", "c"};
    private static final int STEPS = 400;

    /** The model: path → null for a directory, bytes for a file. */
    private final Map<String, byte[]> model = new TreeMap<>();
    private static final byte[] DIR = new byte[0];

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 0x5eedL})
    void randomOperationsMatchTheModel(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> log = new ArrayList<>();
        int succeeded = 0;
        model.clear();
        model.put("/", DIR);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            for (int step = 0; step < STEPS; step++) {
                String p = randomPath(rnd);
                String q = randomPath(rnd);
                int op = rnd.nextInt(5);
                String what;
                Errno expected;
                Errno got;
                switch (op) {
                    case 0 -> {
                        what = "mkdir " + p;
                        expected = modelMkdir(p);
                        got = errnoOf(() -> sys.mkdir(p, 0755));
                    }
                    case 1 -> {
                        byte[] data = new byte[rnd.nextInt(0, 300)];
                        rnd.nextBytes(data);
                        what = "write " + p + " (" + data.length + " bytes)";
                        expected = modelWrite(p, data);
                        got = errnoOf(() -> {
                            int fd = sys.open(p, Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, 0644);
                            ByteBuffer b = ByteBuffer.wrap(data);
                            while (b.hasRemaining()) sys.write(fd, b);
                            sys.close(fd);
                        });
                    }
                    case 2 -> {
                        what = "unlink " + p;
                        expected = modelUnlink(p);
                        got = errnoOf(() -> sys.unlink(p));
                    }
                    case 3 -> {
                        what = "rmdir " + p;
                        expected = modelRmdir(p);
                        got = errnoOf(() -> sys.rmdir(p));
                    }
                    default -> {
                        what = "rename " + p + " " + q;
                        expected = modelRename(p, q);
                        got = errnoOf(() -> sys.rename(p, q));
                    }
                }
                log.add(step + ": " + what + " -> " + (got == null ? "ok" : got));
                if (got == null) succeeded++;
                String context = "seed " + seed + ", steps:\n" + String.join("\n", log);
                assertThat(got).as(context).isEqualTo(expected);
                assertThat(walk(sys, "/")).as(context).isEqualTo(describeModel());
            }
        }
        // the sequences must do real work, not fail on missing parents throughout
        assertThat(succeeded).as("seed %d: successful operations", seed).isGreaterThan(STEPS / 5);
    }

    /** Mostly a name in a directory that exists (so that calls do real work), sometimes anything. */
    private String randomPath(SplittableRandom rnd) {
        if (rnd.nextInt(10) < 8) {
            List<String> dirs = model.entrySet().stream().filter(e -> e.getValue() == DIR).map(Map.Entry::getKey)
                    .filter(d -> d.split("/").length <= 3).toList();
            String d = dirs.get(rnd.nextInt(dirs.size()));
            return (d.equals("/") ? "" : d) + "/" + NAMES[rnd.nextInt(NAMES.length)];
        }
        int depth = rnd.nextInt(1, 4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) b.append('/').append(NAMES[rnd.nextInt(NAMES.length)]);
        return b.toString();
    }


    // --- the model ----------------------------------------------------------------------------

    private static String parent(String p) {
        int i = p.lastIndexOf('/');
        return i == 0 ? "/" : p.substring(0, i);
    }

    /** The errno of looking up {@code p}'s parent chain: ENOENT or ENOTDIR, or null when it is a directory. */
    private Errno parentError(String p) {
        String[] parts = p.substring(1).split("/");
        String cur = "";
        for (int i = 0; i < parts.length - 1; i++) {
            cur = cur + "/" + parts[i];
            byte[] n = model.get(cur);
            if (n == null) return Errno.ENOENT;
            if (n != DIR) return Errno.ENOTDIR;
        }
        return null;
    }

    private boolean isDir(String p) {
        return model.get(p) == DIR;
    }

    private boolean hasChildren(String p) {
        String prefix = p + "/";
        return model.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    private Errno modelMkdir(String p) {
        Errno e = parentError(p);
        if (e != null) return e;
        if (model.containsKey(p)) return Errno.EEXIST;
        model.put(p, DIR);
        return null;
    }

    private Errno modelWrite(String p, byte[] data) {
        Errno e = parentError(p);
        if (e != null) return e;
        if (isDir(p)) return Errno.EISDIR;
        model.put(p, data);
        return null;
    }

    private Errno modelUnlink(String p) {
        Errno e = parentError(p);
        if (e != null) return e;
        if (!model.containsKey(p)) return Errno.ENOENT;
        if (isDir(p)) return Errno.EPERM;
        model.remove(p);
        return null;
    }

    private Errno modelRmdir(String p) {
        Errno e = parentError(p);
        if (e != null) return e;
        if (!model.containsKey(p)) return Errno.ENOENT;
        if (!isDir(p)) return Errno.ENOTDIR;
        if (hasChildren(p)) return Errno.ENOTEMPTY;
        model.remove(p);
        return null;
    }

    private Errno modelRename(String from, String to) {
        Errno e = parentError(from);
        if (e != null) return e;
        if (!model.containsKey(from)) return Errno.ENOENT;
        e = parentError(to);
        if (e != null) return e;
        if (from.equals(to)) return null;
        boolean dir = isDir(from);
        if (dir && to.startsWith(from + "/")) return Errno.EINVAL;
        if (model.containsKey(to)) {
            if (dir && !isDir(to)) return Errno.ENOTDIR;
            if (!dir && isDir(to)) return Errno.EISDIR;
            if (isDir(to) && hasChildren(to)) return Errno.ENOTEMPTY;
            model.remove(to);
        }
        Map<String, byte[]> moved = new TreeMap<>();
        for (var it = model.entrySet().iterator(); it.hasNext(); ) {
            var en = it.next();
            String k = en.getKey();
            if (k.equals(from) || k.startsWith(from + "/")) {
                moved.put(to + k.substring(from.length()), en.getValue());
                it.remove();
            }
        }
        model.putAll(moved);
        return null;
    }

    private String describeModel() {
        StringBuilder b = new StringBuilder();
        for (var en : model.entrySet()) {
            b.append(en.getKey()).append(en.getValue() == DIR ? "/" : " " + Arrays.hashCode(en.getValue()) + ":" + en.getValue().length).append('\n');
        }
        return b.toString();
    }

    /** The tree as the kernel shows it, in the model's format. */
    private static String walk(Syscalls sys, String root) {
        Map<String, String> out = new TreeMap<>();
        walk(sys, root, out);
        StringBuilder b = new StringBuilder();
        for (var en : out.entrySet()) b.append(en.getKey()).append(en.getValue()).append('\n');
        return b.toString();
    }

    private static void walk(Syscalls sys, String dir, Map<String, String> out) {
        out.put(dir, "/");
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        List<String> names = new ArrayList<>();
        ByteBuffer b = ByteBuffer.allocate(4096);
        int n;
        while ((n = sys.getdents(fd, b.clear())) > 0) {
            for (Dirent d : Dirent.parse(b.flip(), n)) if (!d.name().equals(".") && !d.name().equals("..")) names.add(d.name());
        }
        sys.close(fd);
        for (String name : names) {
            String path = (dir.equals("/") ? "" : dir) + "/" + name;
            Stat st = sys.lstat(path);
            if (st.isDirectory()) {
                walk(sys, path, out);
            } else {
                int f = sys.open(path, Sys.O_RDONLY, 0);
                ByteBuffer content = ByteBuffer.allocate((int) st.size() + 1);
                while (sys.read(f, content) > 0) {
                    // to the end
                }
                sys.close(f);
                byte[] bytes = Arrays.copyOf(content.array(), content.position());
                out.put(path, " " + Arrays.hashCode(bytes) + ":" + bytes.length);
            }
        }
    }
}
