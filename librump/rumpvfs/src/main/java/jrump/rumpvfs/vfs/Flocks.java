package jrump.rumpvfs.vfs;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.Kcondvar;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpvfs.vnode.Vnode;

/**
 * flock(2) locks: whole-file, shared or exclusive, owned by an open file (so dup'ed descriptors and
 * processes sharing a table share them), released when the lock is converted, unlocked, or the open file
 * is closed for the last time. Waiting gives up the CPU; LOCK_NB makes a conflict EWOULDBLOCK.
 */
final class Flocks {
    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int LOCK_UN = 8;

    /** Who holds a vnode's lock: readers, or one writer. */
    private static final class State {
        final Set<KFile> shared = new HashSet<>();
        KFile exclusive;

        boolean idle() {
            return shared.isEmpty() && exclusive == null;
        }
    }

    private final Kmutex lock;
    private final Kcondvar cv;
    private final Map<Vnode, State> states = new HashMap<>();
    /** How many vnodes have flock state: every close asks, and nearly always none has. */
    private volatile int statesHeld;

    Flocks(Kernel kernel) {
        this.lock = kernel.mutex();
        this.cv = kernel.condvar();
    }

    int flock(Vnode vp, KFile fp, int how) {
        int op = how & ~LOCK_NB;
        if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) return Errno.EINVAL.number();
        lock.enter();
        try {
            State s = states.computeIfAbsent(vp, v -> new State());
            // converting: give up what this file holds first, as NetBSD's flock does
            release(s, fp);
            if (op == LOCK_UN) {
                tidy(vp, s);
                return 0;
            }
            while (op == LOCK_EX ? !(s.idle()) : s.exclusive != null) {
                if ((how & LOCK_NB) != 0) {
                    tidy(vp, s);
                    return Errno.EWOULDBLOCK.number();
                }
                cv.await(lock);
                s = states.computeIfAbsent(vp, v -> new State());
            }
            if (op == LOCK_EX) s.exclusive = fp;
            else s.shared.add(fp);
            statesHeld = states.size();
            return 0;
        } finally {
            lock.exit();
        }
    }

    /** The open file's last reference is gone: its lock goes with it. */
    void closed(Vnode vp, KFile fp) {
        // a file that holds a lock made statesHeld non-zero before this close (same thread or earlier)
        if (statesHeld == 0) return;
        lock.enter();
        try {
            State s = states.get(vp);
            if (s == null) return;
            release(s, fp);
            tidy(vp, s);
        } finally {
            lock.exit();
        }
    }

    private void release(State s, KFile fp) {
        boolean changed = s.shared.remove(fp);
        if (s.exclusive == fp) {
            s.exclusive = null;
            changed = true;
        }
        if (changed) cv.broadcast();
    }

    private void tidy(Vnode vp, State s) {
        if (s.idle()) states.remove(vp);
        statesHeld = states.size();
    }
}
