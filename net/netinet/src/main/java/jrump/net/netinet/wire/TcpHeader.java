package jrump.net.netinet.wire;

/** The TCP header (RFC 9293 section 3.1) and its options. */
public final class TcpHeader {
    private TcpHeader() {
    }

    public static final int SRC_PORT = 0;
    public static final int DST_PORT = 2;
    public static final int SEQ = 4;
    public static final int ACK = 8;
    public static final int DATA_OFF = 12;
    public static final int FLAGS = 13;
    public static final int WINDOW = 14;
    public static final int CKSUM = 16;
    public static final int URGENT = 18;
    public static final int MIN_LEN = 20;
    public static final int MAX_LEN = 60;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK_FLAG = 0x10;
    public static final int URG = 0x20;

    /** RFC 9293 3.2: option kinds. */
    public static final int OPT_EOL = 0;
    public static final int OPT_NOP = 1;
    public static final int OPT_MSS = 2;
    /** RFC 7323 2.2. */
    public static final int OPT_WSCALE = 3;
    /** RFC 2018 section 2: SACK-permitted, kind 4, length 2, on SYN segments only. */
    public static final int OPT_SACK_PERMITTED = 4;
    /** RFC 2018 section 3: the SACK option, kind 5, length 8*n+2 for n blocks of (left edge, right edge). */
    public static final int OPT_SACK = 5;
    /** RFC 9293 3.1: the data offset allows at most 40 bytes of options. */
    public static final int MAX_OPTION_SPACE = 40;
    /** RFC 2018 section 3: 40 bytes of option space hold at most 4 SACK blocks. */
    public static final int SACK_MAX_BLOCKS = 4;
    /** RFC 2018 section 3: with the timestamp option (10 bytes plus 2 of padding) at most 3. */
    public static final int SACK_MAX_BLOCKS_WITH_TIMESTAMPS = 3;
    /** RFC 7323 3.2. */
    public static final int OPT_TIMESTAMP = 8;

    /** "SYN,ACK" style flag names for diagnostics. */
    public static String flags(int f) {
        StringBuilder b = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
        for (int i = 0; i < names.length; i++) {
            if ((f & (1 << i)) != 0) b.append(b.isEmpty() ? "" : ",").append(names[i]);
        }
        return b.toString();
    }
}
