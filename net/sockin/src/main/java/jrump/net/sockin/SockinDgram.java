package jrump.net.sockin;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpnet.mbuf.Mbuf;
import jrump.rumpnet.socket.SocketEvents;
import jrump.rumpuser.HostSocket;
import jrump.rumpuser.HostSockets;
import jrump.rumpuser.HostSocketErrno;
import jrump.rumpuser.HyperException;

/**
 * A UDP socket carried by a host datagram socket. Datagrams are received into the socket's receive buffer
 * with their senders while it has room; sending goes straight to the host.
 */
final class SockinDgram extends SockinPcb {
    private boolean readStopped;

    SockinDgram(Sockin sk, SocketEvents so, HostSocket host) {
        super(sk, so, host);
        host.arm(HostSockets.READ);
    }

    @Override
    public int connect(Sockaddr addr) {
        var a = SockinAddr.toHost(addr);
        if (a == null) return Errno.EAFNOSUPPORT.number();
        try {
            host.connect(a);
            host.arm(HostSockets.READ);
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    @Override
    void ready(int ops) {
        if ((ops & HostSockets.READ) != 0) pullIn();
    }

    private void pullIn() {
        if (detached) return;
        boolean got = false;
        while (true) {
            if (so.rcv().space() <= 0) {
                readStopped = true;
                break;
            }
            ByteBuffer b = sk.scratch();
            HostSockets.Address from;
            try {
                from = host.receive(b);
            } catch (HyperException e) {
                so.setError(e.errno()); // ECONNREFUSED of a connected socket: reported once, then go on
                host.arm(HostSockets.READ);
                break;
            }
            if (from == null) {
                host.arm(HostSockets.READ);
                break;
            }
            byte[] data = new byte[b.flip().remaining()];
            b.get(data);
            so.rcv().appendDatagram(SockinAddr.fromHost(from), Mbuf.wrap(data));
            got = true;
        }
        if (got) so.readable();
    }

    @Override
    public void rcvd() {
        if (readStopped && so.rcv().space() > 0) {
            readStopped = false;
            pullIn();
        }
    }

    @Override
    public int send(Mbuf m, Sockaddr to, int flags) {
        HostSockets.Address a = null;
        if (to != null) {
            a = SockinAddr.toHost(to);
            if (a == null) return Errno.EAFNOSUPPORT.number();
        }
        int n = Mbuf.length(m);
        if (n > Sockin.CHUNK) return Errno.EMSGSIZE.number();
        ByteBuffer b = sk.scratch();
        Mbuf.copyOut(m, 0, b, n);
        b.flip();
        try {
            if (!host.send(b, a)) return HostSocketErrno.ENOBUFS; // the host's queue is full: UDP drops, as BSD says ENOBUFS
            host.arm(HostSockets.READ); // a first send binds the socket: now it can receive
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    @Override
    public int sendSpace() {
        return so.snd().hiwat();
    }

    @Override
    public int shutdownOutput() {
        return 0;
    }

    @Override
    public int disconnect() {
        return 0;
    }

    @Override
    public void abort() {
    }

    @Override
    public void detach() {
        detached = true;
        host.attach(null);
        host.close();
    }
}
