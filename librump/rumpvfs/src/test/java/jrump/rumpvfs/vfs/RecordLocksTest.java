package jrump.rumpvfs.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Flock;
import jrump.rumpkern.Lwp;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * fcntl's POSIX record locks between processes (t_vnops fcntl_lock and fcntl_getlock_pids, PR 44494): each
 * process gets its own rump proc, the lock owner.
 */
class RecordLocksTest {
    private RumpKernel rk;
    private Syscalls sys;
    private Lwp procA;
    private Lwp procB;
    private int pidA;
    private int pidB;
    private int fdA;
    private int fdB;

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        sys = rk.syscalls();
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        procA = rk.pub().lwprocCurlwp();
        pidA = sys.getpid();
        fdA = sys.open("/f", Sys.O_RDWR | Sys.O_CREAT, 0666);
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        procB = rk.pub().lwprocCurlwp();
        pidB = sys.getpid();
        fdB = sys.open("/f", Sys.O_RDWR, 0);
        rk.pub().lwprocSwitch(procA);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    private static Flock lk(short type, long start, long len) {
        return new Flock(type, (short) Sys.SEEK_SET, start, len);
    }

    private void as(Lwp who) {
        rk.pub().lwprocSwitch(who);
    }

    /** F_GETLK as the current process: the blocking lock, or F_UNLCK. */
    private Flock getlk(int fd, short type, long start, long len) {
        Flock f = lk(type, start, len);
        sys.fcntl(fd, Sys.F_GETLK, 0, f);
        return f;
    }

    @Test
    void conflictsAndGetlkNameTheHolder() {
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 10));
        as(procB);
        assertThat(errnoOf(() -> sys.fcntl(fdB, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 5, 10)))).isEqualTo(Errno.EAGAIN);
        assertThat(errnoOf(() -> sys.fcntl(fdB, Sys.F_SETLK, 0, lk(Flock.F_RDLCK, 9, 1)))).isEqualTo(Errno.EAGAIN);
        Flock holder = getlk(fdB, Flock.F_RDLCK, 5, 1);
        assertThat(holder.type).isEqualTo(Flock.F_WRLCK);
        assertThat(holder.start).isZero();
        assertThat(holder.len).isEqualTo(10);
        assertThat(holder.pid).isEqualTo(pidA);
        sys.fcntl(fdB, Sys.F_SETLK, 0, lk(Flock.F_RDLCK, 10, 10)); // right after A's range: no overlap
        as(procA);
        assertThat(getlk(fdA, Flock.F_WRLCK, 12, 1).pid).isEqualTo(pidB);
        // a process never conflicts with itself
        assertThat(getlk(fdA, Flock.F_WRLCK, 0, 10).type).isEqualTo(Flock.F_UNLCK);
    }

    @Test
    void sharedLocksCoexist_andUpgradeWaitsForOthers() {
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_RDLCK, 0, 0));
        as(procB);
        sys.fcntl(fdB, Sys.F_SETLK, 0, lk(Flock.F_RDLCK, 100, 0));
        as(procA);
        assertThat(errnoOf(() -> sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 50, 100)))).isEqualTo(Errno.EAGAIN);
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 100)); // below B's range: upgrades
        as(procB);
        assertThat(getlk(fdB, Flock.F_RDLCK, 99, 1).type).isEqualTo(Flock.F_WRLCK);
        assertThat(getlk(fdB, Flock.F_WRLCK, 100, 1).type).isEqualTo(Flock.F_RDLCK); // A's read lock past 100 stays
    }

    @Test
    void unlockingPartOfARange_splitsIt() {
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 100));
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_UNLCK, 40, 20));
        as(procB);
        assertThat(getlk(fdB, Flock.F_WRLCK, 40, 20).type).isEqualTo(Flock.F_UNLCK);
        Flock left = getlk(fdB, Flock.F_WRLCK, 30, 5);
        assertThat(left.start).isZero();
        assertThat(left.len).isEqualTo(40);
        Flock right = getlk(fdB, Flock.F_WRLCK, 70, 1);
        assertThat(right.start).isEqualTo(60);
        assertThat(right.len).isEqualTo(40);
    }

    @Test
    void whenceCurAndEnd_andNegativeLengths() {
        sys.write(fdA, java.nio.ByteBuffer.allocate(1000));
        sys.lseek(fdA, 100, Sys.SEEK_SET);
        sys.fcntl(fdA, Sys.F_SETLK, 0, new Flock(Flock.F_WRLCK, (short) Sys.SEEK_CUR, 10, 5)); // 110..114
        sys.fcntl(fdA, Sys.F_SETLK, 0, new Flock(Flock.F_WRLCK, (short) Sys.SEEK_END, -10, 0)); // 990..EOF
        sys.fcntl(fdA, Sys.F_SETLK, 0, new Flock(Flock.F_WRLCK, (short) Sys.SEEK_SET, 50, -10)); // 40..49
        as(procB);
        Flock cur = getlk(fdB, Flock.F_RDLCK, 112, 1);
        assertThat(cur.start).isEqualTo(110);
        assertThat(cur.len).isEqualTo(5);
        Flock end = getlk(fdB, Flock.F_RDLCK, 5000, 1);
        assertThat(end.start).isEqualTo(990);
        assertThat(end.len).isZero(); // to the end, however far
        assertThat(getlk(fdB, Flock.F_RDLCK, 45, 1).start).isEqualTo(40);
        assertThat(getlk(fdB, Flock.F_RDLCK, 50, 1).type).isEqualTo(Flock.F_UNLCK);
        assertThat(errnoOf(() -> sys.fcntl(fdB, Sys.F_SETLK, 0, lk(Flock.F_RDLCK, 5, -10)))).isEqualTo(Errno.EINVAL);
    }

    @Test
    void badArguments() {
        int ro = sys.open("/f", Sys.O_RDONLY, 0);
        int wo = sys.open("/f", Sys.O_WRONLY, 0);
        assertThat(errnoOf(() -> sys.fcntl(ro, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 1)))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.fcntl(wo, Sys.F_SETLK, 0, lk(Flock.F_RDLCK, 0, 1)))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.fcntl(fdA, Sys.F_SETLK, 0, lk((short) 9, 0, 1)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.fcntl(fdA, Sys.F_SETLK, 0, new Flock(Flock.F_RDLCK, (short) 7, 0, 1)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.fcntl(fdA, Sys.F_SETLK, 0))).isEqualTo(Errno.EFAULT);
        assertThat(errnoOf(() -> sys.fcntl(99, Sys.F_SETLK, 0, lk(Flock.F_RDLCK, 0, 1)))).isEqualTo(Errno.EBADF);
        int[] p = sys.pipe();
        assertThat(errnoOf(() -> sys.fcntl(p[0], Sys.F_SETLK, 0, lk(Flock.F_RDLCK, 0, 1)))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_RDLCK, Long.MAX_VALUE, 2)))).isEqualTo(Errno.EOVERFLOW);
    }

    @Test
    void closingAnyDescriptorOfTheFile_releasesTheProcessLocks() {
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 0));
        int other = sys.open("/f", Sys.O_RDONLY, 0);
        as(procB);
        assertThat(getlk(fdB, Flock.F_WRLCK, 0, 1).type).isEqualTo(Flock.F_WRLCK);
        as(procA);
        sys.close(other); // POSIX: not just the descriptor that locked
        as(procB);
        assertThat(getlk(fdB, Flock.F_WRLCK, 0, 1).type).isEqualTo(Flock.F_UNLCK);
    }

    @Test
    void processExit_releasesItsLocks() {
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 0));
        rk.pub().lwprocReleaselwp(); // A's only lwp: A exits
        as(procB);
        sys.fcntl(fdB, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 0));
        assertThat(getlk(fdB, Flock.F_WRLCK, 0, 1).type).isEqualTo(Flock.F_UNLCK);
    }

    private Thread lastThread;

    /** Waits until the thread of {@link #inProcess} blocks (in a lock wait, for these tests). */
    private void awaitBlocked() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lastThread.getState() != Thread.State.WAITING && lastThread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("the other process never blocked").isLessThan(until);
            Thread.sleep(1);
        }
    }

    /** Runs {@code body} on another thread as a new lwp of process {@code pid}. */
    private CompletableFuture<Errno> inProcess(int pid, java.util.function.Supplier<Errno> body) {
        CompletableFuture<Errno> result = new CompletableFuture<>();
        lastThread = Thread.ofPlatform().start(() -> {
            rk.pub().lwprocNewlwp(pid);
            try {
                result.complete(body.get());
            } finally {
                rk.pub().lwprocReleaselwp();
            }
        });
        return result;
    }

    @Test
    void setlkw_waitsForTheHolder() throws Exception {
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 10));
        CompletableFuture<Errno> b = inProcess(pidB, () -> errnoOf(() -> sys.fcntl(fdB, Sys.F_SETLKW, 0, lk(Flock.F_WRLCK, 5, 1))));
        awaitBlocked();
        assertThat(b).isNotDone();
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_UNLCK, 0, 0));
        assertThat(b.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(getlk(fdA, Flock.F_WRLCK, 5, 1).pid).isEqualTo(pidB);
    }

    @Test
    void setlkw_thatWouldDeadlock_failsWithEdeadlk() throws Exception {
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 0, 1));
        as(procB);
        sys.fcntl(fdB, Sys.F_SETLK, 0, lk(Flock.F_WRLCK, 1, 1));
        as(procA);
        CompletableFuture<Errno> b = inProcess(pidB, () -> errnoOf(() -> sys.fcntl(fdB, Sys.F_SETLKW, 0, lk(Flock.F_WRLCK, 0, 1))));
        awaitBlocked();
        Errno mine = errnoOf(() -> sys.fcntl(fdA, Sys.F_SETLKW, 0, lk(Flock.F_WRLCK, 1, 1)));
        assertThat(mine).isEqualTo(Errno.EDEADLK);
        assertThat(b).isNotDone();
        sys.fcntl(fdA, Sys.F_SETLK, 0, lk(Flock.F_UNLCK, 0, 0));
        assertThat(b.get(5, TimeUnit.SECONDS)).isNull();
    }
}
