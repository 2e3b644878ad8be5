package jrump.rumpuser;

import java.nio.ByteBuffer;

/**
 * One non-blocking host socket of {@link HostSockets}. Not thread-safe: the kernel calls it under its
 * network lock. A stream socket becomes a listening one at {@link #listen}.
 */
public interface HostSocket {
    /** Socket options that map onto the host's (the rest are the kernel's business or ENOPROTOOPT). */
    enum Option { REUSEADDR, KEEPALIVE, RCVBUF, SNDBUF, NODELAY, LINGER, TOS, BROADCAST, KEEPIDLE, KEEPINTVL, KEEPCNT }

    void bind(HostSockets.Address a) throws HyperException;

    void listen(int backlog) throws HyperException;

    /** An accepted connection, or null when none waits. */
    HostSocket accept() throws HyperException;

    /** Starts connecting (streams) or sets the peer (datagrams); true when connected already. */
    boolean connect(HostSockets.Address a) throws HyperException;

    /** Completes a connection reported {@link HostSockets#CONNECT}-ready: its error (ECONNREFUSED...) if it failed. */
    void finishConnect() throws HyperException;

    /** Stream bytes read: 0 when none are there now, -1 at end of stream. */
    int read(ByteBuffer dst) throws HyperException;

    /** Stream bytes written: 0 when the host's buffer is full. */
    int write(ByteBuffer src) throws HyperException;

    /** A datagram into {@code dst} (the excess dropped), its sender; null when none waits. */
    HostSockets.Address receive(ByteBuffer dst) throws HyperException;

    /** Sends a datagram to {@code to} (null: the connected peer); false when the host had no room. */
    boolean send(ByteBuffer src, HostSockets.Address to) throws HyperException;

    void shutdownOutput() throws HyperException;

    void shutdownInput() throws HyperException;

    HostSockets.Address localAddress() throws HyperException;

    /** The peer, or null. */
    HostSockets.Address remoteAddress() throws HyperException;

    /** Sets an option: booleans as 0/1, LINGER in seconds (-1 off). */
    void setOption(Option o, int value) throws HyperException;

    int getOption(Option o) throws HyperException;

    /** Asks {@link HostSockets#await} to report the given readiness once. */
    void arm(int ops);

    /** The kernel's object for this socket (its control block). */
    Object attachment();

    void attach(Object o);

    void close();
}
