package jrump.net.netinet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;

/** IPPROTO_IP socket options shared by UDP and TCP (IP_TTL, IP_TOS). */
public final class InOptions {
    private InOptions() {
    }

    public static int setIp(int level, int name, ByteBuffer val, IntConsumer setTtl, IntConsumer setTos) {
        if (level != Sys.IPPROTO_IP) return Errno.ENOPROTOOPT.number();
        if (val.remaining() < 4) return Errno.EINVAL.number();
        int v = val.order(ByteOrder.nativeOrder()).getInt(val.position());
        switch (name) {
            case Sys.IP_TTL -> {
                if (v < 1 || v > 255) return Errno.EINVAL.number();
                setTtl.accept(v);
            }
            case Sys.IP_TOS -> setTos.accept(v & 0xff);
            default -> {
                return Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    public static int getIp(int level, int name, ByteBuffer out, int ttl, int tos) {
        if (level != Sys.IPPROTO_IP) return Errno.ENOPROTOOPT.number();
        if (out.remaining() < 4) return Errno.EINVAL.number();
        switch (name) {
            case Sys.IP_TTL -> out.order(ByteOrder.nativeOrder()).putInt(ttl);
            case Sys.IP_TOS -> out.order(ByteOrder.nativeOrder()).putInt(tos);
            default -> {
                return Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    /**
     * IPPROTO_IPV6 options (RFC 3493 5.1, RFC 3542): IPV6_UNICAST_HOPS (-1 is the default), IPV6_TCLASS,
     * IPV6_V6ONLY (only before the socket is bound).
     */
    public static int setIp6(int level, int name, ByteBuffer val, IntConsumer setHops, IntConsumer setTclass,
                             IntConsumer setV6only) {
        if (level != Sys.IPPROTO_IPV6) return Errno.ENOPROTOOPT.number();
        if (val.remaining() < 4) return Errno.EINVAL.number();
        int v = val.order(ByteOrder.nativeOrder()).getInt(val.position());
        switch (name) {
            case Sys.IPV6_UNICAST_HOPS -> {
                if (v < -1 || v > 255) return Errno.EINVAL.number();
                setHops.accept(v);
            }
            case Sys.IPV6_TCLASS -> {
                if (v < -1 || v > 255) return Errno.EINVAL.number();
                setTclass.accept(v < 0 ? 0 : v);
            }
            case Sys.IPV6_V6ONLY -> setV6only.accept(v != 0 ? 1 : 0);
            default -> {
                return Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }

    public static int getIp6(int level, int name, ByteBuffer out, int hops, int tclass, boolean v6only) {
        if (level != Sys.IPPROTO_IPV6) return Errno.ENOPROTOOPT.number();
        if (out.remaining() < 4) return Errno.EINVAL.number();
        switch (name) {
            case Sys.IPV6_UNICAST_HOPS -> out.order(ByteOrder.nativeOrder()).putInt(hops);
            case Sys.IPV6_TCLASS -> out.order(ByteOrder.nativeOrder()).putInt(tclass);
            case Sys.IPV6_V6ONLY -> out.order(ByteOrder.nativeOrder()).putInt(v6only ? 1 : 0);
            default -> {
                return Errno.ENOPROTOOPT.number();
            }
        }
        return 0;
    }
}
