package jrump.net.netinet.wire;

/** The UDP header (RFC 768). */
public final class UdpHeader {
    private UdpHeader() {
    }

    public static final int SRC_PORT = 0;
    public static final int DST_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CKSUM = 6;
    public static final int LEN = 8;
}
