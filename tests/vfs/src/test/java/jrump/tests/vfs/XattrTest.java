package jrump.tests.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * Extended attributes on every file system (the *xattr and extattr_* calls over the extattr VOPs): set,
 * replace, list, remove, XATTR_CREATE/XATTR_REPLACE, ENOATTR, permissions for another user, and the
 * attributes still there read-only after a remount. The file systems that keep attributes on disk must
 * support them; UFS1 has no attribute area and must say EOPNOTSUPP; the others are checked if they answer.
 */
class XattrTest {
    /** File systems whose attributes this suite requires. */
    private static final Set<String> SUPPORTED = Set.of("ext2fs", "ext2fs+cgd", "ffs", "ffs+cgd");
    /** File systems that must refuse them. */
    private static final Set<String> UNSUPPORTED = Set.of("ffs-ufs1");
    private static final int USER = 1;

    static List<FileSystems.Fs> fileSystems() {
        return FileSystems.all();
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(Syscalls sys, String path, String name) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        long n = sys.getxattr(path, name, b);
        return new String(b.array(), 0, (int) n, StandardCharsets.UTF_8);
    }

    private static List<String> names(Syscalls sys, String path) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        long n = sys.listxattr(path, b);
        return Arrays.stream(new String(b.array(), 0, (int) n, StandardCharsets.UTF_8).split("\0")).filter(s -> !s.isEmpty()).sorted().toList();
    }

    @ParameterizedTest
    @MethodSource("fileSystems")
    void attributesRoundTrip(FileSystems.Fs fs) {
        try (RumpKernel rk = fs.boot()) {
            Syscalls sys = rk.syscalls();
            String f = FileSystems.MNT + "/xattr.file";
            sys.close(sys.open(f, Sys.O_RDWR | Sys.O_CREAT, 0644));
            Errno probe = errnoOf(() -> sys.setxattr(f, "user.colour", bytes("blue"), 0));
            if (UNSUPPORTED.contains(fs.name())) {
                assertThat(probe).isEqualTo(Errno.EOPNOTSUPP);
                assertThat(names(sys, f)).isEmpty();
                return;
            }
            if (SUPPORTED.contains(fs.name())) assertThat(probe).as(fs.name()).isNull();
            if (probe != null) return; // not required here: what it answered is its own tests' matter
            assertThat(get(sys, f, "user.colour")).isEqualTo("blue");
            sys.setxattr(f, "user.colour", bytes("a longer green"), Sys.XATTR_REPLACE);
            assertThat(get(sys, f, "user.colour")).isEqualTo("a longer green");
            assertThat(errnoOf(() -> sys.setxattr(f, "user.colour", bytes("x"), Sys.XATTR_CREATE))).isEqualTo(Errno.EEXIST);
            assertThat(errnoOf(() -> sys.setxattr(f, "user.none", bytes("x"), Sys.XATTR_REPLACE))).isEqualTo(Errno.ENOATTR);
            sys.setxattr(f, "user.empty", ByteBuffer.allocate(0), Sys.XATTR_CREATE);
            sys.setxattr(f, "user.gone", bytes("soon"), 0);
            sys.removexattr(f, "user.gone");
            assertThat(errnoOf(() -> sys.removexattr(f, "user.gone"))).isEqualTo(Errno.ENOATTR);
            assertThat(errnoOf(() -> sys.getxattr(f, "user.gone", ByteBuffer.allocate(8)))).isEqualTo(Errno.ENOATTR);
            assertThat(errnoOf(() -> sys.getxattr(f, "user.colour", ByteBuffer.allocate(3)))).isEqualTo(Errno.ERANGE);
            assertThat(names(sys, f)).containsExactly("user.colour", "user.empty");
            assertThat(sys.extattrGetFile(f, Sys.EXTATTR_NAMESPACE_USER, "empty", ByteBuffer.allocate(8))).isZero();
            // another user may read (0644) but not write the user namespace, nor touch the system one
            Users.as(rk, USER, () -> {
                assertThat(get(sys, f, "user.colour")).isEqualTo("a longer green");
                assertThat(errnoOf(() -> sys.setxattr(f, "user.colour", bytes("red"), 0))).isEqualTo(Errno.EACCES);
                assertThat(errnoOf(() -> sys.setxattr(f, "system.x", bytes("red"), 0))).isEqualTo(Errno.EPERM);
            });
            if (fs.remountReadOnly(rk)) {
                assertThat(get(sys, f, "user.colour")).isEqualTo("a longer green");
                assertThat(names(sys, f)).containsExactly("user.colour", "user.empty");
                assertThat(errnoOf(() -> sys.setxattr(f, "user.colour", bytes("red"), 0))).isEqualTo(Errno.EROFS);
                assertThat(errnoOf(() -> sys.removexattr(f, "user.colour"))).isEqualTo(Errno.EROFS);
                fs.remountReadWrite(rk);
            }
            sys.unlink(f);
        }
    }
}
