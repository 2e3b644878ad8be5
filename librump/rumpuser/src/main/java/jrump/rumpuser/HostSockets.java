package jrump.rumpuser;

import java.util.List;

/**
 * Host sockets for sockin (NetBSD's rumpcomp_sockin hypercalls, sockin_user.c): one set per kernel. Every
 * socket is non-blocking; a kernel thread waits in {@link #await} (giving up its virtual CPU) for the
 * readiness it armed, then does the work under its own locks. Errors are {@link HyperException}s with
 * NetBSD errnos ({@link HostSocketErrno}).
 */
public interface HostSockets {
    int STREAM = 1;
    int DGRAM = 2;

    // readiness (the values of java.nio's SelectionKey.OP_*)
    int READ = 1;
    int WRITE = 4;
    int CONNECT = 8;
    int ACCEPT = 16;

    /** A host address: 4 bytes (IPv4) or 16 (IPv6) and a port. */
    record Address(byte[] ip, int port) {
        public Address {
            if (ip.length != 4 && ip.length != 16) throw new IllegalArgumentException("address of " + ip.length + " bytes");
            ip = ip.clone();
        }

        @Override
        public byte[] ip() {
            return ip.clone();
        }
    }

    /** A socket and what it became ready for. */
    record Ready(HostSocket socket, int ops) {
    }

    /** A new socket of {@link #STREAM} or {@link #DGRAM} type, IPv4 or IPv6. */
    HostSocket socket(int type, boolean inet6) throws HyperException;

    /**
     * Waits up to {@code timeoutNanos} (0: until something happens) for armed sockets to become ready,
     * giving up the virtual CPU meanwhile. Each readiness reported is disarmed (one-shot). An empty list
     * after a {@link #wakeup}; EBADF once {@link #close}d.
     */
    List<Ready> await(long timeoutNanos) throws HyperException;

    /** Makes a thread in {@link #await} return. */
    void wakeup();

    /** Host sockets open now (the leak check of tests). */
    int openCount();

    /** Closes every socket and makes {@link #await} fail: the kernel halts. */
    void close();
}
