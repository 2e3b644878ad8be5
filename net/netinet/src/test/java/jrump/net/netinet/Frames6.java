package jrump.net.netinet;

import jrump.rumpkern.Sys;
import jrump.rumpnet.mbuf.InCksum;
import jrump.rumpnet.mbuf.Mbuf;

/** IPv6 frames built by hand for tests: Ethernet, the IPv6 header, extension headers and checksummed payloads. */
final class Frames6 {
    private Frames6() {
    }

    /** An Ethernet frame to {@code dstMac} carrying the IPv6 packet {@code packet}. */
    static byte[] ether(byte[] dstMac, byte[] srcMac, byte[] packet) {
        byte[] f = new byte[14 + packet.length];
        System.arraycopy(dstMac, 0, f, 0, 6);
        System.arraycopy(srcMac, 0, f, 6, 6);
        f[12] = (byte) 0x86;
        f[13] = (byte) 0xdd;
        System.arraycopy(packet, 0, f, 14, packet.length);
        return f;
    }

    /** An IPv6 packet: the header with {@code next}, then {@code payload} as is. */
    static byte[] ip6(IpAddr src, IpAddr dst, int next, int hops, byte[] payload) {
        byte[] p = new byte[40 + payload.length];
        Mbuf m = Mbuf.wrap(p);
        m.put32(0, 6 << 28);
        m.put16(4, payload.length);
        m.put8(6, next);
        m.put8(7, hops);
        src.write(m, 8);
        dst.write(m, 24);
        System.arraycopy(payload, 0, p, 40, payload.length);
        return p;
    }

    /** Sets the checksum of an upper-layer message {@code msg} (field at {@code cksumAt}) for the pseudo-header. */
    static byte[] checksum(byte[] msg, int cksumAt, IpAddr src, IpAddr dst, int proto) {
        Mbuf m = Mbuf.wrap(msg);
        m.put16(cksumAt, 0);
        m.put16(cksumAt, InCksum.fold(InCksum.add(InPorts.pseudoSum(src, dst, proto, msg.length), m, 0, msg.length)));
        return msg;
    }

    static byte[] icmp6(IpAddr src, IpAddr dst, byte[] msg) {
        return checksum(msg, 2, src, dst, Sys.IPPROTO_ICMPV6);
    }

    /** A UDP datagram with its checksum. */
    static byte[] udp(IpAddr src, IpAddr dst, int sport, int dport, byte[] data) {
        byte[] u = new byte[8 + data.length];
        Mbuf m = Mbuf.wrap(u);
        m.put16(0, sport);
        m.put16(2, dport);
        m.put16(4, u.length);
        System.arraycopy(data, 0, u, 8, data.length);
        return checksum(u, 6, src, dst, Sys.IPPROTO_UDP);
    }

    /** A fragment header (RFC 8200 4.5) followed by {@code data}. */
    static byte[] fragment(int next, int offset, boolean more, int id, byte[] data, int from, int len) {
        byte[] f = new byte[8 + len];
        Mbuf m = Mbuf.wrap(f);
        m.put8(0, next);
        m.put16(2, offset | (more ? 1 : 0));
        m.put32(4, id);
        System.arraycopy(data, from, f, 8, len);
        return f;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
