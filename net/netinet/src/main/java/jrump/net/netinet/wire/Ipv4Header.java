package jrump.net.netinet.wire;

/** The IPv4 header (RFC 791 section 3.1). */
public final class Ipv4Header {
    private Ipv4Header() {
    }

    public static final int VER_IHL = 0;
    public static final int TOS = 1;
    public static final int TOTAL_LEN = 2;
    public static final int ID = 4;
    public static final int FLAGS_FRAG = 6;
    public static final int TTL = 8;
    public static final int PROTO = 9;
    public static final int CKSUM = 10;
    public static final int SRC = 12;
    public static final int DST = 16;
    /** The header without options. */
    public static final int MIN_LEN = 20;
    public static final int MAX_LEN = 60;

    /** RFC 791: Don't Fragment and More Fragments flags; the offset counts 8-byte units. */
    public static final int DF = 0x4000;
    public static final int MF = 0x2000;
    public static final int OFFSET_MASK = 0x1fff;

    /** RFC 1700 / RFC 1122 3.2.1.7: the default TTL (NetBSD's IPDEFTTL). */
    public static final int DEFAULT_TTL = 64;
    /** RFC 791: every host must accept datagrams of 576 bytes. */
    public static final int MIN_REASSEMBLY = 576;
    public static final int MAX_PACKET = 65535;
}
