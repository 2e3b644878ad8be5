package jrump.net.memif;

/**
 * The link string of a memory interface: {@code NAME[,mtu=N]}. Both ends give the same NAME; the MTU is
 * each end's own (by default the largest IPv4 datagram, as a loopback interface).
 */
public record MemifSpec(String link, int mtu) {
    /** The default MTU: 65535, the largest IPv4 datagram (RFC 791's 16-bit total length). */
    public static final int DEFAULT_MTU = 65535;
    /** RFC 8200 section 5: every IPv6 link carries 1280 bytes; the least MTU taken. */
    public static final int MIN_MTU = 1280;

    /** Parses a link string; IllegalArgumentException when it is malformed. */
    public static MemifSpec parse(String s) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("memif: no link name");
        String[] parts = s.split(",");
        String name = parts[0];
        if (name.isEmpty()) throw new IllegalArgumentException("memif: no link name");
        int mtu = DEFAULT_MTU;
        for (int i = 1; i < parts.length; i++) {
            if (!parts[i].startsWith("mtu=")) throw new IllegalArgumentException("memif: unknown option " + parts[i]);
            mtu = Integer.parseInt(parts[i].substring(4));
            if (mtu < MIN_MTU || mtu > DEFAULT_MTU) throw new IllegalArgumentException("memif: mtu " + mtu + " outside 1280-65535");
        }
        return new MemifSpec(name, mtu);
    }
}
