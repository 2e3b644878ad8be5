package jrump.rumpnet.net;

import jrump.rumpnet.mbuf.Mbuf;

/**
 * The loopback interface lo0 (net/if_loop.c): what it sends it receives, with no link header. The stack
 * queues received packets, so a send never re-enters the sender's protocol code.
 */
public final class LoopbackIf extends Ifnet {
    /** LOMTU in net/if_loop.c. */
    public static final int LOMTU = 32768 + 4096 - 24;

    public LoopbackIf(String name) {
        super(name, LinkType.LOOPBACK, LOMTU, IFF_UP | IFF_LOOPBACK | IFF_RUNNING, null);
    }

    @Override
    protected void transmit(Mbuf frame) {
        deliver(frame);
    }
}
