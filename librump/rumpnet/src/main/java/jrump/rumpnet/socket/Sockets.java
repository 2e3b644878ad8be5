package jrump.rumpnet.socket;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;

/**
 * The sockets layer of one kernel: its protocol families, its live sockets, and the network lock
 * (NetBSD's softnet_lock) that serialises every socket, protocol control block, interface queue and
 * protocol timer of the kernel.
 */
public final class Sockets {
    private static final Object KEY = new Object();

    /** Default socket buffer sizes (NetBSD's sb_max-bounded defaults, per kernel tunables). */
    public static final int DEFAULT_STREAM_BUF = 64 * 1024;
    public static final int DEFAULT_DGRAM_BUF = 64 * 1024;
    /** The largest SO_SNDBUF/SO_RCVBUF (sb_max). */
    public static final int SB_MAX = 4 * 1024 * 1024;

    private final Kernel kernel;
    private final Kmutex lock;
    private final Map<Integer, Domain> domains = new HashMap<>();
    private final Set<Socket> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile boolean halting;

    private Sockets(Kernel kernel) {
        this.kernel = kernel;
        this.lock = kernel.mutex();
    }

    /** Sets up the sockets layer of {@code kernel} (the rumpnet faction's init). */
    public static Sockets init(Kernel kernel) {
        Sockets s = new Sockets(kernel);
        kernel.specific().put(KEY, s);
        kernel.addHaltHook(s::halt);
        return s;
    }

    /** The kernel's sockets layer, or null when rumpnet is not in it. */
    public static Sockets of(Kernel kernel) {
        return (Sockets) kernel.specific().get(KEY);
    }

    public Kernel kernel() {
        return kernel;
    }

    /** The network lock. */
    public Kmutex lock() {
        return lock;
    }

    /**
     * Registers a protocol family (a domain component's init); EEXIST when another component registered
     * it already (netinet and sockin both serve PF_INET).
     */
    public synchronized int addDomain(Domain d) {
        return domains.putIfAbsent(d.family(), d) == null ? 0 : Errno.EEXIST.number();
    }

    synchronized Domain domain(int family) {
        return domains.get(family);
    }

    boolean halting() {
        return halting;
    }

    /** socreate: a new socket, or an errno as a negative number in {@code err[0]}. Locking: takes the lock. */
    public Socket create(int family, int type, int protocol, int[] err) {
        Domain d = domain(family);
        if (d == null) {
            err[0] = Errno.EAFNOSUPPORT.number();
            return null;
        }
        lock.enter();
        try {
            Socket so = new Socket(this, type);
            ProtoSocket[] pcb = new ProtoSocket[1];
            int e = d.attach(so, type, protocol, pcb);
            if (e != 0) {
                err[0] = e;
                return null;
            }
            so.attach(pcb[0]);
            live.add(so);
            return so;
        } finally {
            lock.exit();
        }
    }

    /** A socket made by a listener for an incoming connection. Locking: the lock held. */
    Socket createChild(Socket head) {
        Socket so = new Socket(this, head.type());
        live.add(so);
        return so;
    }

    /** The socket is gone (closed, or an embryo dropped). Locking: the lock held. */
    void forget(Socket so) {
        live.remove(so);
    }

    /** Sockets that exist now (open, embryonic or unaccepted): the leak check of tests. */
    public int liveCount() {
        lock.enter();
        try {
            return live.size();
        } finally {
            lock.exit();
        }
    }

    private void halt() {
        halting = true;
        lock.enter();
        try {
            for (Socket so : live) so.wakeAll();
        } finally {
            lock.exit();
        }
    }
}
