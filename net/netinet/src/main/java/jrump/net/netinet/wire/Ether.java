package jrump.net.netinet.wire;

/** The Ethernet II header (IEEE 802.3 with an EtherType; net/if_ether.h). */
public final class Ether {
    private Ether() {
    }

    public static final int DST = 0;
    public static final int SRC = 6;
    public static final int TYPE = 12;
    /** ETHER_HDR_LEN. */
    public static final int HEADER_LEN = 14;
    /** ETHERMTU: the largest payload. */
    public static final int MTU = 1500;
    /** ETHER_MIN_LEN without the FCS: shorter frames are padded. */
    public static final int MIN_FRAME = 60;

    public static final int TYPE_IP = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    /** RFC 2464 section 3. */
    public static final int TYPE_IPV6 = 0x86dd;

    public static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    /** xx:xx:xx:xx:xx:xx. */
    public static String format(byte[] mac) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            if (i > 0) b.append(':');
            b.append(String.format("%02x", mac[i] & 0xff));
        }
        return b.toString();
    }
}
