package jrump.net.netinet.wire;

/** ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861 section 4) message types, codes and layouts. */
public final class Icmp6Header {
    private Icmp6Header() {
    }

    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CKSUM = 2;
    /** The 32-bit field after the checksum: MTU, pointer, or identifier and sequence number of echoes. */
    public static final int DATA = 4;
    public static final int ID = 4;
    public static final int SEQ = 6;
    public static final int LEN = 8;

    // RFC 4443 section 2.1: error messages (type < 128) and informational messages
    public static final int DST_UNREACH = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAM_PROB = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    // RFC 4861 section 4
    public static final int ROUTER_SOLICIT = 133;
    public static final int ROUTER_ADVERT = 134;
    public static final int NEIGHBOR_SOLICIT = 135;
    public static final int NEIGHBOR_ADVERT = 136;
    public static final int REDIRECT = 137;

    // RFC 4443 3.1: destination unreachable codes
    public static final int UNREACH_NOROUTE = 0;
    public static final int UNREACH_BEYOND_SCOPE = 2;
    public static final int UNREACH_ADDR = 3;
    public static final int UNREACH_PORT = 4;
    // RFC 4443 3.3: time exceeded codes
    public static final int TIMXCEED_HOPLIMIT = 0;
    public static final int TIMXCEED_REASSEMBLY = 1;
    // RFC 4443 3.4: parameter problem codes
    public static final int PARAMPROB_HEADER = 0;
    public static final int PARAMPROB_NEXTHEADER = 1;
    public static final int PARAMPROB_OPTION = 2;

    // RFC 4861 4.3/4.4: NS and NA: reserved/flags (4 bytes), target address (16), options
    public static final int ND_TARGET = 8;
    public static final int ND_OPTIONS = 24;
    public static final int NA_ROUTER = 0x80;
    public static final int NA_SOLICITED = 0x40;
    public static final int NA_OVERRIDE = 0x20;
    // RFC 4861 4.2: RA: cur hop limit, flags, router lifetime, reachable time, retrans timer, options
    public static final int RA_HOP_LIMIT = 4;
    public static final int RA_FLAGS = 5;
    public static final int RA_LIFETIME = 6;
    public static final int RA_REACHABLE = 8;
    public static final int RA_RETRANS = 12;
    public static final int RA_OPTIONS = 16;
    // RFC 4861 4.1: RS: reserved (4 bytes), options
    public static final int RS_OPTIONS = 8;

    // RFC 4861 4.6: option types; length in units of 8 bytes
    public static final int OPT_SOURCE_LLADDR = 1;
    public static final int OPT_TARGET_LLADDR = 2;
    public static final int OPT_PREFIX_INFO = 3;
    public static final int OPT_MTU = 5;
    // RFC 4861 4.6.2: prefix information: prefix length, flags (L 0x80, A 0x40), valid and preferred lifetimes, prefix
    public static final int PI_PREFIX_LEN = 2;
    public static final int PI_FLAGS = 3;
    public static final int PI_VALID = 4;
    public static final int PI_PREFERRED = 8;
    public static final int PI_PREFIX = 16;
    public static final int PI_ONLINK = 0x80;
    public static final int PI_AUTO = 0x40;
    /** RFC 4861 section 7.1: ND messages come with a hop limit of 255 (from the link itself). */
    public static final int ND_HOP_LIMIT = 255;
}
