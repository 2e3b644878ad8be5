package jrump.rumpnet.net;

import jrump.rumpnet.mbuf.Mbuf;

/**
 * A network interface (struct ifnet): a name, an MTU, flags, a link-level address, counters, and the two
 * directions: {@link #transmit} hands a frame to the driver, and the driver hands received frames to the
 * protocol stack's {@link Input}. The stack decides what a frame is (an Ethernet frame, or a bare IP
 * packet on loopback) from {@link #linkType()}.
 */
public abstract class Ifnet {
    /** if_flags (net/if.h). */
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;

    /** The link layer: Ethernet frames, or IP packets with no link header (loopback). */
    public enum LinkType { ETHERNET, LOOPBACK }

    /** Where received frames go (the stack's ether_input or ip_input). */
    public interface Input {
        void input(Ifnet ifp, Mbuf frame);
    }

    private final String name;
    private final LinkType linkType;
    private int mtu;
    private int flags;
    private final byte[] lladdr;
    private volatile Input input;
    /**
     * The link cannot corrupt a frame (memory handed over, never a wire): the stack may leave transport
     * checksums out of packets it sends here and not check those it receives here (NetBSD's lo0 marks its
     * packets M_CSUM_DATA so neither end sums them). shmif and tap links need checksums.
     */
    private volatile boolean checksumTrusted;

    // counters (if_data)
    public long ipackets;
    public long opackets;
    public long ibytes;
    public long obytes;
    public long ierrors;
    public long oerrors;
    public long iqdrops;

    protected Ifnet(String name, LinkType linkType, int mtu, int flags, byte[] lladdr) {
        this.name = name;
        this.linkType = linkType;
        this.mtu = mtu;
        this.flags = flags;
        this.lladdr = lladdr == null ? null : lladdr.clone();
    }

    public String name() {
        return name;
    }

    public LinkType linkType() {
        return linkType;
    }

    public int mtu() {
        return mtu;
    }

    public void setMtu(int m) {
        mtu = m;
    }

    public int flags() {
        return flags;
    }

    public void setFlags(int f) {
        flags = f;
    }

    public boolean up() {
        return (flags & IFF_UP) != 0;
    }

    /** The link-level (MAC) address, or null. */
    public byte[] lladdr() {
        return lladdr == null ? null : lladdr.clone();
    }

    public boolean checksumTrusted() {
        return checksumTrusted;
    }

    public void setChecksumTrusted(boolean trusted) {
        checksumTrusted = trusted;
    }

    public void setInput(Input in) {
        this.input = in;
    }

    /** A driver received {@code frame}: hands it to the stack (counted; dropped when the interface is down). */
    public void deliver(Mbuf frame) {
        Input in = input;
        if (in == null || !up()) {
            iqdrops++;
            return;
        }
        ipackets++;
        ibytes += Mbuf.length(frame);
        in.input(this, frame);
    }

    /** Sends a complete frame (the driver's if_start); the stack has added the link header. */
    public final void output(Mbuf frame) {
        if (!up()) {
            oerrors++;
            return;
        }
        opackets++;
        obytes += Mbuf.length(frame);
        transmit(frame);
    }

    /** The driver's part of {@link #output}: the chain is the driver's from now on. */
    protected abstract void transmit(Mbuf frame);

    /** The interface is being removed (if_detach): drivers release their resources. */
    public void detach() {
    }

    @Override
    public String toString() {
        return name;
    }
}
