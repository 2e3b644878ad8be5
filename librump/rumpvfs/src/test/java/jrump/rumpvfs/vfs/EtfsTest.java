package jrump.rumpvfs.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** etfs (rump_etfs(3)): host files under keys in the kernel's namespace. */
class EtfsTest {
    @TempDir
    Path tmp;
    private RumpKernel rk;
    private Syscalls sys;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        sys = rk.syscalls();
    }

    @AfterEach
    void halt() {
        rk.halt();
    }


    private Path hostFile(String content) throws Exception {
        Path p = Files.createTempFile(tmp, "etfs", ".img");
        Files.writeString(p, content);
        return p;
    }

    private String read(String path, int max) {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        ByteBuffer b = ByteBuffer.allocate(max);
        while (b.hasRemaining() && sys.read(fd, b) > 0) {
            // to the end
        }
        sys.close(fd);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void registeredFile_readsAndWritesTheHostFile() throws Exception {
        Path host = hostFile("0123456789");
        rk.pub().etfsRegister("/dev/img", host.toString(), Sys.RUMP_ETFS_REG);
        assertThat(read("/dev/img", 64)).isEqualTo("0123456789");
        Stat st = sys.stat("/dev/img");
        assertThat(st.isRegularFile()).isTrue();
        assertThat(st.size()).isEqualTo(10);
        int fd = sys.open("/dev/img", Sys.O_RDWR, 0);
        sys.pwrite(fd, ByteBuffer.wrap("AB".getBytes()), 3);
        sys.fsync(fd);
        sys.close(fd);
        assertThat(Files.readString(host)).isEqualTo("012AB56789");
        // keys are not in any directory: "/" lists nothing, and "/dev" does not exist
        int root = sys.open("/", Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(4096);
        int n = sys.getdents(root, b);
        assertThat(Dirent.parse(b.flip(), n)).extracting(Dirent::name).containsExactly(".", "..");
        assertThat(errnoOf(() -> sys.stat("/dev"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.unlink("/dev/img"))).isEqualTo(Errno.EBUSY);
        rk.pub().etfsRemove("/dev/img");
        assertThat(errnoOf(() -> sys.stat("/dev/img"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> rk.pub().etfsRemove("/dev/img"))).isEqualTo(Errno.ENOENT);
    }

    @Test
    void window_boundsReadsAndWrites() throws Exception {
        Path host = hostFile("headerDATA-DATAtrailer");
        rk.pub().etfsRegisterWithsize("/part", host.toString(), Sys.RUMP_ETFS_BLK, 6, 9);
        Stat st = sys.stat("/part");
        assertThat(st.mode() & Stat.S_IFMT).isEqualTo(Stat.S_IFBLK);
        assertThat(st.size()).isEqualTo(9);
        assertThat(read("/part", 64)).isEqualTo("DATA-DATA");
        int fd = sys.open("/part", Sys.O_RDWR, 0);
        assertThat(sys.pwrite(fd, ByteBuffer.wrap("xyzxyzxyzxyz".getBytes()), 5)).isEqualTo(4); // up to the end
        assertThat(errnoOf(() -> sys.pwrite(fd, ByteBuffer.wrap("q".getBytes()), 9))).isEqualTo(Errno.ENOSPC);
        sys.close(fd);
        assertThat(Files.readString(host)).isEqualTo("headerDATA-xyzxtrailer");
    }

    @Test
    void keyRules_andErrors() throws Exception {
        Path host = hostFile("x");
        rk.pub().etfsRegister("///k", host.toString(), Sys.RUMP_ETFS_REG);
        assertThat(read("/k", 8)).isEqualTo("x"); // leading slashes collapse
        assertThat(read("//k", 8)).isEqualTo("x");
        assertThat(errnoOf(() -> rk.pub().etfsRegister("/k", host.toString(), Sys.RUMP_ETFS_REG))).isEqualTo(Errno.EEXIST);
        assertThat(errnoOf(() -> rk.pub().etfsRegister("relative", host.toString(), Sys.RUMP_ETFS_REG))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> rk.pub().etfsRegister("/m", tmp.resolve("missing").toString(), Sys.RUMP_ETFS_REG)))
                .isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> rk.pub().etfsRegister("/d", tmp.toString(), Sys.RUMP_ETFS_DIR))).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(errnoOf(() -> rk.pub().etfsRegister("/d", host.toString(), 99))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> rk.pub().etfsRegisterWithsize("/w", host.toString(), Sys.RUMP_ETFS_REG, 5, 1)))
                .isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.rename("/k", "/elsewhere"))).isEqualTo(Errno.EXDEV);
    }
}
