package jrump.net.netinet;

import jrump.rumpnet.mbuf.Mbuf;

/** Header helpers over mbuf chains. */
final class Mbufs {
    private Mbufs() {
    }

    /** M_PREPEND: {@code n} bytes in front of the chain, in the head node when it has room, else a new node. */
    static Mbuf prepend(Mbuf m, int n) {
        if (m != null && m.canPrepend(n)) {
            m.prepend(n);
            return m;
        }
        Mbuf h = Mbuf.header(Mbuf.MAX_HDR);
        h.prepend(n);
        h.next = m;
        return h;
    }

    static int addr(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
