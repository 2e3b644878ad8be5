package jrump.rumpkern;

/**
 * struct sockaddr_in6 (RFC 3493 section 3.3): an IPv6 address, port, flow information and scope id. The
 * address's sixteen bytes in network order are held as two longs ({@code hi} the first eight bytes), which
 * keeps the record a value; {@link #bytes()} gives them as an array.
 */
public record SockaddrIn6(long hi, long lo, int port, int flowinfo, int scopeId) implements Sockaddr {
    public SockaddrIn6 {
        if (port < 0 || port > 0xffff) throw new IllegalArgumentException("port out of range: " + port);
    }

    public SockaddrIn6(long hi, long lo, int port) {
        this(hi, lo, port, 0, 0);
    }

    /** {@code SockaddrIn6.of("fd00::1", 7)}; a zone ("fe80::1%2") gives the scope id. */
    public static SockaddrIn6 of(String text, int port) {
        int scope = 0;
        int pct = text.indexOf('%');
        if (pct >= 0) {
            try {
                scope = Integer.parseInt(text.substring(pct + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a numeric zone: " + text);
            }
            text = text.substring(0, pct);
        }
        long[] a = parse(text);
        return new SockaddrIn6(a[0], a[1], port, 0, scope);
    }

    /** The IPv4-mapped address ::ffff:a.b.c.d of {@code v4} (RFC 4291 2.5.5.2). */
    public static SockaddrIn6 mapped(int v4, int port) {
        return new SockaddrIn6(0, 0xffff_0000_0000L | (v4 & 0xffffffffL), port);
    }

    /** Whether the address is IPv4-mapped (::ffff:0:0/96). */
    public boolean isV4Mapped() {
        return hi == 0 && (lo >>> 32) == 0xffff;
    }

    /** The sixteen address bytes in network order. */
    public byte[] bytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /**
     * inet_pton(AF_INET6): the text forms of RFC 4291 section 2.2 (eight groups, "::" once, a trailing
     * dotted IPv4 part); returns {hi, lo}.
     */
    public static long[] parse(String s) {
        int[] g = new int[8];
        int n = 0;
        int gap = -1;
        String rest = s;
        if (s.isEmpty()) throw bad(s);
        if (s.startsWith("::")) {
            gap = 0;
            rest = s.substring(2);
        } else if (s.startsWith(":")) {
            throw bad(s);
        }
        if (!rest.isEmpty()) {
            String[] parts = rest.split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i];
                if (p.isEmpty()) {
                    // only as "::": one empty part in the middle, or two at the end
                    boolean last = i == parts.length - 1;
                    if (last) {
                        if (i == 0 || !parts[i - 1].isEmpty() || gap != n) throw bad(s);
                    } else {
                        if (gap >= 0) throw bad(s);
                        gap = n;
                    }
                    continue;
                }
                if (p.indexOf('.') >= 0) {
                    if (i != parts.length - 1 || n > 6) throw bad(s);
                    int v4 = SockaddrIn.parse(p);
                    g[n++] = v4 >>> 16;
                    g[n++] = v4 & 0xffff;
                    continue;
                }
                if (p.length() > 4 || n >= 8) throw bad(s);
                int v = 0;
                for (char c : p.toCharArray()) {
                    int d = Character.digit(c, 16);
                    if (d < 0) throw bad(s);
                    v = (v << 4) | d;
                }
                g[n++] = v;
            }
        }
        if (gap < 0 && n != 8 || gap >= 0 && n > 7) throw bad(s);
        int[] full = new int[8];
        if (gap < 0) {
            full = g;
        } else {
            System.arraycopy(g, 0, full, 0, gap);
            System.arraycopy(g, gap, full, 8 - (n - gap), n - gap);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) hi = (hi << 16) | full[i];
        for (int i = 4; i < 8; i++) lo = (lo << 16) | full[i];
        return new long[] {hi, lo};
    }

    private static IllegalArgumentException bad(String s) {
        return new IllegalArgumentException("not an IPv6 address: " + s);
    }

    /** inet_ntop(AF_INET6) in RFC 5952's canonical form (lower case, the longest run of zeros as "::"). */
    public static String format(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
        for (int i = 0; i < 4; i++) g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        if (hi == 0 && (lo >>> 32) == 0xffff) { // RFC 5952 section 5: mapped addresses end in dotted form
            return "::ffff:" + SockaddrIn.format((int) lo);
        }
        int bestAt = -1;
        int bestLen = 1; // RFC 5952 4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') b.append(':');
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }

    /** The address as text. */
    public String address() {
        return format(hi, lo);
    }

    @Override
    public int family() {
        return Sys.AF_INET6;
    }

    @Override
    public String toString() {
        return "[" + address() + (scopeId != 0 ? "%" + scopeId : "") + "]:" + port;
    }
}
