package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.Timespec;
import jrump.tests.ext2fs.TreeComparator.Diff;
import jrump.tests.ext2fs.TreeComparator.Mtimes;
import jrump.tests.ext2fs.TreeComparator.Options;

/**
 * The comparator judged without ext2fs: a generated tree copied into rumpfs through the system calls must
 * compare equal to the host original, and every kind of deliberate change to the copy must be reported,
 * naming the changed path and what changed.
 */
class TreeComparatorTest {
    private static final String MNT = "/mnt";

    /** A kernel with a fresh rumpfs mounted at /mnt and the host tree copied into it. */
    private static RumpKernel copyOf(Path tree) {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        rk.syscalls().mkdir(MNT, 0755);
        rk.syscalls().mount("rumpfs", MNT, 0, null);
        KernelCopier.copy(tree, rk.syscalls(), MNT);
        return rk;
    }

    @Test
    void fullTreeCopiedIntoRumpfsComparesEqual() {
        TreeGenerator.Tree tree = ImageCache.tree(TreeGenerator.Spec.full());
        try (RumpKernel rk = copyOf(tree.root())) {
            TreeComparator.assertSame(tree.root(), rk.syscalls(), MNT, Options.exact(), "rumpfs copy of " + tree.describe());
        }
    }

    /** One deliberate change to the copy and the kind of difference it must produce at the changed path. */
    enum Alteration {
        CONTENT_BYTE("files/size-4097", "content", sys -> keepingTimes(sys, "files/size-4097", p -> {
            int fd = sys.open(p, Sys.O_RDWR, 0);
            ByteBuffer one = ByteBuffer.allocate(1);
            sys.pread(fd, one, 4096);
            one.put(0, (byte) (one.get(0) ^ 1));
            sys.pwrite(fd, one.rewind(), 4096);
            sys.close(fd);
        })),
        SIZE("files/size-1025", "size", sys -> keepingTimes(sys, "files/size-1025", p -> sys.truncate(p, 1024))),
        MODE("modes/f4755", "mode", sys -> sys.chmod(MNT + "/modes/f4755", 0755)),
        UID("files/size-1", "uid", sys -> sys.lchown(MNT + "/files/size-1", 4242, -1)),
        GID("files/size-1", "gid", sys -> sys.lchown(MNT + "/files/size-1", -1, 4242)),
        MTIME_NANOSECOND("times/t6", "mtime", sys -> sys.utimensat(Sys.AT_FDCWD, MNT + "/times/t6",
                new Timespec[] {new Timespec(Integer.MAX_VALUE, 999_999_998), new Timespec(Integer.MAX_VALUE, 999_999_998)}, 0)),
        MISSING("files/size-0", "missing", sys -> keepingTimes(sys, "files", p -> sys.unlink(p + "/size-0"))),
        EXTRA("files/extra", "extra", sys -> keepingTimes(sys, "files", p -> {
            int fd = sys.open(p + "/extra", Sys.O_CREAT | Sys.O_EXCL | Sys.O_WRONLY, 0644);
            sys.close(fd);
        })),
        SYMLINK_TARGET("links/len-61", "target", sys -> {
            String p = MNT + "/links/len-61";
            Stat st = sys.lstat(p);
            keepingTimes(sys, "links", d -> {
                sys.unlink(p);
                sys.symlink("x".repeat(61), p); // same length, other bytes
            });
            sys.lchown(p, st.uid(), st.gid());
            sys.lchmod(p, st.permissions());
            sys.utimensat(Sys.AT_FDCWD, p, new Timespec[] {st.mtime(), st.mtime()}, Sys.AT_SYMLINK_NOFOLLOW);
        }),
        HARD_LINK_BROKEN("hard/h2", "links", sys -> {
            // h2 becomes a copy of h1 with equal content and attributes: only the sharing differs (and the
            // link counts that go with it)
            String h1 = MNT + "/hard/h1";
            String h2 = MNT + "/hard/h2";
            Stat st = sys.lstat(h1);
            keepingTimes(sys, "hard", d -> {
                byte[] data = read(sys, h1);
                sys.unlink(h2);
                int fd = sys.open(h2, Sys.O_CREAT | Sys.O_EXCL | Sys.O_WRONLY, st.permissions());
                sys.write(fd, ByteBuffer.wrap(data));
                sys.close(fd);
            });
            sys.lchown(h2, st.uid(), st.gid());
            sys.chmod(h2, st.permissions());
            sys.utimensat(Sys.AT_FDCWD, h2, new Timespec[] {st.mtime(), st.mtime()}, 0);
        }),
        XATTR_VALUE("xattrs/several", "xattrs", sys -> sys.setxattr(MNT + "/xattrs/several", "user.attr0",
                ByteBuffer.wrap("changed".getBytes(StandardCharsets.UTF_8)), Sys.XATTR_REPLACE)),
        XATTR_REMOVED("xattrs/dir-with-xattrs", "xattrs", sys -> sys.removexattr(MNT + "/xattrs/dir-with-xattrs", "user.on.dir")),
        TYPE("special/fifo-a", "type", sys -> {
            String p = MNT + "/special/fifo-a";
            Stat st = sys.lstat(p);
            keepingTimes(sys, "special", d -> {
                sys.unlink(p);
                sys.close(sys.open(p, Sys.O_CREAT | Sys.O_EXCL | Sys.O_WRONLY, 0));
            });
            sys.lchown(p, st.uid(), st.gid());
            sys.chmod(p, st.permissions());
            sys.utimensat(Sys.AT_FDCWD, p, new Timespec[] {st.mtime(), st.mtime()}, 0);
        }),
        DEVICE_NUMBER("special/char-1-3", "rdev", sys -> {
            String p = MNT + "/special/char-1-3";
            Stat st = sys.lstat(p);
            keepingTimes(sys, "special", d -> {
                sys.unlink(p);
                sys.mknodat(Sys.AT_FDCWD, p, Stat.S_IFCHR | st.permissions(), (int) st.rdev() + 1);
            });
            sys.lchown(p, st.uid(), st.gid());
            sys.utimensat(Sys.AT_FDCWD, p, new Timespec[] {st.mtime(), st.mtime()}, 0);
        });

        final String path;
        final String kind;
        final Consumer<Syscalls> change;

        Alteration(String path, String kind, Consumer<Syscalls> change) {
            this.path = path;
            this.kind = kind;
            this.change = change;
        }
    }

    /** Runs {@code change} on {@code rel} under /mnt and puts back its modification time afterwards. */
    private static void keepingTimes(Syscalls sys, String rel, Consumer<String> change) {
        String p = MNT + "/" + rel;
        Timespec t = sys.lstat(p).mtime();
        change.accept(p);
        sys.utimensat(Sys.AT_FDCWD, p, new Timespec[] {t, t}, Sys.AT_SYMLINK_NOFOLLOW);
    }

    private static byte[] read(Syscalls sys, String p) {
        int fd = sys.open(p, Sys.O_RDONLY, 0);
        try {
            ByteBuffer b = ByteBuffer.allocate((int) sys.fstat(fd).size());
            while (b.hasRemaining() && sys.read(fd, b) > 0) {
                // until full
            }
            return b.array();
        } finally {
            sys.close(fd);
        }
    }

    @ParameterizedTest
    @EnumSource(Alteration.class)
    void everyAlterationOfTheCopyIsReportedAtItsPath(Alteration a) {
        TreeGenerator.Tree tree = ImageCache.tree(TreeGenerator.Spec.small());
        try (RumpKernel rk = copyOf(tree.root())) {
            var host = ImageCache.host(TreeGenerator.Spec.small());
            // the unaltered copy is equal: what follows is due to the alteration alone
            assertThat(TreeComparator.differences(host, TreeComparator.kernel(rk.syscalls(), MNT, true), Options.exact()))
                    .as(tree.describe()).isEmpty();
            a.change.accept(rk.syscalls());
            List<Diff> diffs = TreeComparator.differences(host, TreeComparator.kernel(rk.syscalls(), MNT, true), Options.exact());
            assertThat(diffs).as(tree.describe()).anySatisfy(d -> {
                assertThat(d.kind()).isEqualTo(a.kind);
                assertThat(d.path()).isEqualTo(a.path);
            });
            // and the failure message names it
            assertThatThrownBy(() -> TreeComparator.assertSame(tree.root(), rk.syscalls(), MNT, Options.exact(), "altered " + a))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(TreeComparator.show(a.path));
        }
    }

    @Test
    void secondsOnlyComparisonIgnoresNanosecondsButNotSeconds(@TempDir Path tmp) {
        TreeGenerator.Tree tree = TreeGenerator.generate(tmp.resolve("tree"), Seeds.seed(3), TreeGenerator.Spec.small());
        try (RumpKernel rk = copyOf(tree.root())) {
            Syscalls sys = rk.syscalls();
            Options seconds = Options.exact().withMtimes(Mtimes.SECONDS_32BIT);
            // a file system that keeps 32-bit seconds: what the copy would look like
            var host = TreeComparator.host(tree.root());
            for (var n : host.nodes().values()) {
                Timespec t = new Timespec((int) n.mtimeSec(), 0);
                sys.utimensat(Sys.AT_FDCWD, n.path().isEmpty() ? MNT : MNT + "/" + n.path(), new Timespec[] {t, t},
                        Sys.AT_SYMLINK_NOFOLLOW);
            }
            var kernel = TreeComparator.kernel(sys, MNT, true);
            assertThat(TreeComparator.differences(host, kernel, seconds)).as(tree.describe()).isEmpty();
            assertThat(TreeComparator.differences(host, kernel, Options.exact()))
                    .as("with nanoseconds the truncated times differ").extracting(Diff::kind).contains("mtime");
            // the 2106 time wraps in 32 bits: keeping it unwrapped is a difference
            Timespec full = new Timespec((1L << 32) + 5, 0);
            sys.utimensat(Sys.AT_FDCWD, MNT + "/times/t8", new Timespec[] {full, full}, 0);
            assertThat(TreeComparator.differences(host, TreeComparator.kernel(sys, MNT, true), seconds))
                    .extracting(Diff::path).containsExactly("times/t8");
        }
    }

    @Test
    void ignoredTopLevelNamesAndRootAttributesAreLeftOut(@TempDir Path tmp) {
        TreeGenerator.Tree tree = TreeGenerator.generate(tmp.resolve("tree"), Seeds.seed(4), TreeGenerator.Spec.small());
        try (RumpKernel rk = copyOf(tree.root())) {
            Syscalls sys = rk.syscalls();
            // what mke2fs adds to an image: lost+found, and the root's own mode
            sys.mkdir(MNT + "/lost+found", 0700);
            sys.close(sys.open(MNT + "/lost+found/#12", Sys.O_CREAT | Sys.O_WRONLY, 0600));
            sys.chmod(MNT, 0700);
            var host = TreeComparator.host(tree.root());
            var kernel = TreeComparator.kernel(sys, MNT, true);
            assertThat(TreeComparator.differences(host, kernel, Options.exact()))
                    .extracting(Diff::path).contains("lost+found", "lost+found/#12", "");
            Options image = Options.exact().withoutRootAttributes().ignoringAtRoot("lost+found");
            assertThat(TreeComparator.differences(host, kernel, image)).isEmpty();
        }
    }

    @Test
    void withoutXattrsAttributesAreNotRead(@TempDir Path tmp) {
        TreeGenerator.Tree tree = TreeGenerator.generate(tmp.resolve("tree"), Seeds.seed(5), TreeGenerator.Spec.small());
        try (RumpKernel rk = copyOf(tree.root())) {
            Syscalls sys = rk.syscalls();
            sys.removexattr(MNT + "/xattrs/large-value", "user.large");
            var host = TreeComparator.host(tree.root());
            assertThat(TreeComparator.differences(host, TreeComparator.kernel(sys, MNT, true), Options.exact()))
                    .extracting(Diff::kind).containsExactly("xattrs");
            assertThat(TreeComparator.differences(host, TreeComparator.kernel(sys, MNT, false), Options.exact().withoutXattrs()))
                    .isEmpty();
        }
    }
}
