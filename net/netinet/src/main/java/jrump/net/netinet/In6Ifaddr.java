package jrump.net.netinet;

import jrump.rumpnet.net.Ifnet;

/**
 * An IPv6 address of an interface (struct in6_ifaddr) with its DAD state (RFC 4862 section 5.4): a
 * tentative address receives only ND traffic for itself and is never a source until DAD finds no
 * duplicate; a duplicate one stays unusable. Autoconfigured (SLAAC) addresses carry their lifetimes.
 */
public final class In6Ifaddr {
    public enum State { TENTATIVE, PREFERRED, DEPRECATED, DUPLICATE }

    final Ifnet ifp;
    final IpAddr addr;
    final int prefixLen;
    final boolean autoconf;
    State state = State.TENTATIVE;
    int dadSent;
    /** RFC 7217's DAD_Counter of a stable address: the attempt that made it. */
    int dadCounter;
    /** Stack-clock deadlines for SLAAC addresses (Long.MAX_VALUE: infinite, RFC 4862 5.5.3). */
    long validUntil = Long.MAX_VALUE;
    long preferredUntil = Long.MAX_VALUE;
    jrump.rumpnet.net.Timers.Timer dadTimer;

    In6Ifaddr(Ifnet ifp, IpAddr addr, int prefixLen, boolean autoconf) {
        this.ifp = ifp;
        this.addr = addr;
        this.prefixLen = prefixLen;
        this.autoconf = autoconf;
    }

    public Ifnet ifp() {
        return ifp;
    }

    public IpAddr addr() {
        return addr;
    }

    public int prefixLen() {
        return prefixLen;
    }

    public State state() {
        return state;
    }

    public boolean autoconf() {
        return autoconf;
    }

    /** Usable as a source and a destination (not tentative, not a duplicate). */
    public boolean usable() {
        return state == State.PREFERRED || state == State.DEPRECATED;
    }

    @Override
    public String toString() {
        return addr + "/" + prefixLen + " on " + ifp.name() + " " + state + (autoconf ? " autoconf" : "");
    }
}
