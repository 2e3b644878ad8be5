package jrump.net.netinet.wire;

/** The IPv6 header (RFC 8200 section 3) and the fragment header (section 4.5): field offsets. */
public final class Ipv6Header {
    private Ipv6Header() {
    }

    /** Version (4 bits), Traffic Class (8), Flow Label (20). */
    public static final int VER_TC_FLOW = 0;
    public static final int PAYLOAD_LEN = 4;
    public static final int NEXT_HEADER = 6;
    public static final int HOP_LIMIT = 7;
    public static final int SRC = 8;
    public static final int DST = 24;
    public static final int LEN = 40;
    /** RFC 8200 section 5: every link carries 1280 bytes. */
    public static final int MIN_MTU = 1280;

    // extension headers share the first two fields: next header, length in 8-byte units not counting the first 8
    public static final int EXT_NEXT = 0;
    public static final int EXT_LEN = 1;

    // fragment header (RFC 8200 4.5): next header, reserved, offset (13 bits) | res (2) | M (1), identification
    public static final int FRAG_NEXT = 0;
    public static final int FRAG_OFFLG = 2;
    public static final int FRAG_ID = 4;
    public static final int FRAG_LEN = 8;
    public static final int FRAG_OFFSET_MASK = 0xfff8;
    public static final int FRAG_MORE = 1;

    // routing header (RFC 8200 4.4): next header, length, routing type, segments left
    public static final int RT_TYPE = 2;
    public static final int RT_SEGLEFT = 3;

    // options of hop-by-hop and destination options headers (RFC 8200 4.2)
    public static final int OPT_PAD1 = 0;
    public static final int OPT_PADN = 1;
}
