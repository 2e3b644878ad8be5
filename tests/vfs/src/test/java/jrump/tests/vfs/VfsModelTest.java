package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Lwp;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.RumpkernPub;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * A seeded stateful test on every file system of {@link FileSystems#all()}: random sequences of file system
 * calls, made by three processes with different credentials (root and two users, the second also in the
 * first's group), against the kernel and against an in-memory model of NetBSD's semantics. After each call
 * the errno (and what read and readlink return) must match the model, and so must the whole tree: names,
 * types, permissions, owners, link counts, sizes, contents, link targets and which names are hard links of
 * one file. The processes are chrooted to /mnt, so the model's root is the file system under test.
 *
 * <p>The model checks in NetBSD's order: search permission along the path (namei), then for the last
 * component of a removal or rename the write permission on its directory and the sticky bit (tmpfs_lookup
 * and ufs_lookup do these), then what the system call checks (do_sys_unlinkat, do_sys_linkat, genfs_rename).
 *
 * <p>On a failure the report gives the seed, the first step that went wrong, and a shortest failing sequence
 * found by delta debugging: chunks of the recorded steps are dropped as long as a replay on a fresh kernel
 * still fails.
 */
class VfsModelTest {
    /** The seeds of the original rumpfs-only model test, kept. */
    private static final long[] SEEDS = {1, 2, 3, 4, 5, 0x5eedL};
    private static final int STEPS = 300;
    private static final String[] NAMES = {"a", "b", "c"};
    private static final String[] TARGETS = {"a", "b", "c", "../a", "/a", "/b/c", "a/b", ".", "..", "c/../a"};
    /** Modes that let others work (drawn more often), then ones that shut them out, and set-id and sticky bits. */
    private static final int[] OPEN_MODES = {0777, 0775, 0755, 0666, 0644};
    private static final int[] MODES = {0700, 0600, 0444, 0555, 0711, 0750, 0570, 0, 01777, 02775, 04755};
    private static final int[] IDS = {-1, 0, 1000, 1001};
    private static final int UMASK = 022;
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;
    private static final int R = 4;
    private static final int W = 2;
    private static final int X = 1;
    /** At most this many replays while shrinking. */
    private static final int SHRINK_BUDGET = 1500;

    /** Every file system with every seed. */
    static Stream<Arguments> cases() {
        return FileSystems.posix().stream().flatMap(fs -> Arrays.stream(SEEDS).mapToObj(seed -> Arguments.of(fs, seed)));
    }

    /** The kernel follows the model through STEPS random calls; a failure reports the seed and a shrunk sequence. */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void randomOperationsMatchTheModel(FileSystems.Fs fs, long seed) {
        Exploration run = explore(fs, seed, false);
        if (run.failure != null) fail(run.failure);
        // the sequences must do real work, not fail on permissions and missing parents throughout (failing
        // calls are checked against the model too, so a share of them is wanted)
        assertThat(run.succeeded).as("%s seed %d: successful calls (failures: %s)", fs, seed, run.failedWith).isGreaterThan(STEPS / 6);
        assertThat(run.failedWith).as("%s seed %d: the errnos seen", fs, seed)
                .containsKeys(Errno.EACCES, Errno.EPERM, Errno.ENOENT, Errno.EEXIST, Errno.ENOTDIR);
    }

    /**
     * The harness finds and shrinks a real divergence: against a model that wrongly lets rmdir remove
     * non-empty directories, it fails and shrinks to the few steps that show it.
     */
    @Test
    void aDivergenceIsFoundAndShrunk() {
        FileSystems.Fs fs = FileSystems.all().get(0);
        Exploration run = explore(fs, 1, true);
        assertThat(run.failure).as("the mutant model is caught").isNotNull().contains("seed 1").contains("shortest failing sequence");
        assertThat(run.shrunk).as("shrunk: %s", run.shrunk).hasSizeLessThanOrEqualTo(6);
        assertThat(run.shrunk.getLast().kind()).as("the shrunk sequence ends with the rmdir").isEqualTo(Kind.RMDIR);
        assertThat(replay(fs, run.shrunk, true)).as("the shrunk sequence still fails").isNotNull();
        assertThat(replay(fs, run.shrunk, false)).as("and only against the mutant").isNull();
    }

    /** Delta debugging keeps exactly the elements a failure needs. */
    @Test
    void shrinkKeepsWhatTheFailureNeeds() {
        List<Integer> all = IntStream.range(0, 40).boxed().toList();
        List<Integer> shrunk = shrink(all, l -> l.contains(3) && l.contains(17) && l.contains(38));
        assertThat(shrunk).containsExactly(3, 17, 38);
        assertThat(shrink(all, l -> l.size() >= 5)).hasSize(5);
    }

    // --- steps --------------------------------------------------------------------------------

    /** Who makes a call: root and two users; U2 is also a member of U1's group. */
    enum Who {
        ROOT(0, 0), U1(1000, 1000), U2(1001, 1001, 1000);

        final int uid;
        final int gid;
        final int[] groups;

        Who(int uid, int gid, int... groups) {
            this.uid = uid;
            this.gid = gid;
            this.groups = groups;
        }

        /** Whether this is the superuser. */
        boolean root() {
            return uid == 0;
        }

        /** Whether {@code g} is this user's group or one of its supplementary groups. */
        boolean member(int g) {
            return gid == g || Arrays.stream(groups).anyMatch(x -> x == g);
        }
    }

    /** The calls a step makes. */
    enum Kind { MKDIR, WRITE, PWRITE, READ, TRUNCATE, UNLINK, RMDIR, RENAME, LINK, SYMLINK, READLINK, CHMOD, CHOWN }

    /** How often each kind is drawn. */
    private static final int[] WEIGHTS = {12, 14, 6, 5, 5, 8, 6, 12, 6, 7, 4, 10, 5};

    /** One call: who makes it, what, and its arguments; self-contained, so that any subset can be replayed. */
    record Step(Who who, Kind kind, String p, String q, int mode, int uid, int gid, long offset, byte[] data) {
        @Override
        public String toString() {
            String w = who.name().toLowerCase(java.util.Locale.ROOT) + " ";
            return w + switch (kind) {
                case MKDIR -> "mkdir " + p + " " + Integer.toOctalString(mode);
                case WRITE -> "open(O_CREAT|O_TRUNC) " + p + " " + Integer.toOctalString(mode) + ", write " + data.length + " bytes";
                case PWRITE -> "pwrite " + p + " " + data.length + " bytes at " + offset;
                case READ -> "read " + p;
                case TRUNCATE -> "truncate " + p + " " + offset;
                case UNLINK -> "unlink " + p;
                case RMDIR -> "rmdir " + p;
                case RENAME -> "rename " + p + " " + q;
                case LINK -> "link " + p + " " + q;
                case SYMLINK -> "symlink " + q + " " + p;
                case READLINK -> "readlink " + p;
                case CHMOD -> "chmod " + p + " " + Integer.toOctalString(mode);
                case CHOWN -> "chown " + p + " " + uid + ":" + gid;
            };
        }
    }

    /** What a call gave: its errno (null for success) and, for read and readlink, what it read. */
    record Outcome(Errno errno, String value) {
        static final Outcome OK = new Outcome(null, null);

        /** A failure with {@code e}, or a success without a value for null. */
        static Outcome of(Errno e) {
            return new Outcome(e, null);
        }

        @Override
        public String toString() {
            return (errno == null ? "ok" : errno.name()) + (value == null ? "" : " \"" + value + "\"");
        }
    }

    /** A random step: who, what (by {@link #WEIGHTS}), paths that mostly exist in the model, modes, ids and data. */
    private static Step randomStep(SplittableRandom rnd, Model m) {
        int w = rnd.nextInt(10);
        Who who = w < 5 ? Who.ROOT : w < 8 ? Who.U1 : Who.U2;
        int pick = rnd.nextInt(Arrays.stream(WEIGHTS).sum());
        Kind kind = Kind.values()[0];
        for (int i = 0; i < WEIGHTS.length; i++) {
            if (pick < WEIGHTS[i]) {
                kind = Kind.values()[i];
                break;
            }
            pick -= WEIGHTS[i];
        }
        boolean makes = kind == Kind.MKDIR || kind == Kind.WRITE || kind == Kind.SYMLINK;
        String p = randomPath(rnd, m, !makes);
        String q = kind == Kind.SYMLINK ? TARGETS[rnd.nextInt(TARGETS.length)] : randomPath(rnd, m, false);
        int mode = rnd.nextInt(10) < 6 ? OPEN_MODES[rnd.nextInt(OPEN_MODES.length)] : MODES[rnd.nextInt(MODES.length)];
        int uid = IDS[rnd.nextInt(IDS.length)];
        int gid = IDS[rnd.nextInt(IDS.length)];
        long offset = kind == Kind.TRUNCATE ? rnd.nextInt(0, 400) : rnd.nextInt(0, 300);
        byte[] data = new byte[kind == Kind.WRITE ? rnd.nextInt(0, 200) : kind == Kind.PWRITE ? rnd.nextInt(0, 100) : 0];
        rnd.nextBytes(data);
        return new Step(who, kind, p, q, mode, uid, gid, offset, data);
    }

    /**
     * Mostly a name that exists (when {@code existing}) or a name in a directory that exists, so that calls do
     * real work; sometimes any path.
     */
    private static String randomPath(SplittableRandom rnd, Model m, boolean existing) {
        String path;
        List<String> names = existing ? m.names() : List.of();
        if (!names.isEmpty() && rnd.nextInt(10) < 7) {
            path = names.get(rnd.nextInt(names.size()));
        } else if (rnd.nextInt(10) < 8) {
            List<String> dirs = m.directories().stream().filter(d -> d.split("/").length <= 3).toList();
            String d = dirs.get(rnd.nextInt(dirs.size()));
            path = (d.equals("/") ? "" : d) + "/" + NAMES[rnd.nextInt(NAMES.length)];
        } else {
            StringBuilder b = new StringBuilder();
            for (int i = rnd.nextInt(1, 4); i > 0; i--) b.append('/').append(NAMES[rnd.nextInt(NAMES.length)]);
            path = b.toString();
        }
        // now and then a detour for namei: into a name and back out ("/b/.."), or through "."
        return switch (rnd.nextInt(20)) {
            case 0 -> "/" + NAMES[rnd.nextInt(NAMES.length)] + "/.." + path;
            case 1 -> "/." + path;
            default -> path;
        };
    }

    // --- running, replaying, shrinking -----------------------------------------------------------

    /** What one exploration found: the failure report (null if none) and the shrunk sequence. */
    private static final class Exploration {
        String failure;
        List<Step> shrunk = List.of();
        int succeeded;
        final Map<Errno, Integer> failedWith = new EnumMap<>(Errno.class);
    }

    /** Runs STEPS random steps of {@code seed}; on the first divergence records it and shrinks the steps so far. */
    private static Exploration explore(FileSystems.Fs fs, long seed, boolean mutant) {
        Exploration run = new Exploration();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Step> done = new ArrayList<>();
        try (Sut sut = new Sut(fs)) {
            Model model = sut.model(mutant);
            for (int i = 0; i < STEPS; i++) {
                Step step = randomStep(rnd, model);
                done.add(step);
                Outcome[] got = new Outcome[1];
                String mismatch = runStep(sut, model, step, got);
                if (mismatch != null) {
                    run.shrunk = shrink(List.copyOf(done), steps -> replay(fs, steps, mutant) != null);
                    run.failure = "seed " + seed + " on " + fs + ": step " + i + " (" + step + ") " + mismatch
                            + "\nshortest failing sequence (" + run.shrunk.size() + " of " + done.size() + " steps):\n  "
                            + String.join("\n  ", run.shrunk.stream().map(Step::toString).toList())
                            + "\nwhich fails with: " + replay(fs, run.shrunk, mutant);
                    return run;
                }
                if (got[0].errno() == null) run.succeeded++;
                else run.failedWith.merge(got[0].errno(), 1, Integer::sum);
            }
        }
        return run;
    }

    /** Replays {@code steps} on a fresh kernel and model; returns the first divergence, or null. */
    private static String replay(FileSystems.Fs fs, List<Step> steps, boolean mutant) {
        try (Sut sut = new Sut(fs)) {
            Model model = sut.model(mutant);
            for (int i = 0; i < steps.size(); i++) {
                String mismatch = runStep(sut, model, steps.get(i), new Outcome[1]);
                if (mismatch != null) return "step " + i + " (" + steps.get(i) + ") " + mismatch;
            }
            return null;
        }
    }

    /** One step on both sides; returns how they differ, or null. */
    private static String runStep(Sut sut, Model model, Step step, Outcome[] got) {
        Outcome want = model.apply(step);
        try {
            got[0] = sut.apply(step);
        } catch (RuntimeException e) {
            return "threw " + e;
        }
        if (!want.equals(got[0])) return "gave " + got[0] + ", the model " + want;
        String expected = model.snapshot();
        String actual;
        try {
            actual = sut.snapshot();
        } catch (RuntimeException e) {
            return "left a tree that cannot be walked: " + e;
        }
        if (!expected.equals(actual)) return "left the tree\n" + actual + "the model's\n" + expected;
        return null;
    }

    /**
     * Delta debugging (ddmin): splits the list into n chunks and keeps the first complement that still
     * fails, with n shrinking again; when none does, splits finer, down to single elements.
     */
    static <T> List<T> shrink(List<T> failing, Predicate<List<T>> fails) {
        List<T> cur = failing;
        int n = 2;
        int budget = SHRINK_BUDGET;
        while (cur.size() >= 2 && budget > 0) {
            int chunk = (cur.size() + n - 1) / n;
            boolean reduced = false;
            for (int start = 0; start < cur.size() && budget > 0; start += chunk) {
                List<T> complement = new ArrayList<>(cur.subList(0, start));
                complement.addAll(cur.subList(Math.min(cur.size(), start + chunk), cur.size()));
                budget--;
                if (fails.test(complement)) {
                    cur = complement;
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (n >= cur.size()) break;
                n = Math.min(cur.size(), n * 2);
            }
        }
        return cur;
    }

    // --- the kernel side ----------------------------------------------------------------------

    /** A kernel with the file system at /mnt and the three processes, all chrooted to /mnt. */
    private static final class Sut implements AutoCloseable {
        final RumpKernel rk;
        final Syscalls sys;
        final RumpkernPub pub;
        final Map<Who, Lwp> procs = new EnumMap<>(Who.class);

        Sut(FileSystems.Fs fs) {
            rk = fs.boot();
            sys = rk.syscalls();
            pub = rk.pub();
            pub.lwprocRfork(Sys.RUMP_RFCFDG);
            sys.chroot("/mnt");
            sys.chdir("/");
            // a root directory everyone may write (tmpfs's is 01777 already and stays so)
            if ((sys.stat("/").permissions() & S_ISVTX) == 0) sys.chmod("/", 0777);
            Lwp root = pub.lwprocCurlwp();
            procs.put(Who.ROOT, root);
            for (Who w : new Who[] {Who.U1, Who.U2}) {
                pub.lwprocSwitch(root);
                pub.lwprocRfork(Sys.RUMP_RFCFDG);
                pub.lwprocSetcred(pub.credCreate(w.uid, w.gid, w.groups));
                procs.put(w, pub.lwprocCurlwp());
            }
            pub.lwprocSwitch(null);
        }

        /** A model whose root has the attributes of this file system's root. */
        Model model(boolean mutant) {
            Stat st = as(Who.ROOT, () -> sys.stat("/"));
            return new Model(st.permissions(), st.uid(), st.gid(), mutant);
        }

        /** Runs {@code call} in {@code who}'s process. */
        private <T> T as(Who who, java.util.function.Supplier<T> call) {
            pub.lwprocSwitch(procs.get(who));
            try {
                return call.get();
            } finally {
                pub.lwprocSwitch(null);
            }
        }

        /** Makes the step's call in its process and tells what it gave. */
        Outcome apply(Step s) {
            return as(s.who(), () -> {
                String[] value = new String[1];
                Errno e = errnoOf(() -> value[0] = call(s));
                return new Outcome(e, e == null ? value[0] : null);
            });
        }

        /** Makes the step's call; returns what read or readlink gave, else null. */
        private String call(Step s) {
            switch (s.kind()) {
                case MKDIR -> sys.mkdir(s.p(), s.mode());
                case WRITE -> {
                    int fd = sys.open(s.p(), Sys.O_WRONLY | Sys.O_CREAT | Sys.O_TRUNC, s.mode());
                    try {
                        ByteBuffer b = ByteBuffer.wrap(s.data());
                        while (b.hasRemaining()) sys.write(fd, b);
                    } finally {
                        sys.close(fd);
                    }
                }
                case PWRITE -> {
                    int fd = sys.open(s.p(), Sys.O_WRONLY, 0);
                    try {
                        ByteBuffer b = ByteBuffer.wrap(s.data());
                        while (b.hasRemaining()) sys.pwrite(fd, b, s.offset() + b.position());
                    } finally {
                        sys.close(fd);
                    }
                }
                case READ -> {
                    int fd = sys.open(s.p(), Sys.O_RDONLY, 0);
                    try {
                        return hex(readAll(fd));
                    } finally {
                        sys.close(fd);
                    }
                }
                case TRUNCATE -> sys.truncate(s.p(), s.offset());
                case UNLINK -> sys.unlink(s.p());
                case RMDIR -> sys.rmdir(s.p());
                case RENAME -> sys.rename(s.p(), s.q());
                case LINK -> sys.link(s.p(), s.q());
                case SYMLINK -> sys.symlink(s.q(), s.p());
                case READLINK -> {
                    ByteBuffer b = ByteBuffer.allocate(Sys.PATH_MAX);
                    int n = (int) sys.readlink(s.p(), b);
                    return new String(b.array(), 0, n, StandardCharsets.UTF_8);
                }
                case CHMOD -> sys.chmod(s.p(), s.mode());
                case CHOWN -> sys.chown(s.p(), s.uid(), s.gid());
                default -> throw new IllegalStateException();
            }
            return null;
        }

        /** Reads {@code fd} to its end. */
        private byte[] readAll(int fd) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(512);
            while (sys.read(fd, b.clear()) > 0) out.write(b.array(), 0, b.position());
            return out.toByteArray();
        }

        /** The tree as root sees it, in {@link Model#snapshot()}'s format. */
        String snapshot() {
            return as(Who.ROOT, () -> {
                Map<String, Stat> stats = new TreeMap<>();
                Map<String, String> extra = new HashMap<>();
                walk("/", stats, extra);
                Map<Long, String> firstName = new HashMap<>();
                StringBuilder b = new StringBuilder();
                for (var en : stats.entrySet()) {
                    Stat st = en.getValue();
                    String id = st.isDirectory() ? "" : firstName.computeIfAbsent(st.ino(), k -> en.getKey());
                    b.append(line(en.getKey(), type(st), st.permissions(), st.uid(), st.gid(), st.nlink(),
                            extra.get(en.getKey()), id));
                }
                return b.toString();
            });
        }

        /** Collects {@code path} and everything under it: the stat, and a file's content or a link's target. */
        private void walk(String path, Map<String, Stat> stats, Map<String, String> extra) {
            Stat st = sys.lstat(path);
            stats.put(path, st);
            if (st.isSymbolicLink()) {
                ByteBuffer b = ByteBuffer.allocate(Sys.PATH_MAX);
                int n = (int) sys.readlink(path, b);
                extra.put(path, "-> " + new String(b.array(), 0, n, StandardCharsets.UTF_8));
            } else if (st.isRegularFile()) {
                int fd = sys.open(path, Sys.O_RDONLY, 0);
                try {
                    byte[] content = readAll(fd);
                    extra.put(path, st.size() + " " + Arrays.hashCode(content) + ":" + content.length);
                } finally {
                    sys.close(fd);
                }
            } else if (st.isDirectory()) {
                int fd = sys.open(path, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
                List<String> names = new ArrayList<>();
                try {
                    ByteBuffer b = ByteBuffer.allocate(4096);
                    int n;
                    while ((n = sys.getdents(fd, b.clear())) > 0) {
                        for (Dirent d : Dirent.parse(b.flip(), n)) {
                            if (!d.name().equals(".") && !d.name().equals("..")) names.add(d.name());
                        }
                    }
                } finally {
                    sys.close(fd);
                }
                for (String name : names) walk((path.equals("/") ? "" : path) + "/" + name, stats, extra);
            }
        }

        /** The ls(1) type letter. */
        private static char type(Stat st) {
            return st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isRegularFile() ? '-' : '?';
        }

        @Override
        public void close() {
            pub.lwprocSwitch(null);
            rk.close();
        }
    }

    /** One line of a snapshot: a name and what it is; {@code id} names the file's first name (hard links share it). */
    private static String line(String path, char type, int perm, int uid, int gid, long nlink, String extra, String id) {
        return path + " " + type + Integer.toOctalString(perm) + " " + uid + ":" + gid + " n" + nlink
                + (extra == null ? "" : " " + extra) + (id.isEmpty() || id.equals(path) ? "" : " =" + id) + "\n";
    }

    /** A short fingerprint of file content: its length and hash. */
    private static String hex(byte[] b) {
        return b.length + ":" + Arrays.hashCode(b);
    }

    // --- the model ----------------------------------------------------------------------------

    /** The kinds of file the model has. */
    enum Type { DIR, REG, LNK }

    /** A file of the model: one per inode, named by any number of directory entries. */
    private static final class Node {
        final int id;
        final Type type;
        int mode;
        int uid;
        int gid;
        byte[] data = new byte[0];
        String target;
        final TreeMap<String, Node> entries = new TreeMap<>();
        Node parent;

        Node(int id, Type type, int mode, int uid, int gid) {
            this.id = id;
            this.type = type;
            this.mode = mode;
            this.uid = uid;
            this.gid = gid;
        }
    }

    /** What a lookup is for (cn_nameiop). */
    enum Op { LOOKUP, CREATE, DELETE, RENAME }

    /** What lookup found: an errno, or the directory, the node (null when a CREATE or RENAME may make it) and the name. */
    record Found(Errno errno, Node dir, Node node, String name) {
        /** A failed lookup. */
        static Found error(Errno e) {
            return new Found(e, null, null, null);
        }
    }

    /** NetBSD's file system semantics over a tree of {@link Node}s. */
    private static final class Model {
        private final Node root;
        private final boolean mutant;
        private int nextId;

        Model(int rootMode, int rootUid, int rootGid, boolean mutant) {
            this.root = new Node(nextId++, Type.DIR, rootMode, rootUid, rootGid);
            this.root.parent = root;
            this.mutant = mutant;
        }

        /** Vaccess.check: owner, group or other bits; root may do anything but execute a file without x bits. */
        static boolean access(Node n, int want, Who w) {
            if (w.root()) return (want & X) == 0 || n.type == Type.DIR || (n.mode & 0111) != 0;
            int bits = w.uid == n.uid ? n.mode >> 6 : w.member(n.gid) ? n.mode >> 3 : n.mode;
            return (bits & want) == want;
        }

        /** In a sticky directory only root and the owners of the directory or of the file may remove it. */
        static boolean stickyAllows(Node dir, Node n, Who w) {
            return w.root() || (dir.mode & S_ISVTX) == 0 || w.uid == dir.uid || w.uid == n.uid;
        }

        /** namei: the walk, search permission, symbolic links (at most MAXSYMLINKS), ENOTDIR and ENOENT. */
        Found lookup(Who w, String path, Op op, boolean follow) {
            Node cur = root;
            String rest = path;
            int links = 0;
            restart:
            while (true) {
                if (rest.startsWith("/")) cur = root;
                List<String> comps = Arrays.stream(rest.split("/")).filter(c -> !c.isEmpty()).toList();
                if (comps.isEmpty()) return op == Op.LOOKUP ? new Found(null, null, cur, "") : Found.error(Errno.EISDIR);
                for (int i = 0; i < comps.size(); i++) {
                    String name = comps.get(i);
                    boolean last = i == comps.size() - 1;
                    if (cur.type != Type.DIR) return Found.error(Errno.ENOTDIR);
                    if (name.equals("..") && cur == root) name = ".";
                    if (!access(cur, X, w)) return Found.error(Errno.EACCES);
                    Node next = name.equals(".") ? cur : name.equals("..") ? cur.parent : cur.entries.get(name);
                    if (next == null) {
                        if (last && (op == Op.CREATE || op == Op.RENAME)) return new Found(null, cur, null, name);
                        return Found.error(Errno.ENOENT);
                    }
                    if (next.type == Type.LNK && (!last || follow)) {
                        if (++links > Sys.MAXSYMLINKS) return Found.error(Errno.ELOOP);
                        if (next.target.isEmpty()) return Found.error(Errno.ENOENT);
                        rest = next.target + "/" + String.join("/", comps.subList(i + 1, comps.size()));
                        continue restart;
                    }
                    if (!last) {
                        cur = next;
                        continue;
                    }
                    return new Found(null, cur, next, name);
                }
            }
        }

        /** What the step does to the model and what it gives. */
        Outcome apply(Step s) {
            Who w = s.who();
            return switch (s.kind()) {
                case MKDIR -> make(w, s.p(), Type.DIR, s.mode() & 0777, null);
                case SYMLINK -> make(w, s.p(), Type.LNK, 0777, s.q());
                case WRITE -> write(w, s);
                case PWRITE -> pwrite(w, s);
                case READ -> read(w, s.p());
                case TRUNCATE -> truncate(w, s.p(), (int) s.offset());
                case UNLINK -> remove(w, s.p(), false);
                case RMDIR -> remove(w, s.p(), true);
                case RENAME -> rename(w, s.p(), s.q());
                case LINK -> link(w, s.p(), s.q());
                case READLINK -> readlink(w, s.p());
                case CHMOD -> chmod(w, s.p(), s.mode());
                case CHOWN -> chown(w, s.p(), s.uid(), s.gid());
            };
        }

        /** A new file of {@code w}'s in {@code dir}, with BSD's group rule. */
        private Node newNode(Type type, int mode, Who w, Node dir) {
            // BSD: a new file takes its directory's group; set-group-id only for a member of it
            if ((mode & S_ISGID) != 0 && !w.root() && !w.member(dir.gid)) mode &= ~S_ISGID;
            return new Node(nextId++, type, mode, w.uid, dir.gid);
        }

        /** Names {@code n} in {@code dir} (a directory's parent becomes {@code dir}). */
        private static void enter(Node dir, String name, Node n) {
            dir.entries.put(name, n);
            if (n.type == Type.DIR) n.parent = dir;
        }

        /** mkdir and symlink: EEXIST for any existing name, then write permission on the directory. */
        private Outcome make(Who w, String path, Type type, int mode, String target) {
            Found f = lookup(w, path, Op.CREATE, false);
            if (f.errno() != null) return Outcome.of(f.errno() == Errno.EISDIR ? Errno.EEXIST : f.errno());
            if (f.node() != null) return Outcome.of(Errno.EEXIST);
            if (!access(f.dir(), W, w)) return Outcome.of(Errno.EACCES);
            Node n = newNode(type, mode & ~UMASK, w, f.dir());
            n.target = target;
            enter(f.dir(), f.name(), n);
            return Outcome.OK;
        }

        /** open(O_WRONLY|O_CREAT|O_TRUNC) (following a last symlink, creating its target), then write. */
        private Outcome write(Who w, Step s) {
            Found f = lookup(w, s.p(), Op.CREATE, true);
            if (f.errno() != null) return Outcome.of(f.errno());
            Node n = f.node();
            if (n != null && n.type == Type.DIR) return Outcome.of(Errno.EISDIR);
            if (n == null) {
                if (!access(f.dir(), W, w)) return Outcome.of(Errno.EACCES);
                n = newNode(Type.REG, s.mode() & ~UMASK & 07777, w, f.dir());
                enter(f.dir(), f.name(), n);
            } else if (!access(n, W, w)) {
                return Outcome.of(Errno.EACCES);
            }
            n.data = s.data().clone();
            if (s.data().length > 0 && !w.root()) n.mode &= ~(S_ISUID | S_ISGID);
            return Outcome.OK;
        }

        /** open(O_WRONLY) and pwrite: a hole before the offset reads as zeros. */
        private Outcome pwrite(Who w, Step s) {
            Found f = lookup(w, s.p(), Op.LOOKUP, true);
            if (f.errno() != null) return Outcome.of(f.errno());
            Node n = f.node();
            if (n.type == Type.DIR) return Outcome.of(Errno.EISDIR);
            if (!access(n, W, w)) return Outcome.of(Errno.EACCES);
            if (s.data().length == 0) return Outcome.OK;
            int end = (int) s.offset() + s.data().length;
            if (end > n.data.length) n.data = Arrays.copyOf(n.data, end);
            System.arraycopy(s.data(), 0, n.data, (int) s.offset(), s.data().length);
            if (!w.root()) n.mode &= ~(S_ISUID | S_ISGID);
            return Outcome.OK;
        }

        /** open(O_RDONLY) needs read permission; read(2) of a directory is EISDIR. */
        private Outcome read(Who w, String path) {
            Found f = lookup(w, path, Op.LOOKUP, true);
            if (f.errno() != null) return Outcome.of(f.errno());
            if (!access(f.node(), R, w)) return Outcome.of(Errno.EACCES);
            if (f.node().type == Type.DIR) return Outcome.of(Errno.EISDIR);
            return new Outcome(null, hex(f.node().data));
        }

        /** truncate: EISDIR, then write permission; growing adds zeros. */
        private Outcome truncate(Who w, String path, int length) {
            Found f = lookup(w, path, Op.LOOKUP, true);
            if (f.errno() != null) return Outcome.of(f.errno());
            if (f.node().type == Type.DIR) return Outcome.of(Errno.EISDIR);
            if (!access(f.node(), W, w)) return Outcome.of(Errno.EACCES);
            f.node().data = Arrays.copyOf(f.node().data, length);
            return Outcome.OK;
        }

        /**
         * unlink and rmdir: the lookup's write permission on the directory and sticky check (not for "."),
         * then do_sys_unlinkat's EBUSY, EINVAL for ".", and the types; rmdir's ENOTEMPTY last.
         */
        private Outcome remove(Who w, String path, boolean dir) {
            Found f = lookup(w, path, Op.DELETE, false);
            if (f.errno() != null) return Outcome.of(f.errno() == Errno.EISDIR ? Errno.EBUSY : f.errno());
            Node n = f.node();
            Node d = f.dir();
            if (n != d) {
                if (!access(d, W | X, w)) return Outcome.of(Errno.EACCES);
                if (!stickyAllows(d, n, w)) return Outcome.of(Errno.EPERM);
            }
            if (n == root) return Outcome.of(Errno.EBUSY);
            if (n == d) return Outcome.of(Errno.EINVAL);
            if (dir) {
                if (n.type != Type.DIR) return Outcome.of(Errno.ENOTDIR);
                if (!n.entries.isEmpty() && !mutant) return Outcome.of(Errno.ENOTEMPTY);
            } else if (n.type == Type.DIR) {
                return Outcome.of(Errno.EPERM);
            }
            d.entries.remove(f.name());
            return Outcome.OK;
        }

        /** link (following a symlink source): the new name's lookup, EEXIST, then EPERM for a directory. */
        private Outcome link(Who w, String from, String to) {
            Found f = lookup(w, from, Op.LOOKUP, true);
            if (f.errno() != null) return Outcome.of(f.errno());
            Found t = lookup(w, to, Op.CREATE, false);
            if (t.errno() != null) return Outcome.of(t.errno() == Errno.EISDIR ? Errno.EEXIST : t.errno());
            if (t.node() != null) return Outcome.of(Errno.EEXIST);
            if (!access(t.dir(), W, w)) return Outcome.of(Errno.EACCES);
            if (f.node().type == Type.DIR) return Outcome.of(Errno.EPERM);
            t.dir().entries.put(t.name(), f.node());
            return Outcome.OK;
        }

        /**
         * rename: each lookup checks write permission on its directory and the sticky bit; then "." and "..",
         * a directory into its own subtree (EINVAL), the same file (nothing to do), the types and emptiness of
         * the target, and write permission on a directory that changes parent (genfs_rename's order).
         */
        private Outcome rename(Who w, String from, String to) {
            Found f = lookup(w, from, Op.DELETE, false);
            if (f.errno() != null) return Outcome.of(f.errno() == Errno.EISDIR ? Errno.EBUSY : f.errno());
            Node fn = f.node();
            Node fd = f.dir();
            if (fn != fd) {
                if (!access(fd, W | X, w)) return Outcome.of(Errno.EACCES);
                if (!stickyAllows(fd, fn, w)) return Outcome.of(Errno.EPERM);
            }
            if (fn == fd) return Outcome.of(Errno.EINVAL);
            Found t = lookup(w, to, Op.RENAME, false);
            if (t.errno() != null) return Outcome.of(t.errno() == Errno.EISDIR ? Errno.EBUSY : t.errno());
            Node tn = t.node();
            Node td = t.dir();
            if (tn == td) return Outcome.of(Errno.EINVAL);
            if (!access(td, W | X, w)) return Outcome.of(Errno.EACCES);
            if (tn != null && !stickyAllows(td, tn, w)) return Outcome.of(Errno.EPERM);
            if (fn == root) return Outcome.of(Errno.EBUSY);
            if (fn.type == Type.DIR) {
                for (Node p = td; ; p = p.parent) {
                    if (p == fn) return Outcome.of(Errno.EINVAL);
                    if (p == root) break;
                }
            }
            if (fn == tn) return Outcome.OK;
            if (tn != null) {
                if (fn.type == Type.DIR && tn.type != Type.DIR) return Outcome.of(Errno.ENOTDIR);
                if (fn.type != Type.DIR && tn.type == Type.DIR) return Outcome.of(Errno.EISDIR);
                if (tn.type == Type.DIR && !tn.entries.isEmpty()) return Outcome.of(Errno.ENOTEMPTY);
            }
            if (fn.type == Type.DIR && fd != td && !access(fn, W, w)) return Outcome.of(Errno.EACCES);
            fd.entries.remove(f.name());
            enter(td, t.name(), fn);
            return Outcome.OK;
        }

        /** readlink: EINVAL for anything but a symbolic link; no permission on the link itself is needed. */
        private Outcome readlink(Who w, String path) {
            Found f = lookup(w, path, Op.LOOKUP, false);
            if (f.errno() != null) return Outcome.of(f.errno());
            if (f.node().type != Type.LNK) return Outcome.of(Errno.EINVAL);
            return new Outcome(null, f.node().target);
        }

        /** chmod: only root or the owner; NetBSD refuses the sticky bit on files (EFTYPE) and a foreign set-group-id. */
        private Outcome chmod(Who w, String path, int mode) {
            Found f = lookup(w, path, Op.LOOKUP, true);
            if (f.errno() != null) return Outcome.of(f.errno());
            Node n = f.node();
            if (!w.root() && w.uid != n.uid) return Outcome.of(Errno.EPERM);
            int m = mode & 07777;
            if (!w.root()) {
                if (n.type != Type.DIR && (m & S_ISVTX) != 0) return Outcome.of(Errno.EFTYPE);
                if ((m & S_ISGID) != 0 && !w.member(n.gid)) return Outcome.of(Errno.EPERM);
            }
            n.mode = m;
            return Outcome.OK;
        }

        /** chown: only root gives files away; the owner may change the group to one of its own (clearing set-id bits). */
        private Outcome chown(Who w, String path, int uid, int gid) {
            Found f = lookup(w, path, Op.LOOKUP, true);
            if (f.errno() != null) return Outcome.of(f.errno());
            Node n = f.node();
            if (uid == -1 && gid == -1) return Outcome.OK;
            int nuid = uid == -1 ? n.uid : uid;
            int ngid = gid == -1 ? n.gid : gid;
            if (!w.root() && (nuid != n.uid || w.uid != n.uid || (ngid != n.gid && !w.member(ngid)))) {
                return Outcome.of(Errno.EPERM);
            }
            if (!w.root() && (nuid != n.uid || ngid != n.gid)) n.mode &= ~(S_ISUID | S_ISGID);
            n.uid = nuid;
            n.gid = ngid;
            return Outcome.OK;
        }

        /** The directories reachable without following links, by path. */
        List<String> directories() {
            List<String> out = new ArrayList<>();
            collect(root, "/", out);
            return out;
        }

        /** Every name but the root's, by path. */
        List<String> names() {
            Map<String, Node> all = new TreeMap<>();
            names(root, "/", all, new HashMap<>());
            all.remove("/");
            return new ArrayList<>(all.keySet());
        }

        /** Adds {@code dir}'s path and its subdirectories'. */
        private static void collect(Node dir, String path, List<String> out) {
            out.add(path);
            for (var en : dir.entries.entrySet()) {
                if (en.getValue().type == Type.DIR) collect(en.getValue(), (path.equals("/") ? "" : path) + "/" + en.getKey(), out);
            }
        }

        /** The tree, one line per name, as {@link Sut#snapshot()} shows the kernel's. */
        String snapshot() {
            Map<String, Node> names = new TreeMap<>();
            Map<Node, Integer> links = new HashMap<>();
            names(root, "/", names, links);
            Map<Integer, String> firstName = new HashMap<>();
            StringBuilder b = new StringBuilder();
            for (var en : names.entrySet()) {
                Node n = en.getValue();
                long nlink = n.type == Type.DIR ? 2 + n.entries.values().stream().filter(c -> c.type == Type.DIR).count() : links.get(n);
                String extra = switch (n.type) {
                    case DIR -> null;
                    case LNK -> "-> " + n.target;
                    case REG -> n.data.length + " " + Arrays.hashCode(n.data) + ":" + n.data.length;
                };
                String id = n.type == Type.DIR ? "" : firstName.computeIfAbsent(n.id, k -> en.getKey());
                char type = n.type == Type.DIR ? 'd' : n.type == Type.LNK ? 'l' : '-';
                b.append(line(en.getKey(), type, n.mode, n.uid, n.gid, nlink, extra, id));
            }
            return b.toString();
        }

        /** Every name under {@code dir} with its node, counting the names of each file (its link count). */
        private static void names(Node dir, String path, Map<String, Node> names, Map<Node, Integer> links) {
            names.put(path, dir);
            for (var en : dir.entries.entrySet()) {
                String p = (path.equals("/") ? "" : path) + "/" + en.getKey();
                Node n = en.getValue();
                if (n.type == Type.DIR) {
                    names(n, p, names, links);
                } else {
                    names.put(p, n);
                    links.merge(n, 1, Integer::sum);
                }
            }
        }
    }
}
