package jrump.rumpnet.socket;

import java.nio.ByteBuffer;

import jrump.rumpkern.kernel.FileOps;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;

/** The file operations of a socket descriptor (NetBSD's socketops): read, write, poll and close. */
final class SocketFileOps implements FileOps {
    static final SocketFileOps INSTANCE = new SocketFileOps();

    private SocketFileOps() {
    }

    @Override
    public int read(KLwp l, KFile fp, ByteBuffer dst, long offset, long[] retval) {
        Socket so = (Socket) fp.data();
        long n = SocketCalls.locked(so, () -> so.receive(new ByteBuffer[] {dst}, 0, fp.nonblocking(), null, null));
        if (n < 0) return (int) -n;
        retval[0] = n;
        return 0;
    }

    @Override
    public int write(KLwp l, KFile fp, ByteBuffer src, long offset, long[] retval) {
        Socket so = (Socket) fp.data();
        long n = SocketCalls.locked(so, () -> so.send(src, null, 0, fp.nonblocking()));
        if (n < 0) return (int) -n;
        retval[0] = n;
        return 0;
    }

    @Override
    public int poll(KLwp l, KFile fp, int events) {
        Socket so = (Socket) fp.data();
        return (int) SocketCalls.locked(so, () -> so.poll(events));
    }

    @Override
    public int close(KLwp l, KFile fp) {
        Socket so = (Socket) fp.data();
        return (int) SocketCalls.locked(so, so::close);
    }

    @Override
    public String type() {
        return "socket";
    }
}
