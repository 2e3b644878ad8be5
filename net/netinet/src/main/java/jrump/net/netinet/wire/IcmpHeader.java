package jrump.net.netinet.wire;

/** The ICMP header (RFC 792). */
public final class IcmpHeader {
    private IcmpHeader() {
    }

    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CKSUM = 2;
    /** Echo: identifier and sequence number; errors: unused (or next-hop MTU for fragmentation needed). */
    public static final int ID = 4;
    public static final int SEQ = 6;
    public static final int LEN = 8;

    public static final int ECHO_REPLY = 0;
    public static final int UNREACH = 3;
    public static final int ECHO = 8;
    public static final int TIME_EXCEEDED = 11;

    /** RFC 792 destination unreachable codes; RFC 1191 uses NEEDFRAG's second word for the next-hop MTU. */
    public static final int UNREACH_NET = 0;
    public static final int UNREACH_HOST = 1;
    public static final int UNREACH_PROTOCOL = 2;
    public static final int UNREACH_PORT = 3;
    public static final int UNREACH_NEEDFRAG = 4;
    /** RFC 792 time exceeded codes. */
    public static final int TIMXCEED_INTRANS = 0;
    public static final int TIMXCEED_REASS = 1;
}
