package jrump.net.netinet;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import jrump.net.netinet.wire.ArpHeader;
import jrump.net.netinet.wire.Ether;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.net.Ifnet;
import jrump.rumpnet.net.Timers;

/**
 * ARP for IPv4 over Ethernet (RFC 826, with RFC 1122 2.3.2's cache rules): a cache per interface whose
 * entries expire, incomplete entries that hold a few packets while requests go out at most once a second,
 * and gratuitous ARP for new addresses.
 */
final class Arp {
    private final Inet inet;
    private final Map<Ifnet, Map<Integer, Entry>> caches = new HashMap<>();

    /** A cache entry (llinfo_arp): resolved when {@code mac} is set. */
    final class Entry {
        final Ifnet ifp;
        final int addr;
        byte[] mac;
        long expires;
        int asked;
        final ArrayDeque<Mbuf> hold = new ArrayDeque<>();
        final Timers.Timer timer;

        Entry(Ifnet ifp, int addr) {
            this.ifp = ifp;
            this.addr = addr;
            this.timer = inet.timers().create(this::timeout);
        }

        private void timeout() {
            if (mac != null) {
                remove(this); // RFC 1122 2.3.2.1: entries time out, then are asked again when used
            } else if (asked >= inet.tunables().arpMaxTries) {
                droppedHeld += hold.size();
                hold.clear();
                remove(this);
            } else {
                request(ifp, addr);
                asked++;
                timer.at(inet.now() + inet.tunables().arpRetryNanos);
            }
        }
    }

    /** Packets dropped: the hold queue of an incomplete entry overflowed or the entry failed. */
    long droppedHeld;

    Arp(Inet inet) {
        this.inet = inet;
    }

    private Map<Integer, Entry> cache(Ifnet ifp) {
        return caches.computeIfAbsent(ifp, k -> new HashMap<>());
    }

    private void remove(Entry e) {
        e.timer.cancel();
        cache(e.ifp).remove(e.addr);
    }

    void forget(Ifnet ifp) {
        Map<Integer, Entry> c = caches.remove(ifp);
        if (c != null) c.values().forEach(e -> e.timer.cancel());
    }

    /** The resolved link address of {@code addr} on {@code ifp}, or null (tests and diagnostics). */
    byte[] lookup(Ifnet ifp, int addr) {
        Entry e = cache(ifp).get(addr);
        return e == null || e.mac == null ? null : e.mac.clone();
    }

    /** arpresolve + ether_output: sends at once when resolved, else holds the packet and asks. */
    void output(Ifnet ifp, Mbuf packet, int nextHop) {
        InIfaddr ia = inet.addressOf(ifp);
        if (nextHop == -1 || (ia != null && ia.prefixLen() < 31 && nextHop == ia.broadcast())) {
            send(ifp, packet, Ether.BROADCAST, Ether.TYPE_IP);
            return;
        }
        Map<Integer, Entry> c = cache(ifp);
        Entry e = c.get(nextHop);
        long now = inet.now();
        if (e != null && e.mac != null && now < e.expires) {
            send(ifp, packet, e.mac, Ether.TYPE_IP);
            return;
        }
        if (e == null) {
            e = new Entry(ifp, nextHop);
            c.put(nextHop, e);
        }
        if (e.mac != null) { // expired: ask again, keep using it meanwhile (NetBSD's refresh)
            send(ifp, packet, e.mac, Ether.TYPE_IP);
            e.mac = null;
        } else {
            if (e.hold.size() >= inet.tunables().arpHoldPackets) {
                e.hold.poll();
                droppedHeld++;
            }
            e.hold.add(packet);
        }
        if (!e.timer.pending()) {
            request(ifp, nextHop);
            e.asked = 1;
            e.timer.at(now + inet.tunables().arpRetryNanos);
        }
    }

    /** Announces {@code ia} (gratuitous ARP: a request for our own address, RFC 5227 section 3). */
    void announce(InIfaddr ia) {
        request(ia.ifp(), ia.addr());
    }

    private void request(Ifnet ifp, int target) {
        InIfaddr ia = inet.addressOf(ifp);
        if (ia == null) return;
        sendArp(ifp, ArpHeader.OP_REQUEST, ifp.lladdr(), ia.addr(), new byte[6], target, Ether.BROADCAST);
    }

    private void sendArp(Ifnet ifp, int op, byte[] sha, int spa, byte[] tha, int tpa, byte[] dst) {
        Mbuf m = Mbuf.header(Ether.HEADER_LEN + ArpHeader.LEN + 32);
        m.prepend(ArpHeader.LEN);
        m.put16(ArpHeader.HTYPE, ArpHeader.HTYPE_ETHERNET);
        m.put16(ArpHeader.PTYPE, Ether.TYPE_IP);
        m.put8(ArpHeader.HLEN, 6);
        m.put8(ArpHeader.PLEN, 4);
        m.put16(ArpHeader.OPER, op);
        System.arraycopy(sha, 0, m.buf, m.off + ArpHeader.SHA, 6);
        m.put32(ArpHeader.SPA, spa);
        System.arraycopy(tha, 0, m.buf, m.off + ArpHeader.THA, 6);
        m.put32(ArpHeader.TPA, tpa);
        send(ifp, m, dst, Ether.TYPE_ARP);
    }

    /** ether_output's framing: the Ethernet header, padded to the minimum frame. */
    void send(Ifnet ifp, Mbuf payload, byte[] dst, int type) {
        Mbuf m = Mbufs.prepend(payload, Ether.HEADER_LEN);
        System.arraycopy(dst, 0, m.buf, m.off + Ether.DST, 6);
        System.arraycopy(ifp.lladdr(), 0, m.buf, m.off + Ether.SRC, 6);
        m.put16(Ether.TYPE, type);
        int len = Mbuf.length(m);
        if (len < Ether.MIN_FRAME) Mbuf.concat(m, Mbuf.wrap(new byte[Ether.MIN_FRAME - len]));
        ifp.output(m);
    }

    /** in_arpinput (RFC 826's packet reception algorithm). */
    void input(Ifnet ifp, Mbuf m) {
        m = Mbuf.pullup(m, ArpHeader.LEN);
        if (m == null) return;
        if (m.u16(ArpHeader.HTYPE) != ArpHeader.HTYPE_ETHERNET || m.u16(ArpHeader.PTYPE) != Ether.TYPE_IP
                || m.u8(ArpHeader.HLEN) != 6 || m.u8(ArpHeader.PLEN) != 4) {
            return;
        }
        byte[] sha = new byte[6];
        System.arraycopy(m.buf, m.off + ArpHeader.SHA, sha, 0, 6);
        int spa = m.i32(ArpHeader.SPA);
        int tpa = m.i32(ArpHeader.TPA);
        int op = m.u16(ArpHeader.OPER);
        InIfaddr ia = inet.addressOf(ifp);
        if (java.util.Arrays.equals(sha, ifp.lladdr())) return; // our own frame
        if (ia != null && spa == ia.addr()) return; // someone claims our address: ignored (no defence yet)
        boolean forUs = ia != null && tpa == ia.addr();
        Map<Integer, Entry> c = cache(ifp);
        Entry e = c.get(spa);
        // RFC 826: update an existing entry; create one only when the packet is for us
        if (e != null || forUs) {
            if (e == null) {
                e = new Entry(ifp, spa);
                c.put(spa, e);
            }
            e.mac = sha;
            e.expires = inet.now() + inet.tunables().arpKeepNanos;
            e.timer.at(e.expires);
            Mbuf held;
            while ((held = e.hold.poll()) != null) send(ifp, held, sha, Ether.TYPE_IP);
        }
        if (forUs && op == ArpHeader.OP_REQUEST) {
            sendArp(ifp, ArpHeader.OP_REPLY, ifp.lladdr(), ia.addr(), sha, spa, sha);
        }
    }

    int entries() {
        int n = 0;
        for (Iterator<Map<Integer, Entry>> it = caches.values().iterator(); it.hasNext();) n += it.next().size();
        return n;
    }
}
