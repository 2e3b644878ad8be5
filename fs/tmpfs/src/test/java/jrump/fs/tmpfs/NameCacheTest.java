package jrump.fs.tmpfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.NameCache;

/** The kernel's name cache on a tmpfs mounted with "namecache": used, negative entries, kept coherent. */
class NameCacheTest {
    private RumpKernel rk;
    private Syscalls sys;
    private Kernel kernel;

    @BeforeEach
    void boot() {
        Kernel[] captured = new Kernel[1];
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "namecache_test";
            }

            @Override
            public ComponentType type() {
                return ComponentType.VFS;
            }

            @Override
            public int init(Kernel k) {
                captured[0] = k;
                return 0;
            }
        }).build());
        kernel = captured[0];
        sys = rk.syscalls();
        sys.mkdir("/t", 0755);
        sys.mkdir("/plain", 0755);
        sys.mount("tmpfs", "/t", 0, "namecache,size=1m");
        sys.mount("tmpfs", "/plain", 0, null);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    private NameCache nc() {
        return NameCache.of(kernel);
    }

    private void touch(String path) {
        sys.close(sys.open(path, Sys.O_CREAT | Sys.O_WRONLY, 0644));
    }

    @Test
    void repeatedLookups_hitTheCache_andOnlyOnItsMounts() {
        sys.mkdir("/t/a", 0755);
        touch("/t/a/f");
        long ino = sys.stat("/t/a/f").ino();
        long hits = nc().hits();
        assertThat(sys.stat("/t/a/f").ino()).isEqualTo(ino);
        assertThat(nc().hits()).isGreaterThanOrEqualTo(hits + 2); // "a" and "f"
        sys.mkdir("/plain/a", 0755);
        long before = nc().hits() + nc().misses();
        sys.stat("/plain/a");
        sys.stat("/plain/a");
        assertThat(nc().hits() + nc().misses()).isEqualTo(before);
    }

    @Test
    void negativeEntries_answerEnoent_untilTheNameIsMade() {
        assertThat(errnoOf(() -> sys.stat("/t/ghost"))).isEqualTo(Errno.ENOENT);
        long hits = nc().hits();
        assertThat(errnoOf(() -> sys.stat("/t/ghost"))).isEqualTo(Errno.ENOENT);
        assertThat(nc().hits()).isEqualTo(hits + 1);
        touch("/t/ghost");
        assertThat(sys.stat("/t/ghost").isRegularFile()).isTrue();
        sys.unlink("/t/ghost");
        sys.mkdir("/t/ghost", 0700);
        assertThat(sys.stat("/t/ghost").isDirectory()).isTrue();
        sys.rmdir("/t/ghost");
        sys.symlink("/t", "/t/ghost");
        assertThat(sys.lstat("/t/ghost").isSymbolicLink()).isTrue();
    }

    @Test
    void renamesLinksAndRemovals_areSeenAtOnce() {
        sys.mkdir("/t/d", 0755);
        touch("/t/d/x");
        long x = sys.stat("/t/d/x").ino();
        sys.rename("/t/d/x", "/t/d/y");
        assertThat(errnoOf(() -> sys.stat("/t/d/x"))).isEqualTo(Errno.ENOENT);
        assertThat(sys.stat("/t/d/y").ino()).isEqualTo(x);
        touch("/t/d/z");
        sys.stat("/t/d/z");
        sys.rename("/t/d/y", "/t/d/z"); // over an existing, cached name
        assertThat(sys.stat("/t/d/z").ino()).isEqualTo(x);
        sys.link("/t/d/z", "/t/d/w");
        assertThat(sys.stat("/t/d/w").ino()).isEqualTo(x);
        sys.unlink("/t/d/z");
        assertThat(errnoOf(() -> sys.stat("/t/d/z"))).isEqualTo(Errno.ENOENT);
        // a directory moved away takes its cached contents along
        sys.mkdir("/t/e", 0755);
        sys.stat("/t/d/w");
        sys.rename("/t/d", "/t/e/d");
        assertThat(errnoOf(() -> sys.stat("/t/d/w"))).isEqualTo(Errno.ENOENT);
        assertThat(sys.stat("/t/e/d/w").ino()).isEqualTo(x);
        sys.unlink("/t/e/d/w");
        sys.rmdir("/t/e/d");
        assertThat(errnoOf(() -> sys.stat("/t/e/d"))).isEqualTo(Errno.ENOENT);
        sys.mkdir("/t/e/d", 0755);
        assertThat(errnoOf(() -> sys.stat("/t/e/d/w"))).isEqualTo(Errno.ENOENT);
    }

    @Test
    void unmount_forgetsTheMountsEntries() {
        touch("/t/f");
        sys.stat("/t/f");
        assertThat(nc().size()).isPositive();
        sys.unmount("/t", 0);
        assertThat(nc().size()).isZero();
        assertThat(errnoOf(() -> sys.stat("/t/f"))).isEqualTo(Errno.ENOENT);
    }
}
