package jrump.rumpnet.socket;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.Filedesc;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpkern.kernel.Proc;
import jrump.rumpkern.kernel.SyscallArgs;

/** The socket system calls (NetBSD's sys/kern/uipc_syscalls.c). */
final class SocketCalls {
    private static final int EBADF = Errno.EBADF.number();
    private static final int ENOTSOCK = Errno.ENOTSOCK.number();
    private static final int EINVAL = Errno.EINVAL.number();

    private final Sockets sockets;

    SocketCalls(Sockets sockets) {
        this.sockets = sockets;
    }

    /** Runs {@code body} under the network lock of {@code so}'s kernel. */
    static long locked(Socket so, LongSupplier body) {
        return so.lockedCall(body);
    }

    private interface SockOp {
        long run(Socket so, KFile fp);
    }

    /** Looks up descriptor {@code fd}'s socket and runs {@code op} on it under the lock; returns an errno. */
    private int withSocket(KLwp l, int fd, long[] rv, SockOp op) {
        KFile fp = l.proc().fd().get(fd);
        if (fp == null) return EBADF;
        try {
            if (!(fp.data() instanceof Socket so)) return ENOTSOCK;
            Kmutex lock = sockets.lock();
            lock.enter();
            long r;
            try {
                r = op.run(so, fp);
            } finally {
                lock.exit();
            }
            if (r < 0) return (int) -r;
            rv[0] = r;
            return 0;
        } finally {
            Filedesc.drop(l, fp);
        }
    }

    private static long nofile(Proc p) {
        return p.limit(Sys.RLIMIT_NOFILE).cur();
    }

    /** Installs {@code so} at a new descriptor; returns it or a negated errno (the socket is closed then). */
    private long install(KLwp l, Socket so, int flags) {
        int fflag = KFile.FREAD | KFile.FWRITE;
        if ((flags & Sys.SOCK_NONBLOCK) != 0) fflag |= Sys.O_NONBLOCK;
        if ((flags & Sys.SOCK_NOSIGPIPE) != 0) fflag |= Sys.O_NOSIGPIPE;
        KFile fp = new KFile(SocketFileOps.INSTANCE, so, fflag);
        int fd = l.proc().fd().alloc(fp, 0, (flags & Sys.SOCK_CLOEXEC) != 0, nofile(l.proc()));
        if (fd < 0) Filedesc.drop(l, fp);
        return fd;
    }

    int socket(KLwp l, SyscallArgs.Socket a, long[] rv) {
        int flags = a.type() & Sys.SOCK_FLAGS_MASK;
        int type = a.type() & ~Sys.SOCK_FLAGS_MASK;
        int[] err = new int[1];
        Socket so = sockets.create(a.domain(), type, a.protocol(), err);
        if (so == null) return err[0];
        long fd = install(l, so, flags);
        if (fd < 0) return (int) -fd;
        rv[0] = fd;
        return 0;
    }

    int socketpair(KLwp l, SyscallArgs.Socketpair a, long[] rv) {
        int flags = a.type() & Sys.SOCK_FLAGS_MASK;
        int type = a.type() & ~Sys.SOCK_FLAGS_MASK;
        int[] err = new int[1];
        Socket s1 = sockets.create(a.domain(), type, a.protocol(), err);
        if (s1 == null) return err[0];
        Socket s2 = sockets.create(a.domain(), type, a.protocol(), err);
        if (s2 == null) {
            locked(s1, s1::close);
            return err[0];
        }
        int e = (int) locked(s1, () -> s1.connect2(s2));
        if (e != 0) {
            locked(s1, s1::close);
            locked(s2, s2::close);
            return e;
        }
        long fd1 = install(l, s1, flags);
        if (fd1 < 0) {
            locked(s2, s2::close);
            return (int) -fd1;
        }
        long fd2 = install(l, s2, flags);
        if (fd2 < 0) {
            KFile f = l.proc().fd().remove((int) fd1);
            if (f != null) Filedesc.close(l, f);
            return (int) -fd2;
        }
        a.rsv()[0] = (int) fd1;
        a.rsv()[1] = (int) fd2;
        return 0;
    }

    int bind(KLwp l, SyscallArgs.Bind a, long[] rv) {
        return withSocket(l, a.s(), rv, (so, fp) -> -so.bind(a.name()));
    }

    int listen(KLwp l, SyscallArgs.Listen a, long[] rv) {
        return withSocket(l, a.s(), rv, (so, fp) -> -so.listen(a.backlog()));
    }

    int connect(KLwp l, SyscallArgs.Connect a, long[] rv) {
        return withSocket(l, a.s(), rv, (so, fp) -> -so.connect(a.name(), fp.nonblocking()));
    }

    int accept(KLwp l, SyscallArgs.Accept a, long[] rv) {
        return doAccept(l, a.s(), a.name(), -1, rv);
    }

    int paccept(KLwp l, SyscallArgs.Paccept a, long[] rv) {
        if ((a.flags() & ~Sys.SOCK_FLAGS_MASK) != 0) return EINVAL;
        return doAccept(l, a.s(), a.name(), a.flags(), rv);
    }

    /** accept (flags -1: the new socket inherits the listener's O_NONBLOCK, as NetBSD's accept does) and paccept. */
    private int doAccept(KLwp l, int fd, SockaddrStorage name, int flags, long[] rv) {
        Socket[] got = new Socket[1];
        int[] inherited = new int[1];
        int e = withSocket(l, fd, new long[1], (so, fp) -> {
            int[] err = new int[1];
            Socket child = so.accept(fp.nonblocking(), err);
            if (child == null) return -err[0];
            got[0] = child;
            inherited[0] = fp.nonblocking() ? Sys.SOCK_NONBLOCK : 0;
            if (name != null) name.set(child.peeraddr());
            return 0;
        });
        if (e != 0) return e;
        long nfd = install(l, got[0], flags < 0 ? inherited[0] : flags);
        if (nfd < 0) return (int) -nfd;
        rv[0] = nfd;
        return 0;
    }

    int sendto(KLwp l, SyscallArgs.Sendto a, long[] rv) {
        return withSocket(l, a.s(), rv, (so, fp) -> so.send(a.buf(), a.to(), a.flags(), fp.nonblocking()));
    }

    int recvfrom(KLwp l, SyscallArgs.Recvfrom a, long[] rv) {
        return withSocket(l, a.s(), rv, (so, fp) ->
                so.receive(new ByteBuffer[] {a.buf()}, a.flags(), fp.nonblocking(), a.from(), new int[1]));
    }

    int sendmsg(KLwp l, SyscallArgs.Sendmsg a, long[] rv) {
        if (a.msg() == null || a.msg().iov == null) return Errno.EFAULT.number();
        ByteBuffer[] iov = a.msg().iov;
        return withSocket(l, a.s(), rv, (so, fp) -> {
            ByteBuffer one = gather(iov);
            int before = one.position();
            long n = so.send(one, a.msg().name, a.flags(), fp.nonblocking());
            if (n > 0) advance(iov, one.position() - before);
            return n;
        });
    }

    int recvmsg(KLwp l, SyscallArgs.Recvmsg a, long[] rv) {
        if (a.msg() == null || a.msg().iov == null) return Errno.EFAULT.number();
        return withSocket(l, a.s(), rv, (so, fp) -> {
            int[] flags = new int[1];
            long n = so.receive(a.msg().iov, a.flags(), fp.nonblocking(), a.msg().from, flags);
            a.msg().flags = flags[0];
            return n;
        });
    }

    /** The iovecs of a sendmsg as one buffer (datagrams go out whole); a copy only when there are several. */
    private static ByteBuffer gather(ByteBuffer[] iov) {
        if (iov.length == 1) return iov[0];
        int n = 0;
        for (ByteBuffer b : iov) n += b.remaining();
        ByteBuffer one = ByteBuffer.allocate(n);
        for (ByteBuffer b : iov) one.put(b.duplicate());
        return one.flip();
    }

    private static void advance(ByteBuffer[] iov, int n) {
        if (iov.length == 1) return; // the buffer itself was consumed
        for (ByteBuffer b : iov) {
            int k = Math.min(n, b.remaining());
            b.position(b.position() + k);
            n -= k;
        }
    }

    int shutdown(KLwp l, SyscallArgs.Shutdown a, long[] rv) {
        return withSocket(l, a.s(), rv, (so, fp) -> -so.shutdown(a.how()));
    }

    int getsockname(KLwp l, SyscallArgs.Getsockname a, long[] rv) {
        return withSocket(l, a.fdes(), rv, (so, fp) -> {
            a.asa().set(so.sockaddr());
            return 0;
        });
    }

    int getpeername(KLwp l, SyscallArgs.Getpeername a, long[] rv) {
        return withSocket(l, a.fdes(), rv, (so, fp) -> {
            Sockaddr p = so.peeraddr();
            if (p == null || !so.connected()) return -Errno.ENOTCONN.number();
            a.asa().set(p);
            return 0;
        });
    }

    int setsockopt(KLwp l, SyscallArgs.Setsockopt a, long[] rv) {
        return withSocket(l, a.s(), rv, (so, fp) -> -so.setopt(a.level(), a.name(), a.val()));
    }

    int getsockopt(KLwp l, SyscallArgs.Getsockopt a, long[] rv) {
        return withSocket(l, a.s(), rv, (so, fp) -> {
            ByteBuffer out = a.val();
            int e = so.getopt(a.level(), a.name(), out);
            return e != 0 ? -e : out.position();
        });
    }
}
