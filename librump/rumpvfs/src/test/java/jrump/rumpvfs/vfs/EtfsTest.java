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
        assertThat(errnoOf(() -> rk.pub().etfsRegister("/d", host.toString(), Sys.RUMP_ETFS_DIR))).isEqualTo(Errno.ENOTDIR);
        assertThat(errnoOf(() -> rk.pub().etfsRegister("/d/", tmp.toString(), Sys.RUMP_ETFS_DIR))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> rk.pub().etfsRegister("/d", host.toString(), 99))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> rk.pub().etfsRegisterWithsize("/w", host.toString(), Sys.RUMP_ETFS_REG, 5, 1)))
                .isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.rename("/k", "/elsewhere"))).isEqualTo(Errno.EXDEV);
    }

    private java.util.List<String> list(String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        ByteBuffer b = ByteBuffer.allocate(8192);
        java.util.List<String> out = new java.util.ArrayList<>();
        int n;
        while ((n = sys.getdents(fd, b.clear())) > 0) {
            for (jrump.rumpkern.Dirent d : jrump.rumpkern.Dirent.parse(b.flip(), n)) out.add(d.name());
        }
        sys.close(fd);
        return out;
    }

    @Test
    void directoryKey_mapsTheHostDirectoryFiles() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("hostdir"));
        Files.writeString(dir.resolve("a.txt"), "alpha");
        Files.writeString(dir.resolve("b.txt"), "bravo");
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/c.txt"), "charlie");
        rk.pub().etfsRegister("/hd", dir.toString(), Sys.RUMP_ETFS_DIR);
        assertThat(sys.stat("/hd").isDirectory()).isTrue();
        assertThat(read("/hd/a.txt", 16)).isEqualTo("alpha");
        assertThat(sys.stat("/hd/b.txt").size()).isEqualTo(5);
        // DIR shows the files only; subdirectories need DIR_SUBDIRS
        assertThat(errnoOf(() -> sys.stat("/hd/sub"))).isEqualTo(Errno.ENOENT);
        assertThat(list("/hd")).containsExactly(".", "..", "a.txt", "b.txt");
        // writes reach the host file; the host's own changes show
        int fd = sys.open("/hd/a.txt", Sys.O_WRONLY | Sys.O_APPEND, 0);
        sys.write(fd, ByteBuffer.wrap("!".getBytes(StandardCharsets.UTF_8)));
        sys.close(fd);
        assertThat(Files.readString(dir.resolve("a.txt"))).isEqualTo("alpha!");
        Files.writeString(dir.resolve("new.txt"), "late");
        assertThat(read("/hd/new.txt", 16)).isEqualTo("late");
        // nothing is made or removed through the key
        assertThat(errnoOf(() -> sys.open("/hd/made", Sys.O_CREAT | Sys.O_WRONLY, 0644))).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(errnoOf(() -> sys.unlink("/hd/b.txt"))).isNotNull();
        assertThat(Files.exists(dir.resolve("b.txt"))).isTrue();
        // ".." leaves the key for the namespace around it
        sys.mkdir("/beside", 0755);
        assertThat(sys.stat("/hd/../beside").ino()).isEqualTo(sys.stat("/beside").ino());
        assertThat(sys.stat("/hd/..").ino()).isEqualTo(sys.stat("/").ino());
        sys.chdir("/hd");
        assertThat(read("b.txt", 16)).isEqualTo("bravo");
        rk.pub().etfsRemove("/hd");
        assertThat(errnoOf(() -> sys.stat("/hd/a.txt"))).isEqualTo(Errno.ENOENT);
    }

    @Test
    void directoryKeyWithSubdirs_walksTheWholeTree() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("tree"));
        Files.createDirectories(dir.resolve("x/y"));
        Files.writeString(dir.resolve("x/y/deep"), "deep");
        Files.writeString(dir.resolve("x/top"), "top");
        rk.pub().etfsRegister("/t", dir.toString(), Sys.RUMP_ETFS_DIR_SUBDIRS);
        assertThat(read("/t/x/y/deep", 16)).isEqualTo("deep");
        assertThat(read("/t/x/y/../top", 16)).isEqualTo("top");
        assertThat(list("/t/x")).containsExactly(".", "..", "top", "y");
        assertThat(sys.stat("/t/x/y").isDirectory()).isTrue();
        assertThat(errnoOf(() -> sys.stat("/t/x/none"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.open("/t/x", Sys.O_WRONLY, 0))).isEqualTo(Errno.EISDIR);
        int fd = sys.open("/t/x/top", Sys.O_RDWR | Sys.O_TRUNC, 0);
        assertThat(sys.fstat(fd).size()).isZero();
        sys.close(fd);
        assertThat(Files.size(dir.resolve("x/top"))).isZero();
    }
}
