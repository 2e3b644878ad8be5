package jrump.fs.tmpfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

class TmpfsTest {
    private RumpKernel rk;
    private Syscalls sys;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        sys = rk.syscalls();
        sys.mkdir("/tmp", 0755);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }


    @Test
    void sizeLimit_isEnospc_andSpaceReturnsOnUnlink() {
        sys.mount("tmpfs", "/tmp", 0, "size=64k");
        var st = sys.statvfs1("/tmp", 0);
        assertThat(st.fstypename()).isEqualTo("tmpfs");
        assertThat(st.totalBytes()).isEqualTo(64 << 10);
        int fd = sys.open("/tmp/f", Sys.O_CREAT | Sys.O_WRONLY, 0644);
        sys.write(fd, ByteBuffer.allocate(48 << 10));
        assertThat(errnoOf(() -> sys.write(fd, ByteBuffer.allocate(32 << 10)))).isEqualTo(Errno.ENOSPC);
        sys.close(fd);
        assertThat(sys.statvfs1("/tmp", 0).availableBytes()).isEqualTo(16 << 10);
        sys.unlink("/tmp/f");
        assertThat(sys.statvfs1("/tmp", 0).availableBytes()).isEqualTo(64 << 10);
        int g = sys.open("/tmp/g", Sys.O_CREAT | Sys.O_WRONLY, 0644);
        sys.write(g, ByteBuffer.allocate(60 << 10)); // fits again
        sys.close(g);
    }

    @Test
    void punchingHoles_returnsSpace() {
        sys.mount("tmpfs", "/tmp", 0, "size=1m");
        int fd = sys.open("/tmp/f", Sys.O_CREAT | Sys.O_RDWR, 0644);
        byte[] ones = new byte[256 << 10];
        java.util.Arrays.fill(ones, (byte) 1);
        sys.write(fd, ByteBuffer.wrap(ones));
        long before = sys.statvfs1("/tmp", 0).availableBytes();
        sys.fdiscard(fd, 1000, 200_000); // whole pages inside go, the edges are zeroed
        assertThat(sys.fstat(fd).size()).isEqualTo(256 << 10);
        assertThat(sys.statvfs1("/tmp", 0).availableBytes()).isGreaterThan(before + (180 << 10));
        ByteBuffer b = ByteBuffer.allocate(256 << 10);
        sys.pread(fd, b, 0);
        for (int i = 0; i < b.capacity(); i++) {
            int want = i >= 1000 && i < 201_000 ? 0 : 1;
            if (b.get(i) != want) throw new AssertionError("byte " + i + " is " + b.get(i));
        }
        int ro = sys.open("/tmp/f", Sys.O_RDONLY, 0);
        assertThat(errnoOf(() -> sys.fdiscard(ro, 0, 10))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.fdiscard(fd, -1, 10))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void nodeLimit_isEnospc() {
        sys.mount("tmpfs", "/tmp", 0, "nodes=3"); // the root is one
        sys.mkdir("/tmp/a", 0755);
        sys.close(sys.open("/tmp/b", Sys.O_CREAT | Sys.O_WRONLY, 0644));
        assertThat(errnoOf(() -> sys.mkdir("/tmp/c", 0755))).isEqualTo(Errno.ENOSPC);
        sys.rmdir("/tmp/a");
        sys.mkdir("/tmp/c", 0755);
    }

    @Test
    void rootAttributesFromOptions() {
        sys.mount("tmpfs", "/tmp", 0, "mode=0700,uid=12,gid=34");
        var st = sys.stat("/tmp");
        assertThat(st.permissions()).isEqualTo(0700);
        assertThat(st.uid()).isEqualTo(12);
        assertThat(st.gid()).isEqualTo(34);
    }

    @Test
    void defaultRootIsWorldWritableAndSticky() {
        sys.mount("tmpfs", "/tmp", 0, null);
        assertThat(sys.stat("/tmp").permissions()).isEqualTo(01777);
    }

    @Test
    void badOptions_areEinval() {
        for (String bad : new String[] {"size=", "size=-1", "nodes=0", "mode=9", "bogus=1", "size", "size=99999999999999g"}) {
            assertThat(errnoOf(() -> sys.mount("tmpfs", "/tmp", 0, bad))).as(bad).isEqualTo(Errno.EINVAL);
        }
        assertThat(TmpfsType.parse("size=2m, nodes=10").maxBytes()).isEqualTo(2 << 20);
    }
}
