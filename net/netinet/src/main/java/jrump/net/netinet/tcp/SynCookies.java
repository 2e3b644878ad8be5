package jrump.net.netinet.tcp;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

import jrump.net.netinet.IpAddr;
import java.security.NoSuchAlgorithmException;

/**
 * SYN cookies (RFC 4987 section 3.6): a listener under pressure answers a SYN with a SYN-ACK whose ISS
 * encodes what it would otherwise remember, and keeps nothing. The ISS is
 * {@code period parity (1 bit) | MSS index (3 bits) | MAC (28 bits)}, the MAC a keyed hash (MD5, as
 * RFC 6528 uses for ISNs) of the four-tuple, the peer's ISS, the MSS index and the period, under a secret
 * that is replaced from the kernel's random source every period of the stack's clock; a cookie is good for
 * the period it was made in and the next one. With timestamps on, the low bits of our TSval carry the
 * peer's window scale and SACK-permitted, which the ACK echoes back in TSecr.
 */
final class SynCookies {
    /** The MSS values a cookie can say (3 bits): the common ones, each the largest not above the peer's. */
    static final int[] MSS_TABLE = {216, 536, 1024, 1220, 1360, 1440, 1452, 1460};
    /** Low TSval bits: window scale (4 bits, 15 = none) and SACK-permitted (bit 4). */
    static final int TS_BITS = 5;
    static final int TS_NO_WSCALE = 0xf;
    static final int TS_SACK = 0x10;

    /** What a valid cookie ACK gives back. */
    record Decoded(int mss, int wscale, boolean sackPermitted, boolean timestamps) {
    }

    private final Tcp tcp;
    private final byte[][] secrets = new byte[2][16];
    private final long[] secretPeriod = {Long.MIN_VALUE, Long.MIN_VALUE};

    SynCookies(Tcp tcp) {
        this.tcp = tcp;
    }

    private long period() {
        return Math.floorDiv(tcp.inet().now(), tcp.tunables().synCookiePeriodNanos);
    }

    /** The secret of {@code p}; a new one when the current period starts; null for a period already forgotten. */
    private byte[] secret(long p, boolean create) {
        int slot = (int) (p & 1);
        if (secretPeriod[slot] == p) return secrets[slot];
        if (!create) return null;
        ByteBuffer b = ByteBuffer.wrap(secrets[slot]);
        b.putLong(tcp.inet().env().random()).putLong(tcp.inet().env().random());
        secretPeriod[slot] = p;
        return secrets[slot];
    }

    static int mssIndex(int peerMss) {
        int i = MSS_TABLE.length - 1;
        while (i > 0 && MSS_TABLE[i] > peerMss) i--;
        return i;
    }

    /** Our ISS for a SYN answered by cookie. */
    int make(IpAddr laddr, int lport, IpAddr faddr, int fport, int irs, int peerMss) {
        long p = period();
        int idx = mssIndex(peerMss);
        int mac = mac(secret(p, true), laddr, lport, faddr, fport, irs, idx, p);
        return (int) ((p & 1) << 31) | idx << 28 | mac;
    }

    /** The options of a cookie ACK (ack = ISS + 1, seq = IRS + 1), or null when the cookie is not ours or too old. */
    Decoded check(TcpSegment s) {
        int cookie = s.ack() - 1;
        int irs = s.seq() - 1;
        long now = period();
        long p = (now & 1) == (cookie >>> 31) ? now : now - 1;
        byte[] key = secret(p, false);
        if (key == null) return null;
        int idx = (cookie >>> 28) & 7;
        if (mac(key, s.dst(), s.dport(), s.src(), s.sport(), irs, idx, p) != (cookie & 0x0fffffff)) return null;
        int mss = MSS_TABLE[idx];
        if (s.hasTimestamp() && s.tsEcr() != 0) {
            int bits = s.tsEcr() & ((1 << TS_BITS) - 1);
            int ws = bits & 0xf;
            return new Decoded(mss, ws == TS_NO_WSCALE ? -1 : Math.min(ws, 14), (bits & TS_SACK) != 0, true);
        }
        return new Decoded(mss, -1, false, false);
    }

    /** The low TSval bits a cookie SYN-ACK carries. */
    static int tsBits(int peerWscale, boolean sackPermitted) {
        return (peerWscale < 0 ? TS_NO_WSCALE : Math.min(peerWscale, 14)) | (sackPermitted ? TS_SACK : 0);
    }

    private static int mac(byte[] key, IpAddr laddr, int lport, IpAddr faddr, int fport, int irs, int idx, long p) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            ByteBuffer b = ByteBuffer.allocate(16 + 2 + 16 + 2 + 4 + 1 + 8 + 16);
            Tcp.putAddr(b, laddr).putShort((short) lport);
            Tcp.putAddr(b, faddr).putShort((short) fport).putInt(irs)
                    .put((byte) idx).putLong(p).put(key);
            md.update(b.array(), 0, b.position());
            return ByteBuffer.wrap(md.digest()).getInt() & 0x0fffffff;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java platform", e);
        }
    }
}
