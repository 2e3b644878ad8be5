package jrump.rumpkern;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Descriptors and pipes. */
class DescSyscallsTest {
    private RumpKernel rk;
    private Syscalls sys;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        sys = rk.syscalls();
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private String readString(int fd, int max) {
        ByteBuffer b = ByteBuffer.allocate(max);
        long n = sys.read(fd, b);
        assertThat(b.position()).isEqualTo((int) n);
        return new String(b.array(), 0, (int) n, StandardCharsets.UTF_8);
    }

    @Test
    void pipe_carriesBytes_thenEof() {
        int[] p = sys.pipe();
        assertThat(sys.write(p[1], bytes("hello, "))).isEqualTo(7);
        assertThat(sys.write(p[1], bytes("world"))).isEqualTo(5);
        assertThat(readString(p[0], 5)).isEqualTo("hello");
        assertThat(readString(p[0], 100)).isEqualTo(", world");
        sys.close(p[1]);
        assertThat(readString(p[0], 10)).isEmpty();
    }

    @Test
    void pipe_wrongEnd_isEbadf_andNoReader_isEpipe() {
        int[] p = sys.pipe();
        assertThat(errnoOf(() -> sys.read(p[1], ByteBuffer.allocate(1)))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.write(p[0], bytes("x")))).isEqualTo(Errno.EBADF);
        sys.close(p[0]);
        assertThat(errnoOf(() -> sys.write(p[1], bytes("x")))).isEqualTo(Errno.EPIPE);
    }

    @Test
    void pipe_isNotSeekable() {
        int[] p = sys.pipe();
        assertThat(errnoOf(() -> sys.lseek(p[0], 0, Sys.SEEK_SET))).isEqualTo(Errno.ESPIPE);
        assertThat(errnoOf(() -> sys.pread(p[0], ByteBuffer.allocate(1), 0))).isEqualTo(Errno.ESPIPE);
        assertThat(errnoOf(() -> sys.pwrite(p[1], bytes("x"), 0))).isEqualTo(Errno.ESPIPE);
        assertThat(errnoOf(() -> sys.pread(p[0], ByteBuffer.allocate(1), -1))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void nonblockingPipe_emptyRead_andFullWrite_areEagain() {
        int[] p = sys.pipe2(Sys.O_NONBLOCK);
        assertThat(errnoOf(() -> sys.read(p[0], ByteBuffer.allocate(1)))).isEqualTo(Errno.EAGAIN);
        ByteBuffer big = ByteBuffer.allocate(100_000);
        long n = sys.write(p[1], big);
        assertThat(n).isPositive().isLessThan(100_000);
        assertThat(errnoOf(() -> sys.write(p[1], ByteBuffer.allocate(10)))).isEqualTo(Errno.EAGAIN);
        assertThat(sys.fcntl(p[0], Sys.F_GETFL, 0) & Sys.O_NONBLOCK).isNotZero();
        assertThat(sys.fcntl(p[0], Sys.F_GETFL, 0) & Sys.O_ACCMODE).isEqualTo(Sys.O_RDONLY);
        assertThat(sys.fcntl(p[1], Sys.F_GETFL, 0) & Sys.O_ACCMODE).isEqualTo(Sys.O_WRONLY);
        sys.fcntl(p[0], Sys.F_SETFL, 0);
        assertThat(sys.fcntl(p[0], Sys.F_GETFL, 0) & Sys.O_NONBLOCK).isZero();
    }

    @Test
    void pipe_bulkTransferAcrossThreads_isIntact() throws Exception {
        int[] p = sys.pipe();
        long seed = new SplittableRandom().nextLong();
        byte[] data = new byte[1 << 20];
        new SplittableRandom(seed).nextBytes(data);
        int pid = sys.getpid();
        Thread writer = Thread.ofPlatform().start(() -> {
            rk.pub().lwprocNewlwp(pid); // a thread of its own in the same process
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) sys.write(p[1], b);
            sys.close(p[1]);
            rk.pub().lwprocReleaselwp();
        });
        ByteBuffer got = ByteBuffer.allocate(data.length + 1);
        while (sys.read(p[0], got) > 0) {
            // keep reading until EOF
        }
        writer.join();
        assertThat(got.position()).as("seed %d", seed).isEqualTo(data.length);
        assertThat(java.util.Arrays.equals(got.array(), 0, data.length, data, 0, data.length)).as("seed %d", seed).isTrue();
    }

    @Test
    void dup_dup2_dup3() {
        int[] p = sys.pipe();
        int d = sys.dup(p[1]);
        assertThat(d).isEqualTo(2);
        sys.write(d, bytes("a"));
        assertThat(sys.dup2(p[1], 10)).isEqualTo(10);
        sys.write(10, bytes("b"));
        assertThat(sys.dup2(10, 10)).isEqualTo(10);
        assertThat(errnoOf(() -> sys.dup3(10, 10, 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.dup3(10, 11, 0x2))).isEqualTo(Errno.EINVAL);
        assertThat(sys.dup3(10, 11, Sys.O_CLOEXEC)).isEqualTo(11);
        assertThat(sys.fcntl(11, Sys.F_GETFD, 0)).isEqualTo(Sys.FD_CLOEXEC);
        assertThat(sys.fcntl(10, Sys.F_GETFD, 0)).isZero();
        assertThat(readString(p[0], 10)).isEqualTo("ab");
        assertThat(errnoOf(() -> sys.dup(99))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.dup2(99, 3))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.dup2(p[0], -1))).isEqualTo(Errno.EBADF);
        // closing every write end gives EOF
        for (int fd : new int[] {p[1], d, 10, 11}) sys.close(fd);
        assertThat(readString(p[0], 10)).isEmpty();
    }

    @Test
    void fcntl_dupfd_closem_maxfd() {
        int[] p = sys.pipe();
        assertThat(sys.fcntl(p[0], Sys.F_DUPFD, 20)).isEqualTo(20);
        assertThat(sys.fcntl(p[0], Sys.F_DUPFD_CLOEXEC, 20)).isEqualTo(21);
        assertThat(sys.fcntl(21, Sys.F_GETFD, 0)).isEqualTo(Sys.FD_CLOEXEC);
        assertThat(sys.fcntl(0, Sys.F_MAXFD, 0)).isEqualTo(21);
        sys.fcntl(2, Sys.F_CLOSEM, 0);
        assertThat(sys.fcntl(0, Sys.F_MAXFD, 0)).isEqualTo(1);
        assertThat(errnoOf(() -> sys.fcntl(p[0], 999, 0))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.fcntl(55, Sys.F_GETFD, 0))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.fcntl(p[0], Sys.F_DUPFD, -1))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void descriptorLimit_isEmfile() {
        sys.setrlimit(Sys.RLIMIT_NOFILE, new Rlimit(5, 5));
        int[] p = sys.pipe();
        sys.dup(p[0]);
        sys.dup(p[0]);
        sys.dup(p[0]);
        assertThat(errnoOf(() -> sys.dup(p[0]))).isEqualTo(Errno.EMFILE);
        assertThat(errnoOf(() -> sys.pipe())).isEqualTo(Errno.EMFILE);
        assertThat(errnoOf(() -> sys.dup2(p[0], 5))).isEqualTo(Errno.EBADF);
        // a failed pipe leaves nothing behind
        assertThat(sys.fcntl(0, Sys.F_MAXFD, 0)).isEqualTo(4);
    }

    @Test
    void close_twice_isEbadf() {
        int[] p = sys.pipe();
        sys.close(p[0]);
        assertThat(errnoOf(() -> sys.close(p[0]))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.close(-1))).isEqualTo(Errno.EBADF);
    }

    @Test
    void readOnlyBuffer_forRead_isEfault_andNullBuffer_isEfault() {
        int[] p = sys.pipe();
        sys.write(p[1], bytes("x"));
        assertThat(errnoOf(() -> sys.read(p[0], ByteBuffer.allocate(4).asReadOnlyBuffer()))).isEqualTo(Errno.EFAULT);
        assertThat(errnoOf(() -> sys.write(p[1], null))).isEqualTo(Errno.EFAULT);
        assertThat(readString(p[0], 4)).isEqualTo("x");
    }

    @Test
    void poll_onPipes() throws Exception {
        int[] p = sys.pipe();
        Pollfd r = new Pollfd(p[0], Pollfd.POLLIN);
        Pollfd w = new Pollfd(p[1], Pollfd.POLLOUT);
        Pollfd bad = new Pollfd(77, Pollfd.POLLIN);
        Pollfd skipped = new Pollfd(-1, Pollfd.POLLIN);
        assertThat(sys.poll(new Pollfd[] {r, w, bad, skipped}, 0)).isEqualTo(2);
        assertThat(r.revents).isZero();
        assertThat(w.revents).isEqualTo(Pollfd.POLLOUT);
        assertThat(bad.revents).isEqualTo(Pollfd.POLLNVAL);
        assertThat(skipped.revents).isZero();
        assertThat(sys.poll(new Pollfd[] {r}, 30)).isZero(); // times out
        // a blocked poll is woken by a write from another thread
        int pid = sys.getpid();
        Thread writer = Thread.ofPlatform().start(() -> {
            rk.pub().lwprocNewlwp(pid);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            sys.write(p[1], bytes("x"));
            rk.pub().lwprocReleaselwp();
        });
        assertThat(sys.poll(new Pollfd[] {r}, -1)).isEqualTo(1);
        assertThat(r.revents & Pollfd.POLLIN).isNotZero();
        writer.join();
        sys.close(p[1]);
        sys.poll(new Pollfd[] {r}, 0);
        assertThat(r.revents & Pollfd.POLLHUP).isNotZero();
        sys.close(p[0]);
        assertThat(errnoOf(() -> sys.poll(null, 0))).isEqualTo(Errno.EFAULT);
    }

    @Test
    void pipeMemory_isChargedToTheMemoryLimit() {
        try (RumpKernel small = RumpKernel.boot(RumpConfig.builder().memLimit(40_000).build())) {
            Syscalls s = small.syscalls();
            int[] a = s.pipe();
            s.pipe();
            assertThat(errnoOf(s::pipe)).isEqualTo(Errno.ENOMEM);
            s.close(a[0]);
            s.close(a[1]);
            assertThat(s.pipe()).hasSize(2);
        }
    }

    /**
     * Every new descriptor is the lowest free one at or above the minimum asked (dup, F_DUPFD, pipe), through
     * a seeded random run of opens and closes against a model: the table's lowest-free hint never skips a
     * slot a close freed.
     */
    @Test
    void newDescriptors_areTheLowestFree_throughRandomOpensAndCloses() {
        long seed = 0xfdL;
        SplittableRandom rnd = new SplittableRandom(seed);
        java.util.TreeSet<Integer> open = new java.util.TreeSet<>();
        int[] p = sys.pipe();
        open.add(p[0]);
        open.add(p[1]);
        for (int step = 0; step < 3000; step++) {
            int op = rnd.nextInt(10);
            if (op < 4 || open.size() < 3) {
                int expect = 0;
                while (open.contains(expect)) expect++;
                int fd = sys.dup(p[0]);
                assertThat(fd).as("seed %x step %d: dup", seed, step).isEqualTo(expect);
                open.add(fd);
            } else if (op < 6) {
                int min = rnd.nextInt(0, 200);
                int expect = min;
                while (open.contains(expect)) expect++;
                int fd = sys.fcntl(p[0], Sys.F_DUPFD, min);
                assertThat(fd).as("seed %x step %d: F_DUPFD %d", seed, step, min).isEqualTo(expect);
                open.add(fd);
            } else {
                Integer[] fds = open.toArray(new Integer[0]);
                int fd = fds[rnd.nextInt(fds.length)];
                if (fd == p[0]) continue;
                sys.close(fd);
                open.remove(fd);
            }
        }
    }
}
