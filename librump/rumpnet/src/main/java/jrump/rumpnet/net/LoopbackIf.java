package jrump.rumpnet.net;

import jrump.rumpnet.mbuf.Mbuf;

/**
 * The loopback interface lo0 (net/if_loop.c): what it sends it receives, with no link header. The stack
 * queues received packets, so a send never re-enters the sender's protocol code.
 */
public final class LoopbackIf extends Ifnet {
    /** LOMTU in net/if_loop.c (NetBSD's default, 32 KiB plus mbuf headers). */
    public static final int LOMTU = 32768 + 4096 - 24;
    /**
     * jrump's default: the largest IPv4 datagram (RFC 791's 16-bit total length), as Linux's lo (65536):
     * a loopback segment costs the same per packet whatever its size, so fewer, larger ones move more.
     */
    public static final int MAX_MTU = 65535;

    public LoopbackIf(String name) {
        this(name, MAX_MTU);
    }

    public LoopbackIf(String name, int mtu) {
        super(name, LinkType.LOOPBACK, mtu, IFF_UP | IFF_LOOPBACK | IFF_RUNNING, null);
        setChecksumTrusted(true); // what it sends it receives, from memory
    }

    @Override
    protected void transmit(Mbuf frame) {
        deliver(frame);
    }
}
