package jrump.rumpkern;

/**
 * struct sockaddr_in: an IPv4 address and port. {@code addr} holds the address's four bytes in network
 * order as an int (10.0.0.1 is 0x0a000001); {@code port} is 0..65535.
 */
public record SockaddrIn(int addr, int port) implements Sockaddr {
    /** INADDR_ANY. */
    public static final int INADDR_ANY = 0;
    /** INADDR_LOOPBACK (127.0.0.1). */
    public static final int INADDR_LOOPBACK = 0x7f000001;
    /** INADDR_BROADCAST (255.255.255.255). */
    public static final int INADDR_BROADCAST = 0xffffffff;

    public SockaddrIn {
        if (port < 0 || port > 0xffff) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** {@code SockaddrIn.of("10.0.0.1", 7)}. */
    public static SockaddrIn of(String dotted, int port) {
        return new SockaddrIn(parse(dotted), port);
    }

    /** Parses a dotted-quad IPv4 address (inet_aton's strict four-part form). */
    public static int parse(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        int a = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            int v = Integer.parseInt(p);
            if (v > 255) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            a = (a << 8) | v;
        }
        return a;
    }

    /** inet_ntoa. */
    public static String format(int addr) {
        return (addr >>> 24) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }

    @Override
    public int family() {
        return Sys.AF_INET;
    }

    @Override
    public String toString() {
        return format(addr) + ":" + port;
    }
}
