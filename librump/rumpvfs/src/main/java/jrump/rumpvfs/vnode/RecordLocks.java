package jrump.rumpvfs.vnode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Flock;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.Kcondvar;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpkern.kernel.Proc;

/**
 * POSIX advisory record locks (NetBSD's vfs_lockf.c, lf_advlock): byte ranges of a file held shared or
 * exclusive by an owner (a process). A file system's VOP_ADVLOCK hands its arguments here with the file's
 * size. One per kernel: deadlock detection needs to see every waiter.
 *
 * <p>Per POSIX (XSH fcntl): a process's own locks never conflict with each other; a new lock replaces the
 * owner's locks on the bytes it covers (so locks split, grow and change type); F_SETLKW that would wait
 * for a process that waits, directly or through others, for the caller fails with EDEADLK.
 */
public final class RecordLocks {
    /** VOP_ADVLOCK's op for F_GETLK, F_SETLK/F_SETLKW and unlock (fcntl.h). */
    public static final int F_GETLK = Sys.F_GETLK;
    public static final int F_SETLK = Sys.F_SETLK;
    public static final int F_UNLCK = Flock.F_UNLCK;
    /** VOP_ADVLOCK flags (fcntl.h): wait for a conflicting lock; POSIX or flock(2) semantics. */
    public static final int F_WAIT = 0x010;
    public static final int F_FLOCK = 0x020;
    public static final int F_POSIX = 0x040;

    private static final Object KEY = RecordLocks.class;
    /** "To the end of the file, however far it grows" (l_len 0). */
    private static final long EOF = Long.MAX_VALUE;

    /** One held range, both ends inclusive. */
    private record Range(Object owner, int pid, short type, long start, long end) {
        boolean overlaps(long s, long e) {
            return start <= e && s <= end;
        }

        boolean conflictsWith(short otherType) {
            return type == Flock.F_WRLCK || otherType == Flock.F_WRLCK;
        }
    }

    private final Kernel kernel;
    private final Kmutex lock;
    private final Kcondvar changed;
    private final Map<Vnode, List<Range>> byVnode = new HashMap<>();
    /** Who each waiting owner waits for: the edges deadlock detection walks. */
    private final Map<Object, Object> waitsFor = new HashMap<>();

    private RecordLocks(Kernel kernel) {
        this.kernel = kernel;
        this.lock = kernel.mutex();
        this.changed = kernel.condvar();
        kernel.addHaltHook(this::wakeAll);
        kernel.addExitHook(this::releaseAll);
    }

    /** The kernel's record locks, made on first use. */
    public static RecordLocks of(Kernel kernel) {
        return (RecordLocks) kernel.specific().computeIfAbsent(KEY, k -> new RecordLocks(kernel));
    }

    /**
     * VOP_ADVLOCK for a file of {@code size} bytes: {@code op} is F_GETLK, F_SETLK or F_UNLCK; {@code fl}'s
     * whence is SEEK_SET or SEEK_END (the caller has resolved SEEK_CUR). F_GETLK rewrites {@code fl}.
     */
    public int advlock(Vnode vp, Object owner, int op, Flock fl, int flags, long size) {
        long base = switch (fl.whence) {
            case Sys.SEEK_SET -> 0;
            case Sys.SEEK_END -> size;
            default -> -1;
        };
        if (base < 0) return Errno.EINVAL.number();
        long start;
        long end;
        try {
            start = Math.addExact(base, fl.start);
            if (fl.len > 0) {
                end = Math.addExact(start, fl.len - 1);
            } else if (fl.len == 0) {
                end = EOF;
            } else {
                end = start - 1;
                start = Math.addExact(start, fl.len);
            }
        } catch (ArithmeticException overflow) {
            return Errno.EOVERFLOW.number();
        }
        if (start < 0) return Errno.EINVAL.number();
        int pid = owner instanceof Proc p ? p.pid() : -1;
        lock.enter();
        try {
            return switch (op) {
                case F_GETLK -> getlk(vp, owner, fl, start, end);
                case F_UNLCK -> {
                    replace(vp, owner, pid, Flock.F_UNLCK, start, end);
                    yield 0;
                }
                case F_SETLK -> setlk(vp, owner, pid, fl.type, start, end, (flags & F_WAIT) != 0);
                default -> Errno.EINVAL.number();
            };
        } finally {
            lock.exit();
        }
    }

    /** Every lock {@code owner} holds on any file goes (the process exited). */
    public void releaseAll(Object owner) {
        lock.enter();
        try {
            boolean any = false;
            for (Iterator<List<Range>> it = byVnode.values().iterator(); it.hasNext(); ) {
                List<Range> ranges = it.next();
                any |= ranges.removeIf(r -> r.owner() == owner);
                if (ranges.isEmpty()) it.remove();
            }
            if (any) changed.broadcast();
        } finally {
            lock.exit();
        }
    }

    /** Every lock {@code owner} holds on {@code vp} goes (the process closed a descriptor of it). */
    public void release(Vnode vp, Object owner) {
        lock.enter();
        try {
            List<Range> ranges = byVnode.get(vp);
            if (ranges == null) return;
            if (ranges.removeIf(r -> r.owner() == owner)) changed.broadcast();
            if (ranges.isEmpty()) byVnode.remove(vp);
        } finally {
            lock.exit();
        }
    }

    /** How many ranges are held on {@code vp} (tests, diagnostics). */
    public int count(Vnode vp) {
        lock.enter();
        try {
            List<Range> ranges = byVnode.get(vp);
            return ranges == null ? 0 : ranges.size();
        } finally {
            lock.exit();
        }
    }

    private int getlk(Vnode vp, Object owner, Flock fl, long start, long end) {
        if (fl.type != Flock.F_RDLCK && fl.type != Flock.F_WRLCK) return Errno.EINVAL.number();
        Range blocker = conflict(vp, owner, fl.type, start, end);
        if (blocker == null) {
            fl.type = Flock.F_UNLCK;
            return 0;
        }
        fl.type = blocker.type();
        fl.whence = Sys.SEEK_SET;
        fl.start = blocker.start();
        fl.len = blocker.end() == EOF ? 0 : blocker.end() - blocker.start() + 1;
        fl.pid = blocker.pid();
        return 0;
    }

    private int setlk(Vnode vp, Object owner, int pid, short type, long start, long end, boolean wait) {
        if (type != Flock.F_RDLCK && type != Flock.F_WRLCK) return Errno.EINVAL.number();
        Range blocker;
        while ((blocker = conflict(vp, owner, type, start, end)) != null) {
            if (!wait) return Errno.EAGAIN.number();
            if (wouldDeadlock(owner, blocker.owner())) return Errno.EDEADLK.number();
            if (kernel.halting()) return Errno.EINTR.number();
            waitsFor.put(owner, blocker.owner());
            try {
                changed.await(lock);
            } finally {
                waitsFor.remove(owner);
            }
        }
        replace(vp, owner, pid, type, start, end);
        return 0;
    }

    /** The first lock of another owner that keeps {@code owner} from locking the range, or null. */
    private Range conflict(Vnode vp, Object owner, short type, long start, long end) {
        List<Range> ranges = byVnode.get(vp);
        if (ranges == null) return null;
        for (Range r : ranges) {
            if (r.owner() != owner && r.overlaps(start, end) && r.conflictsWith(type)) return r;
        }
        return null;
    }

    /** Whether waiting for {@code holder} closes a cycle back to {@code owner}. */
    private boolean wouldDeadlock(Object owner, Object holder) {
        Object o = holder;
        for (int hops = 0; o != null && hops <= waitsFor.size(); hops++) {
            if (o == owner) return true;
            o = waitsFor.get(o);
        }
        return false;
    }

    /**
     * Makes {@code owner}'s locks on [start, end] exactly {@code type} (F_UNLCK: none), keeping the parts
     * of its other locks outside the range, and merging with touching ranges of the same type.
     */
    private void replace(Vnode vp, Object owner, int pid, short type, long start, long end) {
        List<Range> ranges = byVnode.computeIfAbsent(vp, v -> new ArrayList<>());
        List<Range> kept = new ArrayList<>(ranges.size() + 2);
        long newStart = start;
        long newEnd = end;
        boolean released = false;
        for (Range r : ranges) {
            if (r.owner() != owner) {
                kept.add(r);
                continue;
            }
            boolean touches = r.overlaps(start == 0 ? 0 : start - 1, end == EOF ? EOF : end + 1);
            if (!touches) {
                kept.add(r);
                continue;
            }
            if (r.type() == type) {
                // same type, overlapping or adjacent: one range covers both
                newStart = Math.min(newStart, r.start());
                newEnd = Math.max(newEnd, r.end());
                continue;
            }
            if (!r.overlaps(start, end)) {
                kept.add(r); // adjacent, of another type: stays as it is
                continue;
            }
            released = true;
            if (r.start() < start) kept.add(new Range(owner, pid, r.type(), r.start(), start - 1));
            if (r.end() > end) kept.add(new Range(owner, pid, r.type(), end + 1, r.end()));
        }
        if (type != Flock.F_UNLCK) {
            kept.add(new Range(owner, pid, type, newStart, newEnd));
        } else {
            released = true;
        }
        kept.sort((a, b) -> Long.compare(a.start(), b.start()));
        ranges.clear();
        ranges.addAll(kept);
        if (ranges.isEmpty()) byVnode.remove(vp);
        // a downgrade or unlock may let waiters in
        if (released || type == Flock.F_RDLCK) changed.broadcast();
    }

    private void wakeAll() {
        lock.enter();
        try {
            changed.broadcast();
        } finally {
            lock.exit();
        }
    }
}
