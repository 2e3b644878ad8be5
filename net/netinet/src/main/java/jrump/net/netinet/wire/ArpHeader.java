package jrump.net.netinet.wire;

/** An ARP packet for IPv4 over Ethernet (RFC 826). */
public final class ArpHeader {
    private ArpHeader() {
    }

    public static final int HTYPE = 0;
    public static final int PTYPE = 2;
    public static final int HLEN = 4;
    public static final int PLEN = 5;
    public static final int OPER = 6;
    public static final int SHA = 8;
    public static final int SPA = 14;
    public static final int THA = 18;
    public static final int TPA = 24;
    public static final int LEN = 28;

    /** RFC 826: ar$hrd for Ethernet. */
    public static final int HTYPE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
}
